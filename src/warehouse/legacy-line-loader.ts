import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { DuckDBTimestampValue } from "@duckdb/node-api";
import { LegacyFileError, rawLegacyLines } from "../legacy/index.js";
import type { FileLoadRequest, LoadOutcome } from "./file-loader.js";
import { PipeError } from "./pipe-error.js";
import type { LegacyRawTable } from "./raw-table.js";

/**
 * Appends one row per physical line of a legacy file to its layout's RAW table, inside the
 * caller's transaction: `line_text`, the lake path, the line number and the scan's start, as the
 * Snowflake pipe's `COPY ... SELECT $1, METADATA$FILENAME, METADATA$FILE_ROW_NUMBER,
 * METADATA$START_SCAN_TIME` does. The bytes are read in Node (DuckDB's CSV reader cannot take a
 * file as lines without a delimiter), so no path reaches DuckDB.
 * @throws PipeError when the bytes are not those the pipe hashed, or not gzip as declared.
 */
export async function loadLegacyLines(
  request: FileLoadRequest,
  table: LegacyRawTable,
  scanAt: Date,
): Promise<LoadOutcome> {
  const { connection, file } = request;
  const bytes = await readFile(file.localPath);
  // The history records the hash staged; rows of other bytes must not go in under it.
  if (createHash("sha256").update(bytes).digest("hex") !== file.contentHash) {
    throw new PipeError("changed while it was being loaded: run the load again", {
      file: file.path,
    });
  }
  let lines: ReturnType<typeof rawLegacyLines>["lines"];
  try {
    ({ lines } = rawLegacyLines(table.layout, bytes));
  } catch (error) {
    if (!(error instanceof LegacyFileError)) throw error;
    throw new PipeError(
      `${error.reason}: layout ${table.layout.name} says ${table.layout.compression}; ${error.message}`,
      { file: file.path },
    );
  }
  const appender = await connection.createAppender(table.name, table.schema);
  const loadedAt = new DuckDBTimestampValue(BigInt(scanAt.getTime()) * 1000n);
  try {
    for (const line of lines) {
      appender.appendVarchar(line.text);
      appender.appendVarchar(file.path);
      appender.appendBigInt(BigInt(line.line));
      appender.appendTimestamp(loadedAt);
      appender.endRow();
    }
  } finally {
    appender.closeSync();
  }
  // Every line is a row: the lossy decode has no bad row to skip, whatever ON_ERROR says.
  return {
    status: "LOADED",
    rowsParsed: lines.length,
    rowsLoaded: lines.length,
    errorCount: 0,
    firstError: undefined,
  };
}
