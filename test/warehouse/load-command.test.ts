import { join } from "node:path";
import { expect, test } from "vitest";
import { command as load } from "../../src/cli/load-command.js";
import { UsageError } from "../../src/cli/usage-error.js";
import { saleLinePath, saleLines, tempFolder, writeBytes, writeCsv } from "./lake-fixture.js";
import { runLoad as run } from "./run-load.js";

test("retail-mds load scans the lake, prints what loaded and failed, and exits 1 on a failed file", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(2));
  writeBytes(lake, saleLinePath(2, "csv"), "nope\r\n");
  const args = ["--lake", lake, "--database", join(root, "wh", "retail.duckdb")];
  const first = await run(args);
  expect(first.code).toBe(1);
  expect(first.out.replaceAll(root, "<tmp>")).toMatchInlineSnapshot(`
    "LOADED           sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.csv  2 rows
    LOAD_FAILED      sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.csv  sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.csv: wrong columns: missing column(s) "transaction_id", "line_no", "sold_at", "store_id", "sku", "customer_id", "quantity", "unit_price", "discount_amount", "net_amount", "vat_amount", "payment_method", "channel", "currency"; column(s) "nope" not in entity "sale_line"

    1 loaded, 0 partially loaded, 1 failed, 0 skipped, 0 conflict(s), 0 reloaded, 0 already loaded, 0 ignored; 2 rows into <tmp>/wh/retail.duckdb
    failed: a failed file stays failed until its bytes change; fix it and run load again"
  `);
  // The failed file stays failed in every later summary, with exit 1, until its bytes change.
  const second = await run(args);
  expect(second.code).toBe(1);
  expect(second.out).toContain("0 loaded, 0 partially loaded, 1 failed, 0 skipped");
  expect(second.out).toContain("1 already loaded");
  writeCsv(lake, saleLinePath(2, "csv"), saleLines(3, 10));
  const fixed = await run(args);
  expect(fixed.code).toBe(0);
  expect(fixed.out).toContain("1 loaded, 0 partially loaded, 0 failed");
});

test("retail-mds load refuses an unknown ON_ERROR and a missing lake", async () => {
  await expect(load.run(["--on-error", "ignore"])).rejects.toThrowErrorMatchingInlineSnapshot(
    `[UsageError: load: --on-error must be one of skip_file, continue, abort_statement; got "ignore"]`,
  );
  await expect(load.run(["--lake", "/nowhere/lake"])).rejects.toBeInstanceOf(UsageError);
});
