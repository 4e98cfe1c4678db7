import { z } from "zod";
import { refreshPipeNode, renderAlterPipe } from "./alter-pipe.js";
import { DdlError } from "./ddl-error.js";
import { type QualifiedName, qualified } from "./ident.js";
import { literal } from "./literal.js";
import type { Row, SqlRunner } from "./snowflake-executor.js";

const count = z.coerce.number().int().nonnegative();

/** SYSTEM$PIPE_STATUS, as documented; unknown fields are kept. */
export const pipeStatusSchema = z.looseObject({
  executionState: z.string(),
  pendingFileCount: count,
  lastIngestedTimestamp: z.string().optional(),
  lastIngestedFilePath: z.string().optional(),
  notificationChannelName: z.string().optional(),
  numOutstandingMessagesOnChannel: count.optional(),
  lastReceivedMessageTimestamp: z.string().optional(),
  lastForwardedMessageTimestamp: z.string().optional(),
  lastPulledFromChannelTimestamp: z.string().optional(),
  lastForwardedFilePath: z.string().optional(),
  error: z.string().optional(),
  fault: z.string().optional(),
});

/** The state of a pipe: RUNNING, PAUSED, STOPPED_..., its backlog and last activity. */
export type PipeStatus = z.infer<typeof pipeStatusSchema>;

/**
 * Parses the JSON text SYSTEM$PIPE_STATUS returns.
 * @throws DdlError if it is not JSON or lacks executionState / pendingFileCount.
 * @example
 * parsePipeStatus('{"executionState":"RUNNING","pendingFileCount":0}').executionState // RUNNING
 */
export function parsePipeStatus(json: string, pipe = "pipe"): PipeStatus {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new DdlError(`SYSTEM$PIPE_STATUS did not return JSON: ${json.slice(0, 200)}`, {
      object: "pipe",
      name: pipe,
    });
  }
  const parsed = pipeStatusSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DdlError(`unexpected SYSTEM$PIPE_STATUS: ${issue?.message}`, {
      object: "pipe",
      name: pipe,
      field: issue?.path.join("."),
    });
  }
  return parsed.data;
}

/** The SQL `pipeStatus()` runs. */
export function pipeStatusSql(pipe: QualifiedName): string {
  return `SELECT SYSTEM$PIPE_STATUS(${literal(qualified(pipe))}) AS STATUS`;
}

/**
 * The status of a pipe (SYSTEM$PIPE_STATUS), typed.
 * @example
 * const status = await pipeStatus(executor, { database: "RETAIL", schema: "RAW", name: "SALE_LINE_PIPE" });
 * if (status.executionState !== "RUNNING") alert(status);
 */
export async function pipeStatus(runner: SqlRunner, pipe: QualifiedName): Promise<PipeStatus> {
  const rows = await runner.query(pipeStatusSql(pipe));
  const text = rows[0]?.STATUS;
  if (typeof text !== "string")
    throw new DdlError("SYSTEM$PIPE_STATUS returned no row", { object: "pipe", name: pipe.name });
  return parsePipeStatus(text, pipe.name);
}

const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalCount = z.coerce
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? undefined);
const instant = z
  .union([z.date(), z.string(), z.object({ toJSON: z.function() }).loose()])
  .nullish();

/** One row of COPY_HISTORY, the load outcome of one file. */
export const copyHistoryRowSchema = z
  .looseObject({
    FILE_NAME: z.string(),
    STAGE_LOCATION: optionalText,
    LAST_LOAD_TIME: instant,
    ROW_COUNT: optionalCount,
    ROW_PARSED: optionalCount,
    FILE_SIZE: optionalCount,
    FIRST_ERROR_MESSAGE: optionalText,
    FIRST_ERROR_LINE_NUMBER: optionalCount,
    FIRST_ERROR_COLUMN_NAME: optionalText,
    ERROR_COUNT: optionalCount,
    ERROR_LIMIT: optionalCount,
    STATUS: z.string(),
    TABLE_NAME: optionalText,
    PIPE_NAME: optionalText,
    PIPE_RECEIVED_TIME: instant,
  })
  .transform((r) => ({
    fileName: r.FILE_NAME,
    stageLocation: r.STAGE_LOCATION,
    lastLoadTime: toIso(r.LAST_LOAD_TIME),
    rowCount: r.ROW_COUNT ?? 0,
    rowParsed: r.ROW_PARSED ?? 0,
    fileSize: r.FILE_SIZE,
    firstErrorMessage: r.FIRST_ERROR_MESSAGE,
    firstErrorLine: r.FIRST_ERROR_LINE_NUMBER,
    firstErrorColumn: r.FIRST_ERROR_COLUMN_NAME,
    errorCount: r.ERROR_COUNT ?? 0,
    errorLimit: r.ERROR_LIMIT,
    /** Loaded, Load failed, Partially loaded, Load in progress, Load skipped. */
    status: r.STATUS,
    tableName: r.TABLE_NAME,
    pipeName: r.PIPE_NAME,
    pipeReceivedTime: toIso(r.PIPE_RECEIVED_TIME),
  }));

