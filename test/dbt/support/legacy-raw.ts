// Fills raw.legacy_<layout> of a DuckDB file the way the pipe does: one row per physical line of
// each file, from rawLegacyLines, with the file's lake path and a load instant.
import { DuckDBInstance } from "@duckdb/node-api";
import type { LegacyLayout } from "../../../src/legacy/index.js";
import { rawLegacyLines } from "../../../src/legacy/index.js";

/** One legacy file of a layout as the lake holds it. */
export interface LegacyFileInput {
  readonly layout: LegacyLayout;
  /** Lake path, `legacy_raw/<layout>/<name>`: the `_source_file` of its rows. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** Creates raw.legacy_<layout> for every layout given (empty too) and appends the files' lines. */
export async function writeLegacyRaw(
  database: string,
  layouts: readonly LegacyLayout[],
  files: readonly LegacyFileInput[],
): Promise<void> {
  const instance = await DuckDBInstance.create(database);
  const connection = await instance.connect();
  try {
    await connection.run("create schema if not exists raw");
    for (const layout of layouts) {
      await connection.run(
        `create or replace table raw.legacy_${layout.name} (line_text varchar, _source_file varchar, _source_row bigint, _loaded_at timestamp)`,
      );
      await connection.run(
        "create or replace temp table staging (line_text varchar, _source_file varchar, _source_row bigint)",
      );
      const appender = await connection.createAppender("staging");
      for (const file of files.filter((f) => f.layout === layout)) {
        for (const { line, text } of rawLegacyLines(layout, file.bytes).lines) {
          appender.appendVarchar(text);
          appender.appendVarchar(file.path);
          appender.appendBigInt(BigInt(line));
          appender.endRow();
        }
      }
      appender.closeSync();
      await connection.run(
        `insert into raw.legacy_${layout.name} select *, timestamp '2026-11-03 06:00:00' from staging`,
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
