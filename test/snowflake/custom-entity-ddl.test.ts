import { expect, test } from "vitest";
import { command as ddl } from "../../src/cli/ddl-command.js";
import { entities } from "../../src/entities/index.js";
import { dryRun, snowpipePlan } from "../../src/snowflake/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { writePriceChangeConfig } from "../fixtures/price-change-lake.js";
import { tempDir } from "../lake/temp-dir.js";

const azure = {
  account: "shoplake",
  container: "lake",
  queueUrl: "https://shoplake.queue.core.windows.net/lake-events",
  tenantId: "11111111-2222-3333-4444-555555555555",
};

const created = (text: string) =>
  text
    .split("\n")
    .filter((l) => /^CREATE (TABLE|PIPE) /.test(l))
    .map((l) => l.replace(/ \($/, ""));

function render(plan: ReturnType<typeof snowpipePlan>): string {
  let text = "";
  dryRun(plan, (chunk) => {
    text += chunk;
  });
  return text;
}

test("snowpipePlan({ entities: [priceChange] }) adds its table and pipes to the built-ins'; builtIns: false leaves them out", () => {
  const withBuiltIns = created(render(snowpipePlan({ ...azure, entities: [priceChange] })));
  expect(withBuiltIns).toContain("CREATE TABLE IF NOT EXISTS RETAIL.RAW.SALE_LINE");
  expect(withBuiltIns.filter((l) => l.includes("PRICE_CHANGE"))).toEqual([
    "CREATE TABLE IF NOT EXISTS RETAIL.RAW.PRICE_CHANGE",
    "CREATE TABLE IF NOT EXISTS RETAIL.RAW.PRICE_CHANGE_LEGACY",
    "CREATE PIPE IF NOT EXISTS RETAIL.RAW.PRICE_CHANGE_PIPE",
    "CREATE PIPE IF NOT EXISTS RETAIL.RAW.PRICE_CHANGE_LEGACY_PIPE",
  ]);
  // Listing the built-ins as well (a project config does) is the same plan.
  expect(
    render(snowpipePlan({ ...azure, entities: [...Object.values(entities), priceChange] })),
  ).toBe(render(snowpipePlan({ ...azure, entities: [priceChange] })));
  const alone = created(
    render(snowpipePlan({ ...azure, entities: [priceChange], builtIns: false })),
  );
  expect(alone.filter((l) => l.startsWith("CREATE TABLE"))).toEqual([
    "CREATE TABLE IF NOT EXISTS RETAIL.RAW.PRICE_CHANGE",
    "CREATE TABLE IF NOT EXISTS RETAIL.RAW.PRICE_CHANGE_LEGACY",
  ]);
});

test("retail-mds ddl prints the table and pipe of an entity registered in the config", async () => {
  const root = tempDir("rmds-ddl-");
  const config = writePriceChangeConfig(
    root,
    `azure: ${JSON.stringify(azure)}, snowflake: { database: "SHOP" }`,
  );
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    expect(await ddl.run(["--config", config])).toBe(0);
  } finally {
    process.stdout.write = write;
  }
  const lines = created(out);
  expect(lines).toContain("CREATE TABLE IF NOT EXISTS SHOP.RAW.PRICE_CHANGE");
  expect(lines).toContain("CREATE PIPE IF NOT EXISTS SHOP.RAW.PRICE_CHANGE_PIPE");
  expect(lines).toContain("CREATE PIPE IF NOT EXISTS SHOP.RAW.SALE_LINE_PIPE");
  expect(out).toContain("  CHANGED_AT TIMESTAMP_NTZ NOT NULL");
  expect(out).toContain("  NEW_PRICE NUMBER(12,2) NOT NULL");
});
