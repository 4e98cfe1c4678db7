import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { openLocalPipe, PipeError } from "../../src/warehouse/index.js";
import { cli, cliAsync, tempDir } from "./run-cli.js";

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

// DuckDB names a file's catalog after its base name up to the first "." (".raw.duckdb" and
// "raw.db.duckdb" are catalog "raw") and matches catalogs and schemas without case, so
// "Raw.duckdb" makes `raw.sale_line` as ambiguous as "raw.duckdb" does. These passed the old
// check (the name less its last extension, with case), the file was created and the first
// statement failed with DuckDB's Binder Error (exit 1); "raw.duckdb" itself was exit 1 too.
test.each([
  ["raw.duckdb", "raw"],
  ["Raw.duckdb", "Raw"],
  ["PIPE.duckdb", "PIPE"],
  ["raw.db.duckdb", "raw"],
  [".raw.duckdb", "raw"],
])(
  "load --database %s (catalog %s, a pipe schema) exits 2 and creates nothing",
  async (name, catalog) => {
    const dir = tempDir("db-catalog");
    mkdirSync(join(dir, "lake"));
    const run = await cliAsync(["load", "--lake", "lake", "--database", `wh/${name}`], {
      cwd: dir,
      dir,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `retail-mds: --database: DuckDB would name the catalog of "<tmp>/wh/${name}" "${catalog}", which it matches (case aside) with the pipe's schema "${catalog.toLowerCase()}": name the file otherwise (e.g. retail.duckdb)`,
    );
    expect(readdirSync(dir)).toEqual(["lake"]);
  },
);

test("openLocalPipe refuses Raw.duckdb (DuckDB matches catalogs without case) and creates nothing", async () => {
  const dir = join(tempDir("pipe-catalog"), "wh");
  const attempt = openLocalPipe({ lake: join(dir, "lake"), database: join(dir, "Raw.duckdb") });
  await expect(attempt).rejects.toBeInstanceOf(PipeError);
  await expect(attempt).rejects.toThrow(/catalog .* "Raw"/);
  expect(existsSync(dir)).toBe(false);
});

test("a file whose catalog only contains a pipe schema's name is fine: my.raw.duckdb is catalog my", async () => {
  const dir = tempDir("db-catalog-ok");
  mkdirSync(join(dir, "lake"));
  const run = await cliAsync(["load", "--lake", "lake", "--database", "my.raw.duckdb"], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(0);
  expect(existsSync(join(dir, "my.raw.duckdb"))).toBe(true);
});
