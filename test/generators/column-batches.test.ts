import { expect, test } from "vitest";
import {
  type Batch,
  type ColumnBatch,
  columnBatchRecords,
  isColumnBatch,
} from "../../src/entities/index.js";
import {
  createRetailSimulation,
  defineGenerator,
  type SimulationConfigInput,
} from "../../src/generators/index.js";
import { priceChange } from "../fixtures/price-change.js";

// `columnar: true`: the simulation's event batches as columns built from its event buffers. Each
// must mean exactly the record batch the record path yields at its position (every column of
// every row: a deep equality of whole records), with the same entity, window and boundaries.

const EVENTS = ["sale_line", "stock_movement", "stock_snapshot"];

/**
 * Compares the two streams position by position; returns the column batches' rows per entity
 * and the distinct channels and payment methods of their sale lines.
 */
function expectSameBatches(
  records: Iterable<Batch>,
  columns: Iterable<Batch | ColumnBatch>,
): { rows: Record<string, number>; channels: string[]; payments: string[] } {
  const expected = [...records];
  const actual = [...columns];
  expect(actual.length).toBe(expected.length);
  const rows: Record<string, number> = {};
  const channels = new Set<string>();
  const payments = new Set<string>();
  actual.forEach((batch, i) => {
    const want = expected[i] as Batch;
    expect(batch.entity.name).toBe(want.entity.name);
    expect(batch.window).toEqual(want.window);
    // Event batches are columns, every other batch stays records.
    expect(isColumnBatch(batch)).toBe(EVENTS.includes(want.entity.name));
    if (!isColumnBatch(batch)) {
      expect(batch.records).toEqual(want.records);
      return;
    }
    expect(batch.length).toBe(want.records.length);
    expect(batch.columns.length).toBe(batch.entity.columns.length);
    const got = columnBatchRecords(batch);
    expect(got).toEqual(want.records);
    rows[batch.entity.name] = (rows[batch.entity.name] ?? 0) + batch.length;
    if (batch.entity.name !== "sale_line") return;
    for (const line of got as { channel: string; payment_method: string }[]) {
      channels.add(line.channel);
      payments.add(line.payment_method);
    }
  });
  return { rows, channels: [...channels].sort(), payments: [...payments].sort() };
}

const CONFIGS: [string, SimulationConfigInput, number][] = [
  // Two days over the DST weekend in Europe: windows cross business days and their closes.
  [
    "2 days, 4 stores, DST",
    { seed: 3, from: "2026-03-28", days: 2, stores: 4, products: 60, traffic: 0.1 },
    97,
  ],
  [
    "another seed, tiny batches",
    { seed: 2_024, from: "2026-11-30", days: 2, stores: 3, products: 25, traffic: 0.05 },
    7,
  ],
  [
    "a shard of store groups",
    {
      seed: 11,
      from: "2026-11-01",
      days: 2,
      stores: 5,
      products: 40,
      traffic: 0.1,
      shard: { index: 2, count: 2 },
    },
    500,
  ],
  [
    "8 stores: every format, channel and payment method",
    { seed: 8, from: "2026-12-05", days: 1, stores: 8, products: 30, traffic: 0.05 },
    1_000,
  ],
  [
    "one big batch a window",
    { seed: 5, from: "2026-06-01", days: 1, stores: 2, products: 300, traffic: 0.2 },
    1_000_000,
  ],
];

test.each(CONFIGS)(
  "generate({ columnar: true }) yields what generate() does, as columns: %s",
  (_, config, batchSize) => {
    const { rows, channels, payments } = expectSameBatches(
      createRetailSimulation(config).generate({ batchSize }),
      createRetailSimulation(config).generate({ batchSize, columnar: true }),
    );
    // Every event entity went through the columnar path, not only a trivially empty one.
    for (const entity of EVENTS) expect(rows[entity] ?? 0).toBeGreaterThan(0);
    if (config.stores === 8) {
      expect(channels).toEqual(["drive", "store", "web"]);
      expect(payments).toEqual(["card", "cash", "gift_card", "mobile", "paypal"]);
    }
  },
);

test("tick windows of any length, in any order, give the record path's batches as columns, with validation on", () => {
  const config = { seed: 9, from: "2026-11-01", days: 3, stores: 3, products: 50, traffic: 0.1 };
  const windows: [string, string][] = [
    ["2026-11-02T09:00:00Z", "2026-11-02T09:05:00Z"], // a few minutes inside a day
    ["2026-11-01T21:00:00Z", "2026-11-02T03:00:00Z"], // over the first closes (local midnight)
    ["2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z"], // two whole days at once
    ["2026-11-03T12:00:00Z", "2026-11-03T12:00:00.001Z"], // one millisecond
  ];
  const records = createRetailSimulation(config);
  const columns = createRetailSimulation(config);
  let rows = 0;
  for (const [from, to] of windows) {
    const counted = expectSameBatches(
      records.tick(from, to, { batchSize: 333 }),
      columns.tick(from, to, { batchSize: 333, columnar: true, validate: true }),
    );
    rows += Object.values(counted.rows).reduce((n, r) => n + r, 0);
  }
  expect(rows).toBeGreaterThan(1_000);
});

test("with a custom generator, its batches stay records and it reads the same window's sales as columns give", () => {
  // A generator that writes one price change per window, derived from the window's sales, so a
  // difference in what it reads shows in its records.
  const derived = defineGenerator(priceChange, (ctx) => {
    const sale = ctx.sales.at(-1);
    return sale
      ? [
          {
            sku: sale.sku,
            store_id: sale.store_id,
            changed_at: sale.sold_at,
            old_price: sale.unit_price,
            new_price: sale.net_amount.startsWith("-") ? "0.00" : sale.vat_amount,
            reason: "markdown" as const,
          },
        ]
      : [];
  });
  const config = { seed: 4, from: "2026-11-30", days: 1, stores: 2, products: 20, traffic: 0.05 };
  const make = () => createRetailSimulation(config, { generators: [derived] });
  expectSameBatches(
    make().generate({ batchSize: 50 }),
    make().generate({ batchSize: 50, columnar: true }),
  );
  const custom = [...make().generate({ columnar: true })].filter(
    (b) => b.entity.name === "price_change",
  );
  expect(custom.length).toBeGreaterThan(0);
});
