import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { expect, test } from "vitest";
import { z } from "zod";
import { defineEntity, utcTimestamp } from "../../src/entities/index.js";
import { rawTable, rawTableSql } from "../../src/warehouse/index.js";
import { lakeSource } from "../../src/warehouse/lake-source.js";
import { loadHistorySql } from "../../src/warehouse/load-history.js";
import { loadParquetGroup } from "../../src/warehouse/parquet-group-loader.js";
import { tempFolder } from "./lake-fixture.js";

// A user's entity whose column names are the ones the group's insert uses for itself.
const shelfLabel = defineEntity({
  name: "shelf_label",
  description: "A printed shelf label.",
  partition: "day",
  eventTime: "printed_at",
  key: ["label_id"],
  schema: z.object({
    label_id: z.string(),
    path: z.string(),
    local_path: z.string(),
    printed_at: utcTimestamp(),
  }),
  docs: {
    label_id: { description: "Label." },
    path: { description: "Aisle path." },
    local_path: { description: "Path within the aisle." },
    printed_at: { description: "Printed, UTC." },
  },
});

async function writeLabels(lake: string, path: string, first: number, count: number) {
  const full = join(lake, ...path.split("/"));
  mkdirSync(dirname(full), { recursive: true });
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run(
    `copy (select 'L' || (i + ${first}) as label_id, 'aisle' as path, 'shelf' as local_path,
       TIMESTAMPTZ '2026-11-30 10:00:00+00' as printed_at from range(${count}) t(i))
     to '${full.replaceAll("'", "''")}' (format parquet)`,
  );
  c.closeSync();
  db.closeSync();
}

test("a group of Parquet files goes in with one insert, each row keeping its own file and row, even for an entity with columns named path and local_path", async () => {
  const root = tempFolder("parquet-group");
  const lake = join(root, "lake");
  const paths = [1, 2, 3].map((n) => `shelf_label/dt=2026-11-30/shelf_label-${n}.parquet`);
  for (const [i, path] of paths.entries()) await writeLabels(lake, path, i * 10, i + 2);
  const table = rawTable(shelfLabel);

  const db = await DuckDBInstance.create(":memory:");
  const connection = await DuckDBConnection.create(db);
  await connection.run("set TimeZone = 'UTC'; create schema raw");
  for (const statement of loadHistorySql()) await connection.run(statement);
  await connection.run(rawTableSql(table));
  const source = lakeSource(lake);
  const files = [];
  for (const path of paths) files.push(await source.stage(path));

  const loads = await loadParquetGroup({
    connection,
    files: files.map((f) => f ?? expect.fail("not staged")),
    table,
    onError: "abort_statement",
    stageLocation: source.url,
    receivedAt: new Date(),
  });
  // `undefined` would mean the group gave up and left the files to the slower per-file path.
  expect(loads?.map((l) => [l.file, l.status, l.rowsLoaded])).toEqual([
    [paths[0], "LOADED", 2],
    [paths[1], "LOADED", 3],
    [paths[2], "LOADED", 4],
  ]);
  const rows = (
    await connection.runAndReadAll(
      `select label_id, path, local_path, _source_file, _source_row::INTEGER as r from raw.shelf_label order by _source_file, _source_row`,
    )
  ).getRowObjectsJson();
  expect(
    rows.map((r) => `${r._source_file}#${r.r} ${r.label_id} ${r.path}/${r.local_path}`),
  ).toEqual([
    `${paths[0]}#1 L0 aisle/shelf`,
    `${paths[0]}#2 L1 aisle/shelf`,
    `${paths[1]}#1 L10 aisle/shelf`,
    `${paths[1]}#2 L11 aisle/shelf`,
    `${paths[1]}#3 L12 aisle/shelf`,
    `${paths[2]}#1 L20 aisle/shelf`,
    `${paths[2]}#2 L21 aisle/shelf`,
    `${paths[2]}#3 L22 aisle/shelf`,
    `${paths[2]}#4 L23 aisle/shelf`,
  ]);
  connection.closeSync();
  db.closeSync();
});
