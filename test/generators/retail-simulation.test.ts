import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import {
  type Batch,
  entities,
  isBatchOf,
  product,
  stockSnapshot,
} from "../../src/entities/index.js";
import {
  createRetailSimulation,
  SimulationConfigError,
  type SimulationConfigInput,
  TickWindowError,
} from "../../src/generators/index.js";
import { createLakeWriter, localStore } from "../../src/lake/index.js";

const small = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  from: fc.constantFrom("2026-03-27", "2026-10-24", "2026-11-26", "2026-12-22", "2027-01-01"),
  days: fc.integer({ min: 1, max: 3 }),
  stores: fc.integer({ min: 1, max: 8 }),
  products: fc.integer({ min: 1, max: 60 }),
  customers: fc.integer({ min: 1, max: 400 }),
  traffic: fc.constantFrom(0.02, 0.05, 0.1),
});

function rowsByEntity(batches: Iterable<Batch>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const b of batches) {
    const list = out[b.entity.name] ?? [];
    for (const r of b.records) list.push(JSON.stringify(r));
    out[b.entity.name] = list;
  }
  return out;
}

test("every generated record passes its entity schema, over seeds and configs", () => {
  fc.assert(
    fc.property(small, (config) => {
      const sim = createRetailSimulation(config);
      for (const batch of sim.generate({ batchSize: 500 })) {
        const entity = entities[batch.entity.name as keyof typeof entities];
        for (const record of batch.records) expect(entity.check(record).ok).toBe(true);
      }
    }),
    { numRuns: 25 },
  );
});

test("the same seed and config give the same records whatever the batch size", () => {
  fc.assert(
    fc.property(small, fc.integer({ min: 1, max: 700 }), (config, batchSize) => {
      const a = rowsByEntity(createRetailSimulation(config).generate({ batchSize }));
      const b = rowsByEntity(createRetailSimulation(config).generate());
      expect(a).toEqual(b);
    }),
    { numRuns: 15 },
  );
});

test("a window split anywhere equals the whole window, record for record, in any call order", () => {
  fc.assert(
    fc.property(small, fc.double({ min: 0, max: 1, noNaN: true }), (config, cut) => {
      const whole = createRetailSimulation(config);
      const { from, to } = whole.period;
      const span = Date.parse(to) - Date.parse(from);
      const offset = Math.min(span - 1, Math.max(1, Math.floor(span * cut)));
      const split = new Date(Date.parse(from) + offset).toISOString();
      // A fresh instance, later window first: tick keeps no state that matters across calls.
      const parts = createRetailSimulation(config);
      const second = [...parts.tick(split, to, { batchSize: 37 })];
      const first = [...parts.tick(from, split)];
      expect(rowsByEntity([...first, ...second])).toEqual(rowsByEntity(whole.tick(from, to)));
    }),
    { numRuns: 20 },
  );
});

test("tick yields only events inside [from, to) and snapshots of days closing inside it", () => {
  const sim = createRetailSimulation({
    seed: 3,
    from: "2026-11-01",
    days: 3,
    stores: 12,
    products: 200,
  });
  const from = "2026-11-02T03:00:00.000Z";
  const to = "2026-11-02T05:00:00.000Z";
  const seen = new Set<string>();
  for (const batch of sim.tick(from, to, { batchSize: 100 })) {
    expect(batch.window).toEqual({ from, to });
    seen.add(batch.entity.name);
    for (const r of batch.records as Record<string, unknown>[]) {
      const t = (r.sold_at ?? r.moved_at) as string | undefined;
      if (t) expect(t >= from && t < to).toBe(true);
    }
  }
  // 04:00Z is midnight in Guadeloupe (UTC-4): its 1 November closes inside the window.
  const snapshots = [...sim.tick(from, to)].filter((b) => isBatchOf(b, stockSnapshot));
  const stores = new Set(
    snapshots.flatMap((b) => b.records.map((r) => `${r.store_id}|${r.snapshot_date}`)),
  );
  expect([...stores]).toEqual(["S011|2026-11-01"]);
  expect(seen.has("sale_line")).toBe(true); // the web shop sells at night
});

test("money is exact: net = quantity x unit_price - discount, VAT is the included part", () => {
  const sim = createRetailSimulation({
    seed: 5,
    from: "2026-11-23",
    days: 7,
    stores: 6,
    products: 300,
    traffic: 0.2,
  });
  const vat = new Map(
    sim
      .reference()
      .flatMap((b) =>
        isBatchOf(b, product) ? b.records.map((p) => [p.sku, p.vat_rate] as const) : [],
      ),
  );
  let discounted = 0;
  for (const batch of sim.generate()) {
    if (batch.entity.name !== "sale_line") continue;
    for (const r of batch.records as Record<string, string | number>[]) {
      const cents = (v: unknown) => Math.round(Number(v) * 100);
      const net = (r.quantity as number) * cents(r.unit_price) - cents(r.discount_amount);
      expect(cents(r.net_amount)).toBe(net);
      const rate = Math.round(Number(vat.get(String(r.sku))) * 10_000);
      const expected =
        Math.sign(net) *
        Math.floor((2 * Math.abs(net) * rate + 10_000 + rate) / (2 * (10_000 + rate)));
      expect(cents(r.vat_amount)).toBe(expected);
      if (cents(r.discount_amount) > 0) discounted++;
    }
  }
  expect(discounted).toBeGreaterThan(0); // promotions happen
});

