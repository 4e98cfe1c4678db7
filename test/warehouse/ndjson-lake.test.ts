import { join } from "node:path";
import { expect, test } from "vitest";
import { entities } from "../../src/entities/index.js";
import { cli, tempDir } from "../integrity/run-cli.js";
import { queryWarehouse } from "../integrity/warehouse-query.js";

// `generate --format ndjson` and `--format parquet` of one seed hold the same records; loaded
// by the local pipe, their RAW tables must hold the same rows, value for value (decimals
// arrive as JSON strings in NDJSON, as typed decimals in Parquet). Only the file name differs.
const generation = [
  "--from",
  "2026-11-02",
  "--days",
  "1",
  "--stores",
  "2",
  "--products",
  "30",
  "--seed",
  "11",
];

function loadedLake(format: "parquet" | "ndjson"): string {
  const dir = tempDir(`ndjson-lake-${format}`);
  const lake = join(dir, "lake");
  const database = join(dir, "retail.duckdb");
  const generated = cli(["generate", "--out", lake, "--format", format, ...generation]);
  expect(generated.code, generated.stderr).toBe(0);
  const loaded = cli(["load", "--lake", lake, "--database", database]);
  expect(loaded.code, loaded.stderr).toBe(0);
  expect(loaded.stdout).toMatch(/ 0 failed, /);
  return database;
}

test("an NDJSON lake loads locally into the same RAW rows as the Parquet lake of the same seed", async () => {
  const parquet = loadedLake("parquet");
  const ndjson = loadedLake("ndjson");
  const tables = Object.values(entities).flatMap((e) => [e.name, `${e.name}_legacy`]);
  let rows = 0;
  for (const table of tables) {
    // Every column as text, the file name without its extension, the load time left out.
    const sql = `select * exclude (_loaded_at) replace (regexp_replace(_source_file, '[.](parquet|ndjson)$', '') as _source_file)
      from raw.${table} order by all`;
    const fromParquet = await queryWarehouse(parquet, sql);
    const fromNdjson = await queryWarehouse(ndjson, sql);
    expect(fromNdjson, table).toEqual(fromParquet);
    rows += fromParquet.length;
  }
  expect(rows).toBeGreaterThan(1000);
});
