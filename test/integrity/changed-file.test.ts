import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { collectReportData, openLocalPipe, renderReport } from "../../src/warehouse/index.js";
import { saleLinePath, saleLines, writeParquet } from "../warehouse/lake-fixture.js";
import { runLoad } from "../warehouse/run-load.js";
import { cli, tempDir } from "./run-cli.js";
import { queryWarehouse } from "./warehouse-query.js";

async function load(root: string, args: readonly string[]) {
  const run = await runLoad(args);
  return { ...run, out: run.out.replaceAll(root, "<tmp>") };
}

/** Flips one byte of the footer's `created_by` text: the file stays valid Parquet, same rows. */
function patchOneByte(file: string): void {
  const bytes = readFileSync(file);
  const at = bytes.lastIndexOf("DuckDB");
  expect(at).toBeGreaterThan(0);
  bytes[at] = "d".charCodeAt(0);
  writeFileSync(file, bytes);
}

async function rawCount(database: string): Promise<number> {
  const rows = await queryWarehouse(database, "select count(*)::INTEGER as n from raw.sale_line");
  return Number(rows[0]?.n);
}

test("a changed file under a loaded name is not loaded again: a conflict in the history, the summary (exit 1)", async () => {
  const root = tempDir("changed");
  const lake = join(root, "lake");
  const database = join(root, "retail.duckdb");
  const file = await writeParquet(lake, saleLinePath(1), saleLines(5));
  await writeParquet(lake, saleLinePath(2), saleLines(3, 100));
  const args = ["--lake", lake, "--database", database];
  expect((await load(root, args)).code).toBe(0);

  patchOneByte(file);
  const second = await load(root, args);
  expect(second.code).toBe(1);
  expect(second.out).toMatchInlineSnapshot(`
    "CONFLICT         sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet  sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet: changed after it was loaded (loaded sha256 1d87fcc67ac1, now e02e69994e78); a path loads once, as on Snowpipe: put the loaded bytes back, or replace its rows with \`retail-mds load --reload sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet\` (pipe.reload)

    0 loaded, 0 partially loaded, 0 failed, 0 skipped, 1 conflict(s), 0 reloaded, 1 already loaded, 0 ignored; 0 rows into <tmp>/retail.duckdb
    conflict: a file changed after it was loaded is not loaded again (the path is its identity, as on Snowpipe); put its loaded bytes back, or replace its rows: retail-mds load --reload <path>"
  `);
  expect(await rawCount(database)).toBe(8);

  // Never silently ignored: every later scan says it again, with exit 1.
  const third = await load(root, args);
  expect(third.code).toBe(1);
  expect(third.out).toContain("1 conflict");
  expect(await rawCount(database)).toBe(8);

  const pipe = await openLocalPipe({ lake, database });
  const history = await pipe.query(
    "select file_name, status, row_count::INTEGER as n from pipe.load_history order by loaded_at, file_name",
  );
  expect(history.map((r) => [r.file_name, r.status, r.n])).toEqual([
    [saleLinePath(1), "LOADED", 5],
    [saleLinePath(2), "LOADED", 3],
    [saleLinePath(1), "CONFLICT", 0],
  ]);
  // The HTML report lists it under the files not loaded, with the reason.
  const html = renderReport(await collectReportData(pipe.query));
  const notLoaded = html.slice(html.indexOf("Files not loaded"));
  expect(notLoaded).toContain(saleLinePath(1));
  expect(notLoaded).toContain("CONFLICT");
  expect(notLoaded).toContain("changed after it was loaded");
  await pipe.close();
});

test("load --reload <path> replaces the file's earlier rows with its current ones, once", async () => {
  const root = tempDir("reload");
  const lake = join(root, "lake");
  const database = join(root, "retail.duckdb");
  await writeParquet(lake, saleLinePath(1), saleLines(5));
  await writeParquet(lake, saleLinePath(2), saleLines(3, 100));
  const args = ["--lake", lake, "--database", database];
  expect((await load(root, args)).code).toBe(0);

  // The operator fixes the file: two rows fewer, one changed.
  const fixed = saleLines(3);
  (fixed[0] as Record<string, unknown>).quantity = 7;
  await writeParquet(lake, saleLinePath(1), fixed);
  expect((await load(root, args)).code).toBe(1);

  const reloaded = await load(root, [...args, "--reload", saleLinePath(1)]);
  expect(reloaded.code).toBe(0);
  expect(reloaded.out).toMatchInlineSnapshot(`
    "RELOADED         sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet  3 rows (replacing 5)

    0 loaded, 0 partially loaded, 0 failed, 0 skipped, 0 conflict(s), 1 reloaded, 1 already loaded, 0 ignored; 3 rows into <tmp>/retail.duckdb"
  `);
  expect((await load(root, args)).code).toBe(0);

  const pipe = await openLocalPipe({ lake, database });
  const rows = await pipe.query(
    `select quantity, _source_row::INTEGER as r from raw.sale_line where _source_file = '${saleLinePath(1)}' order by r`,
  );
  expect(rows.map((r) => [r.quantity, r.r])).toEqual([
    [7, 1],
    [2, 2],
    [2, 3],
  ]);
  expect((await pipe.copyHistory()).map((r) => [r.FILE_NAME, r.STATUS, r.ROW_COUNT])).toEqual([
    [saleLinePath(2), "Loaded", 3],
    [saleLinePath(1), "Loaded", 3],
  ]);

  // The library call an operator scripts: same effect, same result shape.
  const again = await pipe.reload(saleLinePath(1));
  expect([again.status, again.rowsLoaded, again.rowsReplaced]).toEqual(["LOADED", 3, 3]);
  expect(Number((await pipe.query("select count(*)::INTEGER as n from raw.sale_line"))[0]?.n)).toBe(
    6,
  );
  await pipe.close();
});

test("load --reload refuses a path that is not a data file of the lake (exit 2, nothing written)", async () => {
  const root = tempDir("reload-bad");
  const lake = join(root, "lake");
  await writeParquet(lake, saleLinePath(1), saleLines(2));
  const database = join(root, "retail.duckdb");
  const refusal = (path: string) => {
    // The real command: a refusal is exit 2 from the process, before anything is written.
    const run = cli(["load", "--lake", lake, "--database", database, "--reload", path], {
      dir: root,
    });
    return [run.code, run.stderr];
  };
  expect(refusal(saleLinePath(9))).toMatchInlineSnapshot(`
    [
      2,
      "retail-mds: load: --reload "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00009.parquet": no such file in the lake "<tmp>/lake"",
    ]
  `);
  expect(refusal("notes.txt")).toMatchInlineSnapshot(`
    [
      2,
      "retail-mds: load: --reload "notes.txt" is not a data file path: give the path relative to the lake, as \`load\` prints it (e.g. sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet, or legacy_raw/<layout>/<file>)",
    ]
  `);
  expect(existsSync(database)).toBe(false);
});