/** A file's load outcome from COPY_HISTORY, with camelCase names. */
export type SnowflakeCopyHistoryRow = z.output<typeof copyHistoryRowSchema>;

function toIso(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value;
  const json = (value as { toJSON?: () => unknown }).toJSON?.();
  return typeof json === "string" ? json : String(value);
}

/** The SQL `copyHistory()` runs: the INFORMATION_SCHEMA.COPY_HISTORY table function. */
export function copyHistorySql(table: QualifiedName, startTime: string, endTime?: string): string {
  for (const [field, t] of [
    ["START_TIME", startTime],
    ["END_TIME", endTime],
  ] as const) {
    if (t !== undefined && Number.isNaN(Date.parse(t)))
      throw new DdlError(`${JSON.stringify(t)} is not an ISO instant`, {
        object: "copy history",
        name: table.name,
        field,
      });
  }
  const db = qualified(table).split(".")[0];
  const args = [
    `TABLE_NAME => ${literal(qualified(table))}`,
    `START_TIME => ${literal(new Date(startTime).toISOString())}::TIMESTAMP_LTZ`,
    ...(endTime ? [`END_TIME => ${literal(new Date(endTime).toISOString())}::TIMESTAMP_LTZ`] : []),
  ];
  return `SELECT * FROM TABLE(${db}.INFORMATION_SCHEMA.COPY_HISTORY(${args.join(", ")})) ORDER BY LAST_LOAD_TIME`;
}

/** Parses COPY_HISTORY rows as the driver returns them. */
export function parseCopyHistory(rows: readonly Row[]): SnowflakeCopyHistoryRow[] {
  return rows.map((row, i) => {
    const parsed = copyHistoryRowSchema.safeParse(row);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new DdlError(`row ${i + 1}: ${issue?.message}`, {
        object: "copy history",
        field: issue?.path.join("."),
      });
    }
    return parsed.data;
  });
}

/**
 * The load history of a table (files loaded, skipped or failed, by COPY or Snowpipe) since
 * `startTime` (at most 14 days back), typed.
 * @example
 * const failed = (await copyHistory(executor, table, "2026-11-24T00:00:00Z")).filter((r) => r.status !== "Loaded");
 */
export async function copyHistory(
  runner: SqlRunner,
  table: QualifiedName,
  startTime: string,
  endTime?: string,
): Promise<SnowflakeCopyHistoryRow[]> {
  return parseCopyHistory(await runner.query(copyHistorySql(table, startTime, endTime)));
}

/** A file queued by ALTER PIPE ... REFRESH. */
export interface RefreshedFile {
  readonly file: string;
  readonly status: string;
}

/**
 * Queues staged files the pipe has not loaded (ALTER PIPE ... REFRESH), e.g. after a recreate.
 * @example
 * await refreshPipe(executor, pipe, { modifiedAfter: "2026-11-24T00:00:00Z" });
 */
export async function refreshPipe(
  runner: SqlRunner,
  pipe: QualifiedName,
  options: { prefix?: string; modifiedAfter?: string } = {},
): Promise<RefreshedFile[]> {
  const rows = await runner.query(renderAlterPipe(refreshPipeNode(pipe, options)));
  return rows.map((r) => ({
    file: String(r.File ?? r.FILE ?? ""),
    status: String(r.Status ?? r.STATUS ?? ""),
  }));
}
