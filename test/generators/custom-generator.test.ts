import { join } from "node:path";
import fc from "fast-check";
import { expect, expectTypeOf, test } from "vitest";
import { command as generate } from "../../src/cli/generate-command.js";
import { command as load } from "../../src/cli/load-command.js";
import { resolveConfig } from "../../src/config/index.js";
import type { Batch } from "../../src/entities/index.js";
import {
  createRetailSimulation,
  defineGenerator,
  type GeneratorContext,
  GeneratorWindowError,
} from "../../src/generators/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { priceChanges } from "../fixtures/price-change-generator.js";
import { writePriceChangeConfig } from "../fixtures/price-change-lake.js";
import { tempDir } from "../lake/temp-dir.js";

const small = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  // 2026-11-30 and 2027-03-29 are Mondays: promotions start and end in those runs.
  from: fc.constantFrom("2026-11-28", "2026-11-30", "2027-03-27", "2027-01-01"),
  days: fc.integer({ min: 1, max: 4 }),
  stores: fc.integer({ min: 1, max: 6 }),
  products: fc.integer({ min: 1, max: 80 }),
  customers: fc.integer({ min: 1, max: 200 }),
  traffic: fc.constantFrom(0.05, 0.1),
});

const generators = [priceChanges];

function rowsByEntity(batches: Iterable<Batch>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const b of batches) {
    const list = out[b.entity.name] ?? [];
    for (const r of b.records) list.push(JSON.stringify(r));
    out[b.entity.name] = list;
  }
  return out;
}

test("a custom generator follows the simulation: promotions start and end at its prices, receipts bring markdowns", () => {
  const sim = createRetailSimulation(
    { seed: 7, from: "2026-11-29", days: 9, stores: 3, products: 120, traffic: 0.1 },
    { generators },
  );
  const changes = [...sim.generate()]
    .filter((b) => b.entity.name === "price_change")
    .flatMap((b) => b.records as Record<string, string>[]);
  const reasons = new Set(changes.map((c) => c.reason));
  expect([...reasons].sort()).toEqual(["markdown", "promotion_end", "promotion_start"]);
  for (const c of changes) expect(priceChange.check(c).ok).toBe(true);
  // A promotion start's new price is what the simulation's sale lines charge net that week.
  const start = changes.find((c) => c.reason === "promotion_start") as Record<string, string>;
  const startAt = start.changed_at as string;
  const weekEnd = new Date(Date.parse(startAt) + 6 * 86_400_000).toISOString();
  const lines = [...sim.generate()]
    .filter((b) => b.entity.name === "sale_line")
    .flatMap((b) => b.records as Record<string, string | number>[])
    .filter(
      (l) =>
        l.sku === start.sku &&
        l.store_id === start.store_id &&
        String(l.sold_at) >= startAt &&
        String(l.sold_at) < weekEnd &&
        l.quantity === 1,
    );
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l.net_amount).toBe(start.new_price);
  // Every markdown is at a replenishment of that SKU in that store.
  const receipts = new Set(
    [...sim.generate()]
      .filter((b) => b.entity.name === "stock_movement")
      .flatMap((b) => b.records as Record<string, string>[])
      .filter((m) => m.movement_type === "receipt")
      .map((m) => `${m.sku}|${m.store_id}|${m.moved_at}`),
  );
  for (const c of changes.filter((c) => c.reason === "markdown"))
    expect(receipts.has(`${c.sku}|${c.store_id}|${c.changed_at}`)).toBe(true);
});

test("with a custom generator, the same seed gives the same records whatever the batch size", () => {
  fc.assert(
    fc.property(small, fc.integer({ min: 1, max: 300 }), (config, batchSize) => {
      const a = rowsByEntity(
        createRetailSimulation(config, { generators }).generate({ batchSize }),
      );
      const b = rowsByEntity(createRetailSimulation(config, { generators }).generate());
      expect(a).toEqual(b);
      // The built-in entities are untouched by a generator.
      const { price_change: _, ...builtIns } = a;
      expect(builtIns).toEqual(rowsByEntity(createRetailSimulation(config).generate()));
    }),
    { numRuns: 10 },
  );
});

