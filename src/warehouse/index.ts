/**
 * warehouse: the embedded default. A local pipe that loads lake files into DuckDB RAW tables with
 * Snowpipe's semantics (load history, each file once, ON_ERROR), fed by BlobCreated events or a
 * scan of the lake. See docs/warehouse.md.
 * @module
 */

export { type DbtBuildOptions, type DbtBuildResult, runDbtBuild } from "./dbt-build.js";
export { DbtError } from "./dbt-error.js";
export {
  DBT_BIN_ENV,
  type DbtExecutable,
  dbtProjectDir,
  type FindDbtOptions,
  findDbt,
} from "./dbt-executable.js";
export { duckdbType, sqlFilePath } from "./duckdb-sql.js";
export type { FileLoad } from "./file-loader.js";
export {
  COPY_HISTORY_COLUMNS,
  type CopyHistoryRow,
  type LoadErrorDetail,
  type LoadStatus,
  ON_ERROR_VALUES,
  type OnError,
} from "./load-history.js";
export {
  DEFAULT_DATABASE,
  type LocalPipe,
  type LocalPipeOptions,
  openLocalPipe,
  type PipeRunSummary,
  type ProgressOptions,
  type RefreshOptions,
  SNOWFLAKE_REFRESH_WINDOW_MS,
} from "./local-pipe.js";
export {
  MIGRATION_RECONCILIATION_MART,
  MIGRATION_RECONCILIATION_REASONS_MART,
  type MigrationReconciliation,
  MigrationReconciliationError,
  type MigrationReconciliationLine,
  type MigrationReconciliationReason,
  readMigrationReconciliation,
  reconciliationLineSchema,
  reconciliationReasonSchema,
} from "./migration-reconciliation.js";
export { LoadAbortedError, PipeError } from "./pipe-error.js";
export {
  type LegacyRawTable,
  layoutTableProblems,
  legacyRawTable,
  METADATA_COLUMNS,
  RAW_SCHEMA,
  type RawFeed,
  type RawTable,
  rawTable,
  rawTableSql,
} from "./raw-table.js";
export { type Bar, barChart } from "./report/bar-chart.js";
export { renderReport } from "./report/render-report.js";
export {
  collectReportData,
  type QualitySummary,
  type QueryFn,
  type ReconciliationLine,
  type ReportData,
} from "./report/report-data.js";
