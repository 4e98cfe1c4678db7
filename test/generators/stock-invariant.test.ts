import fc from "fast-check";
import { expect, test } from "vitest";
import { isBatchOf, store } from "../../src/entities/index.js";
import { createRetailSimulation } from "../../src/generators/index.js";

// The local calendar date of an instant in a time zone (a store's business day).
const localDate = (() => {
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (zone: string, iso: string) => {
    let f = formats.get(zone);
    if (!f) {
      f = new Intl.DateTimeFormat("en-CA", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      });
      formats.set(zone, f);
    }
    return f.format(new Date(iso));
  };
})();

async function checkMonth(seed: number, traffic: number) {
  const sim = createRetailSimulation({
    seed,
    from: "2026-11-01",
    days: 30,
    stores: 10,
    products: 500,
    traffic,
  });
  const zone = new Map<string, string>();
  for (const b of sim.reference()) {
    if (isBatchOf(b, store)) for (const s of b.records) zone.set(s.store_id, s.timezone);
  }
  // Sum of movements per store|sku|local date, and the close per store|sku|date.
  const moved = new Map<string, number>();
  const close = new Map<string, number>();
  const saleQty = new Map<string, number>();
  let stockOuts = 0;
  let batches = 0;
  for (const batch of sim.generate({ batchSize: 5000 })) {
    // A month is tens of seconds of CPU on a busy machine: let the worker answer Vitest's RPC
    // (it times out after 60 s of a blocked event loop, an unhandled error that fails the run).
    if (++batches % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    const name = batch.entity.name;
    if (name === "stock_movement") {
      for (const m of batch.records as Record<string, string | number>[]) {
        const key = `${m.store_id}|${m.sku}|${localDate(zone.get(m.store_id as string) as string, m.moved_at as string)}`;
        moved.set(key, (moved.get(key) ?? 0) + (m.quantity as number));
        if (m.movement_type === "sale" || m.movement_type === "return") {
          const line = `${m.reference}|${m.sku}`;
          saleQty.set(line, (saleQty.get(line) ?? 0) + (m.quantity as number));
        }
      }
    } else if (name === "sale_line") {
      for (const l of batch.records as Record<string, string | number>[]) {
        const line = `${l.transaction_id}|${l.sku}`;
        saleQty.set(line, (saleQty.get(line) ?? 0) + (l.quantity as number));
      }
    } else if (name === "stock_snapshot") {
      for (const s of batch.records as Record<string, string | number>[]) {
        expect(s.on_hand).toBeGreaterThanOrEqual(0);
        if (s.on_hand === 0) stockOuts++;
        close.set(`${s.store_id}|${s.sku}|${s.snapshot_date}`, s.on_hand as number);
      }
    }
  }
  expect(close.size).toBeGreaterThan(10 * 30 * 100);
  for (const [key, onHand] of close) {
    const [store, sku, date] = key.split("|") as [string, string, string];
    const previous = new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000)
      .toISOString()
      .slice(0, 10);
    const before = date === "2026-11-01" ? 0 : close.get(`${store}|${sku}|${previous}`);
    expect(before, `no close for ${store}|${sku}|${previous}`).toBeDefined();
    if (onHand !== (before as number) + (moved.get(key) ?? 0)) {
      expect.fail(`${key}: on_hand ${onHand} != ${before} + ${moved.get(key) ?? 0}`);
    }
  }
  // No movement outside the snapshotted store-days, and every sale line has its movement.
  for (const key of moved.keys()) expect(close.has(key), key).toBe(true);
  for (const [line, net] of saleQty)
    if (net !== 0) expect.fail(`sale ${line} and its movements differ by ${net}`);
  // Stock-outs are real: some SKU closes a day empty.
  expect(stockOuts).toBeGreaterThan(0);
}

test("stock invariant over a month of 10 stores x 500 skus: on_hand(d) = on_hand(d-1) + that day's movements, never negative", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.constantFrom(0.05, 0.15),
      checkMonth,
    ),
    { numRuns: 2 },
  );
});
