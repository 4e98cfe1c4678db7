import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import {
  collectReportData,
  LoadAbortedError,
  openLocalPipe,
  PipeError,
} from "../../src/warehouse/index.js";
import { saleLinePath, saleLines, tempFolder, writeCsv } from "./lake-fixture.js";
import { runLoad } from "./run-load.js";

/** As the CLI: its exit code and output, or the error it stops with (abort_statement). */
function run(args: string[]): Promise<{ code: number; out: string; error?: unknown }> {
  return runLoad(args).catch((error: unknown) => ({ code: -1, out: "", error }));
}

function lakeWithABadFile(): { root: string; lake: string; database: string } {
  const root = tempFolder("failed");
  const lake = join(root, "lake");
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(2, 1));
  const rows = saleLines(3, 10);
  (rows[1] as Record<string, unknown>).quantity = "two";
  writeCsv(lake, saleLinePath(2, "csv"), rows);
  writeCsv(lake, saleLinePath(3, "csv"), saleLines(3, 20));
  return { root, lake, database: join(root, "retail.duckdb") };
}

test("after --on-error abort_statement a rerun still stops at the failed file, until it is fixed", async () => {
  const { lake, database } = lakeWithABadFile();
  const args = ["--lake", lake, "--database", database, "--on-error", "abort_statement"];
  const first = await run(args);
  expect(first.error).toBeInstanceOf(LoadAbortedError);
  const second = await run(args);
  expect(second.error).toBeInstanceOf(LoadAbortedError);
  expect((second.error as LoadAbortedError).file).toBe(saleLinePath(2, "csv"));
  expect((second.error as Error).message).toContain('column "quantity"');

  // Fixed: the new bytes load (nothing of the failed version was loaded), then the rest.
  writeCsv(lake, saleLinePath(2, "csv"), saleLines(3, 10));
  const fixed = await run(args);
  expect(fixed.code).toBe(0);
  expect(fixed.out).toContain("2 loaded, 0 partially loaded, 0 failed");
  const pipe = await openLocalPipe({ lake, database });
  expect(Number((await pipe.query("select count(*)::INTEGER as n from raw.sale_line"))[0]?.n)).toBe(
    8,
  );
  expect((await pipe.copyHistory()).map((r) => r.STATUS)).toEqual([
    "Loaded",
    "Load failed",
    "Loaded",
    "Loaded",
  ]);
  // The report's "Files not loaded" no longer lists it: it is loaded now.
  const report = await collectReportData(pipe.query);
  expect(report.failedFiles).toEqual([]);
  await pipe.close();
});

test("a failed file stays failed in every later summary (exit 1), not 'already loaded'", async () => {
  const { root, lake, database } = lakeWithABadFile();
  const args = ["--lake", lake, "--database", database];
  expect((await run(args)).code).toBe(1);
  const second = await run(args);
  expect(second.code).toBe(1);
  expect(second.out.replaceAll(root, "<tmp>")).toMatchInlineSnapshot(`
    "LOAD_FAILED      sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.csv  sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.csv: row 2, column "quantity": "two" is not a valid INTEGER (unchanged since)

    0 loaded, 0 partially loaded, 1 failed, 0 skipped, 0 conflict(s), 0 reloaded, 2 already loaded, 0 ignored; 0 rows into <tmp>/retail.duckdb
    failed: a failed file stays failed until its bytes change; fix it and run load again"
  `);

  const pipe = await openLocalPipe({ lake, database });
  const summary = await pipe.refresh();
  expect([summary.failed, summary.alreadyLoaded, summary.loaded]).toEqual([1, 2, 0]);
  const failed = summary.files.find((f) => f.status === "LOAD_FAILED");
  expect(failed?.firstError?.message).toContain('"two" is not a valid INTEGER');
  await pipe.close();
});

// Found by the audit from the package, in plain JavaScript: onError "CONTINUE" (Snowflake's
// spelling) or any other string was taken, and the pipe then skipped a file with one bad row
// whole (as skip_file) while its history said on_error "CONTINUE". Refused up front now.
test.each(["CONTINUE", "ignore"])(
  "openLocalPipe refuses onError %j naming the option and the values it takes, creating nothing",
  async (onError) => {
    const { root, lake } = lakeWithABadFile();
    const database = join(root, "wh", "retail.duckdb");
    const attempt = openLocalPipe({ lake, database, onError: onError as "continue" });
    await expect(attempt).rejects.toBeInstanceOf(PipeError);
    await expect(attempt).rejects.toThrow(
      `onError must be one of skip_file, continue, abort_statement (Snowflake's ON_ERROR, in lower case); got "${onError}"`,
    );
    expect(existsSync(join(root, "wh"))).toBe(false);
  },
);
