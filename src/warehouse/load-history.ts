import { DOUBLE, type DuckDBConnection, LIST, listValue, VARCHAR } from "@duckdb/node-api";
import { sqlIdentifier, sqlString, sqlTable } from "./duckdb-sql.js";

/** Schema of the pipe's own bookkeeping, kept apart from the RAW tables dbt reads. */
export const PIPE_SCHEMA = "pipe";
export const LOAD_HISTORY_TABLE = "load_history";

/**
 * Status of a file in the load history:
 * - `LOADED`: every row loaded;
 * - `PARTIALLY_LOADED`: ON_ERROR = CONTINUE loaded the good rows and skipped the bad ones;
 * - `LOAD_FAILED`: nothing loaded (bad rows under SKIP_FILE or ABORT_STATEMENT, or an unreadable file);
 * - `SKIPPED`: a lake file with no RAW table, as pipes before the project config recorded one;
 *   such a row gives way (the file loads) once its entity is registered. A file of an entity
 *   the pipe was not given is now never recorded: it stays pending (`PipeRunSummary.unregistered`);
 * - `CONFLICT`: the file changed after it was loaded under the same path. The path is the file's
 *   identity (as Snowpipe's load metadata, which "prevents loading files with the same name even
 *   if they were later modified"), so the new bytes are NOT loaded; unlike Snowpipe, which skips
 *   them silently, the pipe records and reports the conflict until the file is reloaded
 *   (`pipe.reload(path)`, `retail-mds load --reload <path>`).
 */
export type LoadStatus = "LOADED" | "PARTIALLY_LOADED" | "LOAD_FAILED" | "SKIPPED" | "CONFLICT";

/** Statuses whose rows are in RAW: the version of the path the pipe holds. */
export const IN_RAW: readonly LoadStatus[] = ["LOADED", "PARTIALLY_LOADED"];

/** What to do with a file holding bad rows, as Snowflake's COPY option `ON_ERROR`. */
/** COPY's ON_ERROR values the pipe implements, in lower case. */
export const ON_ERROR_VALUES = ["skip_file", "continue", "abort_statement"] as const;
export type OnError = (typeof ON_ERROR_VALUES)[number];

/** The first error of a file, with where it is when DuckDB or the checks can say. */
export interface LoadErrorDetail {
  readonly message: string;
  /** Line in the file (CSV counts its header line; NDJSON and Parquet count records). */
  readonly line?: number;
  readonly column?: string;
}

/** One row of the load history: one attempt at one file version (path + content hash). */
export interface LoadHistoryEntry {
  readonly file: string;
  readonly contentHash: string;
  readonly eTag: string | undefined;
  readonly stageLocation: string;
  readonly fileSize: number;
  readonly tableSchema: string | undefined;
  readonly tableName: string | undefined;
  readonly status: LoadStatus;
  readonly rowsParsed: number | undefined;
  readonly rowsLoaded: number;
  readonly errorCount: number;
  readonly errorLimit: number;
  readonly firstError: LoadErrorDetail | undefined;
  readonly onError: OnError;
  readonly receivedAt: Date;
  readonly loadedAt: Date;
}

const HISTORY = sqlTable(PIPE_SCHEMA, LOAD_HISTORY_TABLE);

/** The history's columns, in table order; `historyParameters` gives a row's values in this order. */
const HISTORY_COLUMNS = [
  ["file_name", "VARCHAR", true],
  ["content_hash", "VARCHAR", true],
  ["etag", "VARCHAR", false],
  ["stage_location", "VARCHAR", true],
  ["file_size", "BIGINT", true],
  ["table_schema", "VARCHAR", false],
  ["table_name", "VARCHAR", false],
  ["status", "VARCHAR", true],
  ["row_parsed", "BIGINT", false],
  ["row_count", "BIGINT", true],
  ["error_count", "BIGINT", true],
  ["error_limit", "BIGINT", true],
  ["first_error_message", "VARCHAR", false],
  ["first_error_line_number", "BIGINT", false],
  ["first_error_column_name", "VARCHAR", false],
  ["on_error", "VARCHAR", true],
  ["received_at", "TIMESTAMP", true],
  ["loaded_at", "TIMESTAMP", true],
] as const;

