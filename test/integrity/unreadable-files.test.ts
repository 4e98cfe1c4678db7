import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { LakeReadError, localStore, readLakeFile } from "../../src/lake/index.js";
import { checkLake } from "../../src/quality/index.js";
import { saleLinePath, tempFolder, writeBytes } from "../warehouse/lake-fixture.js";
import { cli } from "./run-cli.js";
import { writeSaleLineLake } from "./sale-line-lake.js";

// Issue 12 item 5: quality stopped at the first unreadable file with a decoder's message and no
// file name. It must name each unreadable file, check the rest, and exit 1.

/** A lake of 10 good rows in five files, then two of them broken. */
async function lakeWithBrokenFiles() {
  const lake = join(tempFolder("unreadable"), "lake");
  await writeSaleLineLake(lake, 1);
  // A Parquet file whose footer is intact but whose first page header is garbage.
  const parquet = join(lake, ...saleLinePath(1).split("/"));
  const bytes = readFileSync(parquet);
  bytes.fill(0xff, 4, 34);
  writeFileSync(parquet, bytes);
  // A CSV row with a field too few.
  writeBytes(lake, saleLinePath(3, "csv"), "transaction_id,line_no\r\nT-1\r\n");
  return lake;
}

test("readLakeFile names the file in every decoding failure (a LakeReadError)", async () => {
  const lake = await lakeWithBrokenFiles();
  const failure = await readLakeFile(localStore(lake), saleLinePath(1)).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(LakeReadError);
  expect((failure as LakeReadError).file).toBe(saleLinePath(1));
  expect((failure as Error).message.startsWith(`${saleLinePath(1)}: `)).toBe(true);
});

test("checkLake reports each unreadable file and checks the others", async () => {
  const lake = await lakeWithBrokenFiles();
  const result = await checkLake(localStore(lake), { entity: "sale_line" });
  expect(result.ok).toBe(false);
  expect(result.unreadable.map((u) => u.file)).toEqual([saleLinePath(1), saleLinePath(3, "csv")]);
  expect(result.reports[0]?.input).toBe(6);
});

test("retail-mds quality names each unreadable file, goes on, exits 1, no stack trace", async () => {
  const lake = await lakeWithBrokenFiles();
  const run = cli(["quality", "--lake", lake, "--entity", "sale_line"]);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe("");
  const lines = run.stdout.split("\n");
  expect(lines[0]).toBe("sale_line: ok: 6 in, 6 passed, 0 quarantined");
  const unreadable = lines.filter((l) => l.startsWith("unreadable "));
  expect(unreadable).toHaveLength(2);
  expect(unreadable[0]).toMatch(
    /^unreadable {3}sale_line\/dt=2026-11-01\/hour=08\/sale_line-20261101T0800Z-20261101T0900Z-00001\.parquet: /,
  );
  expect(unreadable[1]).toMatchInlineSnapshot(
    `"unreadable   sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00003.csv: has columns [transaction_id, line_no], expected [transaction_id, line_no, sold_at, store_id, sku, customer_id, quantity, unit_price, discount_amount, net_amount, vat_amount, payment_method, channel, currency]"`,
  );
  const json = cli(["quality", "--lake", lake, "--entity", "sale_line", "--json"]);
  expect(json.code).toBe(1);
  expect(
    (JSON.parse(json.stdout) as { unreadable: { file: string }[] }).unreadable.map((u) => u.file),
  ).toEqual([saleLinePath(1), saleLinePath(3, "csv")]);
});

// Found by the audit: an empty CSV (a feed's export that wrote nothing) was reported by quality as
// "has columns [], expected [...]", as if it had a header of no names; `load` says it is empty.
test("an empty CSV is reported as empty, expecting a header line", async () => {
  const lake = join(tempFolder("unreadable-empty"), "lake");
  writeBytes(lake, saleLinePath(1, "csv"), "");
  const failure = await readLakeFile(localStore(lake), saleLinePath(1, "csv")).catch(
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(LakeReadError);
  expect((failure as Error).message).toMatchInlineSnapshot(
    `"sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.csv: is empty: expected a header line naming [transaction_id, line_no, sold_at, store_id, sku, customer_id, quantity, unit_price, discount_amount, net_amount, vat_amount, payment_method, channel, currency]"`,
  );
});
