import fc from "fast-check";
import { expect, test } from "vitest";
import { entities } from "../../src/entities/index.js";
import { decimalPattern } from "../../src/entities/logical-type.js";
import { compileRecordCheck, decimalCheck } from "../../src/entities/record-check.js";
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

test("the decimal check accepts exactly what its pattern and bounds accept", () => {
  // The reference: the pattern of the logical type, and the units through Number().
  const reference = (precision: number, scale: number, min: number, max: number) => {
    const pattern = decimalPattern(precision, scale);
    return (v: unknown) => {
      if (typeof v !== "string" || !pattern.test(v)) return false;
      const units = Math.round(Number(v) * 10 ** scale);
      return units >= min && units <= max;
    };
  };
  const decimalLike = fc
    .array(fc.constantFrom("0", "1", "5", "9", "-", ".", "00", "12", "e", " ", "+"), {
      maxLength: 20,
    })
    .map((parts) => parts.join(""));
  for (const [precision, scale, min, max] of [
    [12, 2, 0, 99_999_999],
    [12, 2, -Infinity, Infinity],
    [7, 3, -1_000_000, 1_000_000],
    [5, 0, -99_999, 99_999],
    [3, 3, 0, 999],
    [15, 4, -Infinity, Infinity],
  ] as const) {
    const fast = decimalCheck(precision, scale, min, max);
    const slow = reference(precision, scale, min, max);
    fc.assert(
      fc.property(
        fc.oneof(decimalLike, fc.string(), fc.constantFrom("-0.00", "0", "-", "")),
        (v) => {
          expect(fast(v), JSON.stringify(v)).toBe(slow(v));
        },
      ),
      { numRuns: 4000 },
    );
    for (const v of ["0.00", "-0.00", "12.50", "999999999.99", "1e3", "01.00", 12.5, null])
      expect(fast(v), `${v} as decimal(${precision},${scale})`).toBe(slow(v));
  }
});
