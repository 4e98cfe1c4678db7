import fc from "fast-check";
import { expect, test } from "vitest";
import { entities } from "../../src/entities/index.js";
import { compileRecordCheck } from "../../src/entities/record-check.js";
import { createRetailSimulation } from "../../src/generators/index.js";

const sim = createRetailSimulation({
  seed: 8,
  from: "2027-02-27",
  days: 2,
  stores: 4,
  products: 40,
  traffic: 0.05,
});
const samples = new Map<string, Record<string, unknown>[]>();
for (const batch of sim.generate()) {
  const list = samples.get(batch.entity.name) ?? [];
  list.push(...(batch.records.slice(0, 50) as Record<string, unknown>[]));
  samples.set(batch.entity.name, list);
}

// Values a broken record might carry: near-misses of every column type.
const oddValue = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    "",
    " ",
    "1e3",
    "12,50",
    "12.5",
    "-0.00",
    "99999.99",
    "10000.01",
    "2027-02-29",
    "2028-02-29",
    "2027-02-28T25:00:00.000Z",
    "2027-02-28T10:00:00Z",
    "2027-02-28T10:00:00.000+01:00",
    "S1",
    "S0001 ",
    "P12345",
    "C000000x",
    "T-S001",
    "M-S001-20270227-000001",
    "card ",
    "EUR",
    "eur",
    "x".repeat(61),
    true,
    0,
    -1,
    1.5,
    2 ** 31,
    -1000,
    999,
    1000,
    -100001,
  ),
  fc.string(),
  fc.integer(),
  fc.double(),
);

test("the compiled check is never looser than the entity's zod schema", () => {
  for (const entity of Object.values(entities)) {
    const zodAccepts = (r: unknown) => entity.schema.strict().safeParse(r).success;
    const fast = compileRecordCheck(entity);
    const records = samples.get(entity.name) ?? [];
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(fast(r)).toBe(true);
    fc.assert(
      fc.property(
        fc.constantFrom(...records),
        fc.constantFrom(...entity.columns.map((c) => c.name), "extra_column"),
        oddValue,
        (record, column, value) => {
          const broken = { ...record, [column]: value };
          if (value === undefined) delete broken[column];
          if (fast(broken)) expect(zodAccepts(broken)).toBe(true);
          // entity.check goes through the compiled check: its verdict must be zod's.
          expect(entity.check(broken).ok).toBe(zodAccepts(broken));
        },
      ),
      { numRuns: 3000 },
    );
  }
});
