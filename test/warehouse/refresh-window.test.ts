import { utimesSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { UsageError } from "../../src/cli/usage-error.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { saleLinePath, saleLines, tempFolder, writeCsv } from "./lake-fixture.js";
import { runLoad } from "./run-load.js";

const DAY = 86_400_000;

/** Three files; the first staged (last modified) ten days ago. */
function lake(): { root: string; lake: string; old: string } {
  const root = tempFolder("refresh-window");
  const lake = join(root, "lake");
  const old = writeCsv(lake, saleLinePath(1, "csv"), saleLines(2, 1));
  writeCsv(lake, saleLinePath(2, "csv"), saleLines(2, 10));
  writeCsv(lake, saleLinePath(3, "csv"), saleLines(2, 20));
  const tenDaysAgo = new Date(Date.now() - 10 * DAY);
  utimesSync(old, tenDaysAgo, tenDaysAgo);
  return { root, lake, old };
}

test("refresh loads files staged over 7 days ago, and names them: Snowflake's REFRESH would not", async () => {
  const { root, lake: folder } = lake();
  const pipe = await openLocalPipe({ lake: folder, database: join(root, "retail.duckdb") });
  const summary = await pipe.refresh();
  expect(summary.loaded).toBe(3);
  expect(summary.snowflakeWouldSkip).toEqual([saleLinePath(1, "csv")]);
  // Already loaded on the next scan: nothing to say about it any more.
  expect((await pipe.refresh()).snowflakeWouldSkip).toEqual([]);
  await pipe.close();
});

test("refresh({ modifiedAfter }) leaves older files out, as ALTER PIPE ... REFRESH MODIFIED_AFTER", async () => {
  const { root, lake: folder } = lake();
  const pipe = await openLocalPipe({ lake: folder, database: join(root, "retail.duckdb") });
  const summary = await pipe.refresh({ modifiedAfter: new Date(Date.now() - 7 * DAY) });
  expect([summary.loaded, summary.notQueued]).toEqual([2, [saleLinePath(1, "csv")]]);
  expect((await pipe.copyHistory()).map((r) => r.FILE_NAME)).not.toContain(saleLinePath(1, "csv"));
  await pipe.close();
});

test("retail-mds load says which files Snowflake's REFRESH would not load, and takes --modified-after", async () => {
  const { root, lake: folder } = lake();
  const database = join(root, "retail.duckdb");
  const first = await runLoad(["--lake", folder, "--database", database]);
  expect(first.code).toBe(0);
  expect(first.out.split("\n").filter((l) => l.includes("7 days"))).toMatchInlineSnapshot(`
    [
      "note: 1 of the files loaded were staged more than 7 days ago; ALTER PIPE ... REFRESH on Snowflake would not load them (use a one-off COPY INTO): sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.csv",
    ]
  `);
  const refused = runLoad([
    "--lake",
    folder,
    "--database",
    database,
    "--modified-after",
    "yesterday",
  ]);
  await expect(refused).rejects.toBeInstanceOf(UsageError);
  await expect(refused).rejects.toThrowErrorMatchingInlineSnapshot(
    `[UsageError: load: --modified-after must be an ISO 8601 date or instant with its offset (2026-11-20 or 2026-11-20T08:00:00Z); got "yesterday"]`,
  );

  const since = new Date(Date.now() - 7 * DAY).toISOString();
  const other = join(root, "other.duckdb");
  const windowed = await runLoad([
    "--lake",
    folder,
    "--database",
    other,
    "--modified-after",
    since,
  ]);
  expect(windowed.code).toBe(0);
  expect(windowed.out).toContain("1 file(s) last modified before --modified-after left out");
  expect(windowed.out).toContain("2 loaded, 0 partially loaded");
});
