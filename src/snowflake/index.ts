/**
 * Snowflake for retail-mds: injection-safe quoting, immutable DDL builders derived from the
 * entities, the Snowpipe auto-ingest plan for Azure, an executor over snowflake-sdk and pipe
 * monitoring. Build a plan (data), render it (text), execute it (I/O): three separate steps.
 * See docs/snowflake.md.
 * @module
 */
export { accountNamePrefix } from "./account-name-prefix.js";
export {
  type AlterPipeNode,
  pausePipeNode,
  refreshPipeNode,
  renderAlterPipe,
} from "./alter-pipe.js";
export { type AppliedStep, applyPlan, dryRun, PlanApplyError } from "./apply-plan.js";
export { type AzureLocation, azureUrl, isWithin, parseAzureUrl } from "./azure-location.js";
export {
  type ConnectionSettings,
  connectionFromEnv,
  connectTimeoutSeconds,
  DEFAULT_CONNECT_TIMEOUT_MS,
  SNOWFLAKE_ENV,
  type SnowflakeAuth,
} from "./connection-settings.js";
export {
  CopyIntoBuilder,
  type CopyNode,
  type CopyOptions,
  type CopySource,
  copyInto,
  type EntityCopySpec,
  entityCopy,
  renderCopy,
  renderCopySource,
  type SnowpipeOnError,
} from "./copy-into-builder.js";
export {
  createDatabase,
  DatabaseBuilder,
  type DatabaseNode,
  renderDatabase,
} from "./database-builder.js";
export { DdlError, type DdlLocation } from "./ddl-error.js";
export {
  type DdlNode,
  type RenderedStep,
  renderNode,
  renderPlan,
  renderSteps,
} from "./ddl-node.js";
export {
  CsvFileFormatBuilder,
  type CsvOptions,
  csvFileFormat,
  type FileFormatNode,
  JsonFileFormatBuilder,
  jsonFileFormat,
  LinesFileFormatBuilder,
  type LinesFileFormatNode,
  linesFileFormat,
  ParquetFileFormatBuilder,
  parquetFileFormat,
  renderFileFormat,
} from "./file-format-builder.js";
export {
  type IdentOptions,
  ident,
  objectName,
  type QualifiedName,
  qualified,
  storedName,
} from "./ident.js";
export {
  type LegacyLayoutCopySpec,
  legacyLayoutCopy,
  legacyLayoutFileFormat,
  legacyLayoutFilePattern,
  legacyLayoutFolder,
  legacyLayoutTableName,
  type SnowflakeLayout,
  snowflakeLegacyLayoutTable,
} from "./legacy-layout-ddl.js";
export { literal } from "./literal.js";
export {
  type ApplyMaskingNode,
  applyMasking,
  type MaskingPolicyNode,
  maskingFamily,
  maskingPolicy,
  renderApplyMasking,
  renderMaskingPolicy,
} from "./masking-policy.js";
export { type NoteNode, note, renderNote } from "./note-step.js";
export {
  assertOneIntegrationPerQueue,
  NotificationIntegrationBuilder,
  type NotificationIntegrationNode,
  notificationIntegration,
  renderNotificationIntegration,
} from "./notification-integration-builder.js";
export { createPipe, PipeBuilder, type PipeNode, renderPipe } from "./pipe-builder.js";
export {
  copyHistory,
  copyHistoryRowSchema,
  copyHistorySql,
  type PipeStatus,
  parseCopyHistory,
  parsePipeStatus,
  pipeStatus,
  pipeStatusSchema,
  pipeStatusSql,
  type RefreshedFile,
  refreshPipe,
  type SnowflakeCopyHistoryRow,
} from "./pipe-monitoring.js";
export { entityFilePattern, type LakeDataFormat } from "./pipe-pattern.js";
export {
  createTable,
  type RawLocation,
  rawTableName,
  renderTable,
  snowflakeRawTable,
  snowpipeMetadataColumns,
  TableBuilder,
  type TableColumn,
  type TableNode,
} from "./raw-table.js";
export {
  type GrantNode,
  type GrantTarget,
  grant,
  grantRole,
  type RoleNode,
  renderGrant,
  renderRole,
  role,
} from "./role-grants.js";
export {
  createSchema,
  renderSchema,
  SchemaBuilder,
  type SchemaNode,
  schemaName,
} from "./schema-builder.js";
export { SecretRedactor } from "./secret-redactor.js";
export { SnowflakeConnectError, type SnowflakeConnectFailure } from "./snowflake-connect-error.js";
export {
  type Row,
  SnowflakeExecutor,
  SnowflakeQueryError,
  type SqlRunner,
} from "./snowflake-executor.js";
export { snowflakeType } from "./snowflake-type.js";
export { type SnowpipeConfig, snowpipeConfigSchema, snowpipePlan } from "./snowpipe-plan.js";
export { createStage, renderStage, StageBuilder, type StageNode } from "./stage-builder.js";
export {
  allowsLocation,
  checkTenantId,
  renderStorageIntegration,
  StorageIntegrationBuilder,
  type StorageIntegrationNode,
  storageIntegration,
} from "./storage-integration-builder.js";
