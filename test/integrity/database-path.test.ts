import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { openLocalPipe, PipeError } from "../../src/warehouse/index.js";
import { cli, tempDir } from "./run-cli.js";

// DuckDB writes a database's write-ahead log at the path cut at its first "?" plus ".wal"
// (".../a?b/w.duckdb" -> ".../a.wal?b/w.duckdb", duckdb/duckdb#13472), so the first commit
// fails after the file was created. A project folder named "shop?" (init + demo) hit it.
// Refused up front, naming the path, before anything is written.

test('load --database under a folder holding "?" exits 2 and creates nothing', () => {
  const dir = tempDir("db-question");
  mkdirSync(join(dir, "lake"));
  const run = cli(["load", "--lake", "lake", "--database", "w?x/retail.duckdb"], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(
    'retail-mds: --database: DuckDB cannot keep a database at a path holding "?" ("<tmp>/w?x/retail.duckdb"): it would write its log at the path cut at the "?" (duckdb/duckdb#13472); choose a path without "?"',
  );
  expect(readdirSync(dir)).toEqual(["lake"]);
});

test('demo run in a project folder holding "?" exits 2 before generating anything', () => {
  const dir = join(tempDir("demo-question"), "shop?");
  mkdirSync(dir);
  const run = cli(["demo", "--days", "1", "--stores", "1", "--products", "6", "--skip-dbt"], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(
    'retail-mds: --warehouse: DuckDB cannot keep a database at a path holding "?" ("<tmp>/warehouse/retail.duckdb")',
  );
  expect(readdirSync(dir)).toEqual([]);
});

test('openLocalPipe refuses a database path holding "?" with a PipeError, creating nothing', async () => {
  const dir = join(tempDir("pipe-question"), "a?b");
  const attempt = openLocalPipe({ lake: join(dir, "lake"), database: join(dir, "w.duckdb") });
  await expect(attempt).rejects.toBeInstanceOf(PipeError);
  await expect(attempt).rejects.toThrow(/path holding "\?"/);
  expect(existsSync(dir)).toBe(false);
});

test("demo --warehouse <relative folder> puts retail.duckdb in that folder, not in <folder>/<folder>", () => {
  const dir = tempDir("demo-warehouse");
  const run = cli(
    ["demo", "--days", "1", "--stores", "1", "--products", "6", "--skip-dbt", "--warehouse", "wh"],
    { cwd: dir, dir },
  );
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("warehouse: <tmp>/wh/retail.duckdb");
  expect(existsSync(join(dir, "wh", "retail.duckdb"))).toBe(true);
  expect(existsSync(join(dir, "wh", "wh"))).toBe(false);
});
