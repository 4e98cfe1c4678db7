import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { command as load } from "../../src/cli/load-command.js";
import { collectReportData, openLocalPipe, renderReport } from "../../src/warehouse/index.js";
import { saleLinePath, saleLines, tempFolder, writeParquet } from "../warehouse/lake-fixture.js";

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await load.run(args), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

/** Flips one byte of the footer's `created_by` text: the file stays valid Parquet, same rows. */
function patchOneByte(file: string): void {
  const bytes = readFileSync(file);
  const at = bytes.lastIndexOf("DuckDB");
  expect(at).toBeGreaterThan(0);
  bytes[at] = "d".charCodeAt(0);
  writeFileSync(file, bytes);
}

async function rawCount(database: string, lake: string): Promise<number> {
  const pipe = await openLocalPipe({ lake, database });
  try {
    const rows = await pipe.query("select count(*)::INTEGER as n from raw.sale_line");
    return Number(rows[0]?.n);
  } finally {
    await pipe.close();
  }
}

test("a changed file under a loaded name is not loaded again: a conflict in the history, the summary (exit 1)", async () => {
  const root = tempFolder("changed");
  const lake = join(root, "lake");
  const database = join(root, "retail.duckdb");
  const file = await writeParquet(lake, saleLinePath(1), saleLines(5));
  await writeParquet(lake, saleLinePath(2), saleLines(3, 100));
  const args = ["--lake", lake, "--database", database];
  expect((await run(args)).code).toBe(0);

  patchOneByte(file);
  const second = await run(args);
  expect(second.code).toBe(1);
  expect(second.out.replaceAll(root, "<tmp>")).toMatchInlineSnapshot(`
    "CONFLICT         sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet  sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet: changed after it was loaded (loaded sha256 1d87fcc67ac1, now e02e69994e78); a path loads once, as on Snowpipe: put the loaded bytes back, or replace its rows with \`retail-mds load --reload sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet\` (pipe.reload)

    0 loaded, 0 partially loaded, 0 failed, 0 skipped, 1 conflict(s), 0 reloaded, 1 already loaded, 0 ignored; 0 rows into <tmp>/retail.duckdb
    conflict: a file changed after it was loaded is not loaded again (the path is its identity, as on Snowpipe); put its loaded bytes back, or replace its rows: retail-mds load --reload <path>"
  `);
  expect(await rawCount(database, lake)).toBe(8);

  // Never silently ignored: every later scan says it again, with exit 1.
  const third = await run(args);
  expect(third.code).toBe(1);
  expect(third.out).toContain("1 conflict");
  expect(await rawCount(database, lake)).toBe(8);

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
  const root = tempFolder("reload");
  const lake = join(root, "lake");
  const database = join(root, "retail.duckdb");
  await writeParquet(lake, saleLinePath(1), saleLines(5));
  await writeParquet(lake, saleLinePath(2), saleLines(3, 100));
  const args = ["--lake", lake, "--database", database];
  expect((await run(args)).code).toBe(0);

  // The operator fixes the file: two rows fewer, one changed.
  const fixed = saleLines(3);
  (fixed[0] as Record<string, unknown>).quantity = 7;
  await writeParquet(lake, saleLinePath(1), fixed);
  expect((await run(args)).code).toBe(1);

  const reloaded = await run([...args, "--reload", saleLinePath(1)]);
  expect(reloaded.code).toBe(0);
  expect(reloaded.out.replaceAll(root, "<tmp>")).toMatchInlineSnapshot(`
    "RELOADED         sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet  3 rows (replacing 5)

    0 loaded, 0 partially loaded, 0 failed, 0 skipped, 0 conflict(s), 1 reloaded, 2 already loaded, 0 ignored; 0 rows into <tmp>/retail.duckdb"
  `);
  expect((await run(args)).code).toBe(0);

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
  const root = tempFolder("reload-bad");
  const lake = join(root, "lake");
  await writeParquet(lake, saleLinePath(1), saleLines(2));
  const database = join(root, "retail.duckdb");
  const refusal = (path: string) =>
    run(["--lake", lake, "--database", database, "--reload", path]).then(
      () => "accepted",
      (e: unknown) => `${(e as Error).name}: ${(e as Error).message.replaceAll(root, "<tmp>")}`,
    );
  expect(await refusal(saleLinePath(9))).toMatchInlineSnapshot(
    `"UsageError: load: --reload "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00009.parquet": no such file in the lake "<tmp>/lake""`,
  );
  expect(await refusal("notes.txt")).toMatchInlineSnapshot(
    `"UsageError: load: --reload "notes.txt" is not a data file path: give the path relative to the lake, as \`load\` prints it (e.g. sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet)"`,
  );
  expect(existsSync(database)).toBe(false);
});
