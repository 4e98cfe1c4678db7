import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";
import { type Entity, entities, saleLine } from "../../src/entities/index.js";
import {
  fileEncoder,
  lakePath,
  localStore,
  partitionOf,
  readLakeFile,
  windowToken,
} from "../../src/lake/index.js";
import { cliAsync } from "../integrity/run-cli.js";
import { customers, line, products, stores } from "./fixtures.js";

const window = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T09:00:00Z" };

async function put(
  root: string,
  entity: Entity,
  records: readonly object[],
  format: "parquet" | "csv" | "ndjson",
  seq = 1,
) {
  const encoder = fileEncoder({ format });
  const eventTime = entity.eventTime
    ? String((records[0] as Record<string, unknown>)[entity.eventTime])
    : undefined;
  const path = lakePath({
    feed: "data",
    entity: entity.name,
    ...partitionOf(entity.partition, eventTime),
    window: windowToken(window.from, window.to),
    seq,
    extension: encoder.extension,
  });
  await localStore(root).put(
    path,
    await encoder.encode(entity.columns, records as Record<string, unknown>[]),
  );
  return path;
}

// An asynchronous child: a test of several runs in a row must not block the worker.
async function cli(...args: string[]) {
  const result = await cliAsync(["quality", ...args]);
  return { code: result.code, out: result.stdout, err: result.stderr };
}

async function lake(bad: boolean) {
  const root = mkdtempSync(join(tmpdir(), "quality-cli-"));
  await put(root, entities.store, stores, "csv");
  await put(root, entities.product, products, "ndjson");
  await put(root, entities.customer, customers, "parquet");
  const lines = [
    line(1),
    line(2),
    line(3, bad ? { net_amount: "1.00" } : {}),
    line(4, bad ? { store_id: "S404" } : {}),
  ];
  const path = await put(root, saleLine, lines, "parquet");
  return { root, path };
}

test("a clean lake passes: exit 0 and a table per entity", async () => {
  const { root } = await lake(false);
  const { code, out } = await cli("--lake", root, "--entity", "sale_line");
  expect(code).toBe(0);
  expect(out.split("\n")[0]).toBe("sale_line: ok: 4 in, 4 passed, 0 quarantined");
});

test("failing error rules exit 1 and name the rules and keys; --json carries the same", async () => {
  const { root } = await lake(true);
  const { code, out } = await cli("--lake", root);
  expect(code).toBe(1);
  const failing = out
    .split("\n")
    .filter((l) => /\s[1-9]\d*\s{2}\S/.test(l) && !l.startsWith("rule"));
  expect(failing.join("\n")).toMatchInlineSnapshot(`
    "sale_line_net_amount_is_quantity_x_unit_price_minus_discount  error           4       3       1  T-S001-20261101-000003|1
    sale_line_vat_amount_within_net_amount                        error           4       3       1  T-S001-20261101-000003|1
    relationships_sale_line_store_id__store                       error           4       3       1  T-S001-20261101-000004|1"
  `);
  const json = await cli("--lake", root, "--json", "--entity", "sale_line");
  expect(json.code).toBe(1);
  const parsed = JSON.parse(json.out);
  expect([parsed.ok, parsed.reports[0].input, parsed.reports[0].quarantined]).toEqual([
    false,
    4,
    2,
  ]);
});

test("--quarantine moves failing records out of the data files, and a re-run is clean", async () => {
  const { root, path } = await lake(true);
  const moved = await cli("--lake", root, "--quarantine");
  expect(moved.code).toBe(1);
  expect(moved.out).toContain(
    "quarantined 2 record(s) into 1 file(s); rewrote 1 data file(s) (0 left with no records); the next `load` replaces their rows in the warehouse",
  );
  const { records } = await readLakeFile(localStore(root), path);
  expect(records.map((r) => r.transaction_id)).toEqual([
    line(1).transaction_id,
    line(2).transaction_id,
  ]);
  const again = await cli("--lake", root);
  expect(again.code).toBe(0);
  const store = localStore(root);
  const quarantined: string[] = [];
  for await (const o of store.list("_quarantine/")) quarantined.push(o.path);
  // The quarantined records, and the notice that lets a pipe replace the rewritten file's rows.
  expect(quarantined.sort()).toEqual([
    expect.stringMatching(
      /^_quarantine\/_rewrites\/sale_line\/dt=2026-11-01\/hour=08\/sale_line-20261101T0800Z-20261101T0900Z-00001\.parquet\.[0-9a-f]{64}\.json$/,
    ),
    "_quarantine/sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.ndjson",
  ]);
});

test("bad options exit 2 and name the option", async () => {
  // Without --lake, the config's lake.path: ./lake here, which this repository does not hold.
  const missing = await cli();
  expect(missing.code).toBe(2);
  expect(missing.err.split("\n")[0]).toBe(
    `retail-mds: quality: the lake folder ${JSON.stringify(resolve("lake"))} (lake.path of the config, default ./lake; or pass --lake) is not a folder`,
  );
  const entity = await cli("--lake", ".", "--entity", "sales");
  expect([entity.code, entity.err.trim()]).toMatchInlineSnapshot(`
    [
      2,
      "retail-mds: quality: --entity must be one of store, product, customer, sale_line, stock_movement, stock_snapshot; got "sales"",
    ]
  `);
  const notAFolder = await cli("--lake", "/nonexistent/lake");
  expect([notAFolder.code, notAFolder.err.trim()]).toMatchInlineSnapshot(`
    [
      2,
      "retail-mds: quality: --lake "/nonexistent/lake" is not a folder",
    ]
  `);
  const size = await cli("--lake", ".", "--sample-size", "many");
  expect([size.code, size.err.trim()]).toMatchInlineSnapshot(`
    [
      2,
      "retail-mds: --sample-size must be a whole number from 0 to 1000; got "many"",
    ]
  `);
});