/** Creates the pipe schema and the load history, keyed by file path and content hash. */
export function loadHistorySql(): string[] {
  const columns = HISTORY_COLUMNS.map(
    ([name, type, required]) => `  ${name} ${type}${required ? " NOT NULL" : ""},`,
  );
  return [
    `create schema if not exists ${sqlIdentifier(PIPE_SCHEMA)}`,
    `create table if not exists ${HISTORY} (\n${columns.join("\n")}\n  primary key (file_name, content_hash)\n)`,
  ];
}

/**
 * Inserts history rows given as one list per column (`$1`..`$18`, see `writeHistory`): one
 * statement of 18 parameters for any number of rows. A VALUES list of a parameter per cell cost
 * 0.6 ms a row to bind (1.8 s for the 3 062 files of 60 days x 50 stores), a statement per row
 * about 5 ms. `or replace`: a conflict is recorded over an earlier failed attempt with the same bytes.
 */
const insertHistorySql = `insert or replace into ${HISTORY} select ${HISTORY_COLUMNS.map(([, type], i) => `unnest($${i + 1}::${type}[])`).join(", ")}`;

/** Writes history rows, in one statement, inside the transaction that loads their rows. */
export async function writeHistory(
  connection: DuckDBConnection,
  entries: readonly LoadHistoryEntry[],
): Promise<void> {
  const rows = entries.map(historyParameters);
  await connection.run(
    insertHistorySql,
    HISTORY_COLUMNS.map((_, c) => listValue(rows.map((row) => row[c] ?? null))),
    HISTORY_COLUMNS.map(([, type]) => LIST(type === "BIGINT" ? DOUBLE : VARCHAR)),
  );
}

/** A row's values, in the order of `HISTORY_COLUMNS` (times as UTC text). */
function historyParameters(entry: LoadHistoryEntry): (string | number | null)[] {
  return [
    entry.file,
    entry.contentHash,
    entry.eTag ?? null,
    entry.stageLocation,
    entry.fileSize,
    entry.tableSchema ?? null,
    entry.tableName ?? null,
    entry.status,
    entry.rowsParsed ?? null,
    entry.rowsLoaded,
    entry.errorCount,
    entry.errorLimit,
    entry.firstError?.message ?? null,
    entry.firstError?.line ?? null,
    entry.firstError?.column ?? null,
    entry.onError,
    utcText(entry.receivedAt),
    utcText(entry.loadedAt),
  ];
}

