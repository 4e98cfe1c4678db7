import { join } from "node:path";
import { expect, test } from "vitest";
import { LoadAbortedError, openLocalPipe } from "../../src/warehouse/index.js";
import {
  csvOf,
  saleLinePath,
  saleLines,
  tempFolder,
  writeBytes,
  writeCsv,
} from "./lake-fixture.js";

function lakeWithOneBadFile(): { root: string; lake: string } {
  const root = tempFolder();
  const lake = join(root, "lake");
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(2, 1));
  const rows = saleLines(4, 10);
  (rows[1] as Record<string, unknown>).line_no = "x";
  writeCsv(lake, saleLinePath(2, "csv"), rows);
  writeCsv(lake, saleLinePath(3, "csv"), saleLines(3, 20));
  return { root, lake };
}

test("ON_ERROR = CONTINUE loads the good rows of a file and counts the bad ones", async () => {
  const { root, lake } = lakeWithOneBadFile();
  const pipe = await openLocalPipe({
    lake,
    database: join(root, "retail.duckdb"),
    onError: "continue",
  });
  const summary = await pipe.refresh();
  expect([
    summary.loaded,
    summary.partiallyLoaded,
    summary.rowsLoaded,
    summary.rowsRejected,
  ]).toEqual([2, 1, 8, 1]);
  const partial = (await pipe.copyHistory()).find((r) => r.STATUS === "Partially loaded");
  expect(partial).toMatchObject({
    ROW_COUNT: 3,
    ROW_PARSED: 4,
    ERROR_COUNT: 1,
    ERROR_LIMIT: 4,
    FIRST_ERROR_LINE_NUMBER: 3,
    FIRST_ERROR_COLUMN_NAME: "line_no",
  });
  const rows = await pipe.query(
    `select _source_row::INTEGER as r from raw.sale_line where _source_file = '${saleLinePath(2, "csv")}' order by 1`,
  );
  expect(rows.map((r) => r.r)).toEqual([1, 3, 4]);
  await pipe.close();
});

test("ON_ERROR = SKIP_FILE (the default) loads nothing of a file with one bad row", async () => {
  const { root, lake } = lakeWithOneBadFile();
  const pipe = await openLocalPipe({ lake, database: join(root, "retail.duckdb") });
  const summary = await pipe.refresh();
  expect([summary.loaded, summary.failed, summary.rowsLoaded, summary.rowsRejected]).toEqual([
    2, 1, 5, 4,
  ]);
  await pipe.close();
});

test("ON_ERROR = ABORT_STATEMENT stops at the first failing file and records it", async () => {
  const { root, lake } = lakeWithOneBadFile();
  const pipe = await openLocalPipe({
    lake,
    database: join(root, "retail.duckdb"),
    onError: "abort_statement",
  });
  const error = await pipe.refresh().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LoadAbortedError);
  expect((error as LoadAbortedError).file).toBe(saleLinePath(2, "csv"));
  expect((error as Error).message).toMatchInlineSnapshot(
    `"load aborted (ON_ERROR = ABORT_STATEMENT): sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.csv: row 2, column "line_no": "x" is not a valid INTEGER"`,
  );
  expect((await pipe.copyHistory()).map((r) => r.STATUS)).toEqual(["Loaded", "Load failed"]);
  expect(Number((await pipe.query("select count(*)::INTEGER as n from raw.sale_line"))[0]?.n)).toBe(
    2,
  );
  await pipe.close();
});

test("a file with a structural error fails whole even under CONTINUE", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  const text = csvOf(saleLines(2));
  writeBytes(lake, saleLinePath(1, "csv"), `${text}T-S001-20261101-000009,1\r\n`);
  const pipe = await openLocalPipe({
    lake,
    database: join(root, "retail.duckdb"),
    onError: "continue",
  });
  const summary = await pipe.refresh();
  expect([summary.failed, summary.rowsLoaded]).toEqual([1, 0]);
  const [row] = await pipe.copyHistory();
  expect([row?.FIRST_ERROR_LINE_NUMBER, row?.FIRST_ERROR_MESSAGE]).toMatchInlineSnapshot(`
    [
      4,
      "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.csv: Invalid Input Error: CSV Error on Line: 4; T-S001-20261101-000009,1; Expected Number of Columns: 14 Found: 2",
    ]
  `);
  await pipe.close();
});
