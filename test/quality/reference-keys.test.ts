import { expect, test } from "vitest";
import { store } from "../../src/entities/index.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import { referenceKeys } from "../../src/quality/index.js";

test("referenceKeys gathers every batch of an entity, not only the last", () => {
  const sim = createRetailSimulation({
    seed: 3,
    from: "2026-11-02",
    days: 1,
    stores: 5,
    products: 20,
  });
  const stores = sim.reference().find((b) => b.entity.name === "store");
  if (!stores) throw new Error("no store batch");
  const window = stores.window;
  const [first, ...rest] = stores.records;
  const keys = referenceKeys([
    { entity: store, records: [first as never], window },
    { entity: store, records: rest as never[], window },
  ]);
  expect([...(keys.store ?? [])].sort()).toEqual(stores.records.map((r) => store.keyOf(r)).sort());
  expect(keys.store?.size).toBe(5);
});