/** `2026-11-01 08:00:00.123456`: what DuckDB's TIMESTAMP (UTC by convention) parses. */
export function utcText(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * Every version in the history of the paths in `$1` (a VARCHAR list): what the pipe knows of
 * those files. One list parameter however many paths: a scan asks once for a group of files.
 */
export const pathsHistorySql = `select file_name, content_hash, status, first_error_message, first_error_line_number::INTEGER as line, first_error_column_name from ${HISTORY} where file_name in (select unnest($1::VARCHAR[]))`;

/** Forgets a path (before a reload, in the transaction that loads its new rows). */
export const forgetPathSql = `delete from ${HISTORY} where file_name = $1`;

/**
 * One row of `copyHistory()`: the columns of Snowflake's COPY_HISTORY table function, in order.
 * Times are UTC `Date`s; STATUS uses Snowflake's words (`Loaded`, `Load failed`...).
 */
export interface CopyHistoryRow {
  readonly FILE_NAME: string;
  readonly STAGE_LOCATION: string;
  readonly LAST_LOAD_TIME: Date;
  readonly ROW_COUNT: number;
  readonly ROW_PARSED: number | null;
  readonly FILE_SIZE: number;
  readonly FIRST_ERROR_MESSAGE: string | null;
  readonly FIRST_ERROR_LINE_NUMBER: number | null;
  readonly FIRST_ERROR_CHARACTER_POS: number | null;
  readonly FIRST_ERROR_COLUMN_NAME: string | null;
  readonly ERROR_COUNT: number;
  readonly ERROR_LIMIT: number;
  readonly STATUS: "Loaded" | "Partially loaded" | "Load failed" | "Load skipped";
  readonly TABLE_CATALOG_NAME: string;
  readonly TABLE_SCHEMA_NAME: string | null;
  readonly TABLE_NAME: string | null;
  readonly PIPE_CATALOG_NAME: string;
  readonly PIPE_SCHEMA_NAME: string | null;
  readonly PIPE_NAME: string | null;
  readonly PIPE_RECEIVED_TIME: Date;
  readonly FIRST_COMMIT_TIME: Date | null;
}

/** The column names of COPY_HISTORY, in Snowflake's order. */
export const COPY_HISTORY_COLUMNS = [
  "FILE_NAME",
  "STAGE_LOCATION",
  "LAST_LOAD_TIME",
  "ROW_COUNT",
  "ROW_PARSED",
  "FILE_SIZE",
  "FIRST_ERROR_MESSAGE",
  "FIRST_ERROR_LINE_NUMBER",
  "FIRST_ERROR_CHARACTER_POS",
  "FIRST_ERROR_COLUMN_NAME",
  "ERROR_COUNT",
  "ERROR_LIMIT",
  "STATUS",
  "TABLE_CATALOG_NAME",
  "TABLE_SCHEMA_NAME",
  "TABLE_NAME",
  "PIPE_CATALOG_NAME",
  "PIPE_SCHEMA_NAME",
  "PIPE_NAME",
  "PIPE_RECEIVED_TIME",
  "FIRST_COMMIT_TIME",
] as const satisfies readonly (keyof CopyHistoryRow)[];

const ISO = (column: string) => `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%fZ')`;

/** The query behind `copyHistory()`; `$1` filters on the table name (null for all). */
export function copyHistorySql(pipeSuffix: string): string {
  return `select
  file_name, stage_location, ${ISO("loaded_at")} as loaded_at, row_count::DOUBLE as row_count,
  row_parsed::DOUBLE as row_parsed, file_size::DOUBLE as file_size, first_error_message,
  first_error_line_number::DOUBLE as first_error_line_number, first_error_column_name,
  error_count::DOUBLE as error_count, error_limit::DOUBLE as error_limit, status,
  current_database() as catalog, table_schema, table_name,
  case when table_name is null then null else table_name || ${sqlString(pipeSuffix)} end as pipe_name,
  ${ISO("received_at")} as received_at
from ${HISTORY}
where $1::VARCHAR is null or table_name = $1::VARCHAR
order by loaded_at, file_name`;
}

const STATUS_WORDS: Record<LoadStatus, CopyHistoryRow["STATUS"]> = {
  LOADED: "Loaded",
  PARTIALLY_LOADED: "Partially loaded",
  LOAD_FAILED: "Load failed",
  SKIPPED: "Load skipped",
  // Snowpipe does not load a changed file either; it just does not say so. Snowflake's word for
  // a file not loaded, the reason in FIRST_ERROR_MESSAGE.
  CONFLICT: "Load skipped",
};

/** Maps one row of `copyHistorySql` to Snowflake's COPY_HISTORY shape. */
export function copyHistoryRow(row: Record<string, unknown>): CopyHistoryRow {
  const status = row.status as LoadStatus;
  const loaded = status === "LOADED" || status === "PARTIALLY_LOADED";
  const lastLoad = new Date(String(row.loaded_at));
  return {
    FILE_NAME: String(row.file_name),
    STAGE_LOCATION: String(row.stage_location),
    LAST_LOAD_TIME: lastLoad,
    ROW_COUNT: Number(row.row_count),
    ROW_PARSED: row.row_parsed === null ? null : Number(row.row_parsed),
    FILE_SIZE: Number(row.file_size),
    FIRST_ERROR_MESSAGE: (row.first_error_message as string | null) ?? null,
    FIRST_ERROR_LINE_NUMBER:
      row.first_error_line_number === null ? null : Number(row.first_error_line_number),
    // DuckDB does not report a character position; Snowflake leaves it null when unknown too.
    FIRST_ERROR_CHARACTER_POS: null,
    FIRST_ERROR_COLUMN_NAME: (row.first_error_column_name as string | null) ?? null,
    ERROR_COUNT: Number(row.error_count),
    ERROR_LIMIT: Number(row.error_limit),
    STATUS: STATUS_WORDS[status],
    TABLE_CATALOG_NAME: String(row.catalog),
    TABLE_SCHEMA_NAME: (row.table_schema as string | null) ?? null,
    TABLE_NAME: (row.table_name as string | null) ?? null,
    PIPE_CATALOG_NAME: String(row.catalog),
    PIPE_SCHEMA_NAME: (row.table_schema as string | null) ?? null,
    PIPE_NAME: (row.pipe_name as string | null) ?? null,
    PIPE_RECEIVED_TIME: new Date(String(row.received_at)),
    FIRST_COMMIT_TIME: loaded ? lastLoad : null,
  };
}