test("with a custom generator, a window split anywhere equals the whole window, in any call order", () => {
  fc.assert(
    fc.property(small, fc.double({ min: 0, max: 1, noNaN: true }), (config, cut) => {
      const whole = createRetailSimulation(config, { generators });
      const { from, to } = whole.period;
      const span = Date.parse(to) - Date.parse(from);
      const offset = Math.min(span - 1, Math.max(1, Math.floor(span * cut)));
      const split = new Date(Date.parse(from) + offset).toISOString();
      const parts = createRetailSimulation(config, { generators });
      const second = [...parts.tick(split, to, { batchSize: 37 })];
      const first = [...parts.tick(from, split)];
      const sorted = (rows: Record<string, string[]>) =>
        Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, [...v].sort()]));
      // Records are keyed by window, so a split reorders nothing within an entity but the
      // custom entity's key order is per window: compare as sets for it, as lists for the rest.
      const split2 = rowsByEntity([...first, ...second]);
      const all = rowsByEntity(whole.tick(from, to));
      expect(sorted(split2)).toEqual(sorted(all));
      const { price_change: a, ...restSplit } = split2;
      const { price_change: b, ...restAll } = all;
      expect(restSplit).toEqual(restAll);
      expect((a ?? []).length).toBe((b ?? []).length);
    }),
    { numRuns: 12 },
  );
});

test("a generator returning a record outside its window is an error naming the entity and the window", () => {
  const wrong = defineGenerator(priceChange, () => [
    {
      sku: "P000001",
      store_id: "S001",
      changed_at: "2020-01-01T00:00:00.000Z",
      old_price: "1.00",
      new_price: "0.90",
      reason: "markdown" as const,
    },
  ]);
  const sim = createRetailSimulation(
    { seed: 1, from: "2026-11-02", days: 1, stores: 1, products: 5 },
    { generators: [wrong] },
  );
  expect(() => [...sim.tick("2026-11-02T08:00:00Z", "2026-11-02T09:00:00Z")]).toThrow(
    GeneratorWindowError,
  );
  expect(() => defineGenerator({ ...priceChange, eventTime: undefined }, () => [])).toThrow(
    /has no eventTime/,
  );
});

test("defineGenerator types the records by their entity and the context by the simulation", () => {
  type Returned = ReturnType<(typeof priceChanges)["generate"]>;
  expectTypeOf<Returned>().toEqualTypeOf<
    Iterable<{
      sku: string;
      store_id: string;
      changed_at: string;
      old_price: string;
      new_price: string;
      reason: "markdown" | "promotion_start" | "promotion_end" | "repricing";
    }>
  >();
  expectTypeOf<GeneratorContext["sales"][number]["net_amount"]>().toEqualTypeOf<string>();
  expectTypeOf<GeneratorContext["movements"][number]["movement_type"]>().not.toBeAny();
  // @ts-expect-error: a sale-line-shaped record is not a price_change
  defineGenerator(priceChange, () => [{ transaction_id: "T-1", line_no: 1 }]);
});

test("retail-mds generate runs the config's generators, and load puts their files in RAW", async () => {
  const root = tempDir("rmds-generator-");
  const config = writePriceChangeConfig(
    root,
    'generators: [priceChanges], simulation: { from: "2026-11-30", days: 1, stores: 2, products: 40, traffic: 0.05 }',
  );
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    expect(await generate.run(["--config", config])).toBe(0);
    expect(lines.join("\n")).toMatch(/price_change\s+\d+/);
    lines.length = 0;
    expect(await load.run(["--config", config])).toBe(0);
  } finally {
    console.log = log;
  }
  const { openLocalPipe } = await import("../../src/warehouse/index.js");
  const pipe = await openLocalPipe({
    lake: join(root, "lake"),
    database: join(root, "warehouse", "retail.duckdb"),
    entities: [priceChange],
  });
  const [row] = await pipe.query(
    "select count(*)::INTEGER as n, count(distinct reason)::INTEGER as reasons from raw.price_change",
  );
  await pipe.close();
  expect(Number(row?.n)).toBeGreaterThan(0);
  expect(row?.reasons).toBeGreaterThanOrEqual(2);
  // A generator of an entity the config does not register is refused, naming the key.
  expect(() => resolveConfig({ generators: [priceChanges] }, { root })).toThrow(
    'config: generators.0: generates "price_change", which is not in the config\'s entities; add it there',
  );
});