test("about 2% of lines are returns and about 60% of tickets carry a loyalty card", () => {
  const sim = createRetailSimulation({
    seed: 11,
    from: "2026-11-09",
    days: 7,
    stores: 10,
    products: 500,
    traffic: 0.2,
  });
  let lines = 0;
  let returns = 0;
  const tickets = new Map<string, boolean>();
  for (const batch of sim.generate()) {
    if (batch.entity.name !== "sale_line") continue;
    for (const r of batch.records as Record<string, unknown>[]) {
      lines++;
      if ((r.quantity as number) < 0) {
        returns++;
        expect(Number(r.net_amount)).toBeLessThan(0);
      }
      tickets.set(r.transaction_id as string, r.customer_id !== null);
    }
  }
  const identified = [...tickets.values()].filter(Boolean).length / tickets.size;
  expect(lines).toBeGreaterThan(50_000);
  expect(returns / lines).toBeGreaterThan(0.015);
  expect(returns / lines).toBeLessThan(0.026);
  expect(identified).toBeGreaterThan(0.5);
  expect(identified).toBeLessThan(0.7);
});

test("a bad config is rejected with the field it is about", () => {
  const base = { seed: 1, from: "2026-11-01", days: 7, stores: 2, products: 10 };
  const message = (input: unknown) => {
    try {
      // Plain JavaScript callers get the same checks at run time as the types give TypeScript.
      createRetailSimulation(input as SimulationConfigInput);
    } catch (error) {
      expect(error).toBeInstanceOf(SimulationConfigError);
      return `${(error as SimulationConfigError).field}: ${(error as Error).message}`;
    }
    return "no error";
  };
  expect(message({ ...base, days: 0 })).toMatchInlineSnapshot(
    `"days: simulation config: "days" Too small: expected number to be >=1 (got 0)"`,
  );
  expect(message({ ...base, from: "01/11/2026" })).toMatchInlineSnapshot(
    `"from: simulation config: "from" expected an ISO date like "2026-11-01" (got "01/11/2026")"`,
  );
  expect(message({ ...base, stores: 1000 })).toMatchInlineSnapshot(
    `"stores: simulation config: "stores" Too big: expected number to be <=999 (got 1000)"`,
  );
  expect(message({ ...base, colour: "red" })).toMatchInlineSnapshot(
    `"colour: simulation config: "colour" is not a config field (got "red")"`,
  );
  expect(message({ from: "2026-11-01", days: 7, stores: 2, products: 10 })).toMatchInlineSnapshot(
    `"seed: simulation config: "seed" Invalid input: expected number, received undefined (got nothing)"`,
  );
  const sim = createRetailSimulation(base);
  expect(() => [...sim.tick("2026-11-02", "2026-11-01T00:00:00Z")]).toThrow(TickWindowError);
  expect(() => [
    ...sim.tick("2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z"),
  ]).toThrowErrorMatchingInlineSnapshot(
    `[TickWindowError: tick window: "to" must be after "from" (2026-11-02T00:00:00Z) (got "2026-11-01T00:00:00Z")]`,
  );
});

test("a simulation lands the same Parquet bytes whatever the encode workers, batch size or window split", async () => {
  const lakeOf = async (batches: Iterable<Batch>, workers: number) => {
    const dir = mkdtempSync(join(tmpdir(), "sim-workers-"));
    try {
      const writer = createLakeWriter({ store: localStore(dir), format: "parquet", workers });
      await writer.writeAll(batches);
      const { files } = await writer.close();
      return files.map((f) => [f.path, readFileSync(join(dir, f.path)).toString("base64")]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  await fc.assert(
    fc.asyncProperty(
      small,
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 700 }),
      fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      async (config, workers, batchSize, cut) => {
        // A file's name carries its window, so a split run is compared with the same split.
        const run = (options: { batchSize?: number }) => {
          const sim = createRetailSimulation(config);
          if (cut === undefined) return sim.generate(options);
          const { from, to } = sim.period;
          const span = Date.parse(to) - Date.parse(from);
          const split = new Date(
            Date.parse(from) + Math.min(span - 1, Math.max(1, Math.floor(span * cut))),
          ).toISOString();
          return (function* () {
            yield* sim.tick(from, split, options);
            yield* sim.tick(split, to, options);
          })();
        };
        const inThread = await lakeOf(run({}), 0);
        expect(inThread.length).toBeGreaterThan(0);
        expect(await lakeOf(run({ batchSize }), workers)).toEqual(inThread);
      },
    ),
    // Each run starts its workers (through tsx, as the sources are TypeScript): few runs.
    { numRuns: 3 },
  );
});
