import { createHash } from "node:crypto";
import fc from "fast-check";
import { expect, test, vi } from "vitest";
import { fromUnits, toUnits, unitsNumberOf } from "../../src/entities/decimal.js";
import type { Column } from "../../src/entities/index.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import {
  dateOf,
  daysOf,
  instantOf,
  int64Into,
  microsInto,
  microsOf,
} from "../../src/lake/parquet-physical.js";
import * as ref from "./physical-reference.js";

// The fast conversions against the straightforward ones they replaced (physical-reference.ts):
// same value, or the same error type and message, over wide random input.

type Outcome = { value: unknown } | { error: string; message: string };
function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength, maxLength });
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const RUNS = { numRuns: 3000 };

/** Decimal-like text: a sign or not, 0-40 integer digits, no dot, a bare dot or 0-9 decimals. */
const decimalText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("", "-", "+", " ", "--"),
      digits(0, 40),
      fc.option(digits(0, 9), { nil: null }),
      fc.constantFrom("", "", "", ".", " ", "e2"),
    )
    .map(
      ([sign, int, fraction, tail]) =>
        `${sign}${int}${fraction === null ? "" : `.${fraction}`}${tail}`,
    ),
  fc.string({ unit: fc.constantFrom(..."-+.0123456789 eE,\t٣"), maxLength: 12 }),
  fc.string({ maxLength: 8 }),
);

test("toUnits gives the reference's units or its RangeError, over any decimal-like text and scale", () => {
  fc.assert(
    fc.property(decimalText, fc.integer({ min: 0, max: 38 }), (text, scale) => {
      const fast = outcome(() => toUnits(text, scale));
      if (text.split(".").length > 2) {
        // The reference read "1.2.3" as 1.2 (its split dropped the rest); it is refused now.
        expect(fast).toEqual({
          error: "RangeError",
          message: `not a decimal with at most ${scale} decimals: ${JSON.stringify(text)}`,
        });
      } else expect(fast).toEqual(outcome(() => ref.toUnits(text, scale)));
    }),
    RUNS,
  );
  expect(toUnits("-12.5", 2)).toBe(-1250n);
  expect(toUnits("1.", 2)).toBe(100n);
  expect(toUnits("-0.00", 2)).toBe(0n);
  const wide = `-${"9".repeat(28)}.${"9".repeat(10)}`; // DECIMAL(38,10) at its minimum
  expect(toUnits(wide, 10)).toBe(-(10n ** 38n - 1n));
  expect(() => toUnits("12.505", 2)).toThrow(
    new RangeError('not a decimal with at most 2 decimals: "12.505"'),
  );
  for (const bad of [".5", "-", "", "+1", " 1", "1 ", "1,5", "1e3", "1.2.3", "--1", "0x10"]) {
    expect(() => toUnits(bad, 2)).toThrow(RangeError);
  }
  // Not a string at all: a TypeError, as the reference's `value.startsWith` gave.
  expect(() => toUnits(12.5 as unknown as string, 2)).toThrow(TypeError);
  expect(() => ref.toUnits(12.5 as unknown as string, 2)).toThrow(TypeError);
});

test("unitsNumberOf is the reference's units as a Number while exact, and refuses beyond 2^53", () => {
  fc.assert(
    fc.property(decimalText, fc.integer({ min: 0, max: 38 }), (text, scale) => {
      if (text.split(".").length > 2) return;
      const expected = outcome(() => ref.toUnits(text, scale));
      const fast = outcome(() => unitsNumberOf(text, scale));
      if ("error" in expected) expect(fast).toEqual(expected);
      else {
        const units = expected.value as bigint;
        if (units <= MAX_SAFE && units >= -MAX_SAFE) expect(fast).toEqual({ value: Number(units) });
        else expect(fast).toMatchObject({ error: "RangeError" });
      }
    }),
    RUNS,
  );
  expect(unitsNumberOf("90071992547409.91", 2)).toBe(Number.MAX_SAFE_INTEGER);
  expect(() => unitsNumberOf("90071992547409.92", 2)).toThrow(
    new RangeError('decimal "90071992547409.92" has more units than a Number holds exactly'),
  );
});

test("fromUnits gives the reference's text for any bigint or safe integer at any scale", () => {
  const units = fc.oneof(
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
    fc.bigInt({ min: -MAX_SAFE - 5n, max: -MAX_SAFE + 5n }),
    fc.bigInt({ min: MAX_SAFE - 5n, max: MAX_SAFE + 5n }),
    fc.maxSafeInteger(),
    fc.integer({ min: -100_000, max: 100_000 }),
    fc.double(),
  );
  fc.assert(
    fc.property(units, fc.integer({ min: 0, max: 38 }), (u, scale) => {
      expect(outcome(() => fromUnits(u, scale))).toEqual(outcome(() => ref.fromUnits(u, scale)));
    }),
    RUNS,
  );
  expect(fromUnits(-5, 2)).toBe("-0.05");
  expect(() => fromUnits(1.5, 2)).toThrow(RangeError);
});

/** YYYY-MM-DD with every field drawn a little beyond its range. */
const dateFields = fc.tuple(
  fc.integer({ min: 0, max: 9999 }),
  fc.integer({ min: 0, max: 13 }),
  fc.integer({ min: 0, max: 32 }),
);
const dateText = ([y, m, d]: [number, number, number]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;

test("daysOf gives the reference's day or its error, every year 0000-9999, leap days, bad dates", () => {
  const garbage = fc.string({ unit: fc.constantFrom(..."0123456789-+ T:Z"), maxLength: 12 });
  fc.assert(
    fc.property(fc.oneof(dateFields.map(dateText), garbage), (text) => {
      expect(outcome(() => daysOf(text))).toEqual(outcome(() => ref.daysOf(text)));
    }),
    { numRuns: 10_000 },
  );
  const expected = {
    "1970-01-01": 0,
    "0000-01-01": -719_528,
    "0000-02-29": -719_469, // year 0 is a leap year (divisible by 400)
    "0099-12-31": -683_004, // not 1999: Date.UTC's reading of years 0-99
    "2000-02-29": 11_016,
    "2024-02-29": 19_782,
    "9999-12-31": 2_932_896,
  };
  for (const [text, day] of Object.entries(expected)) {
    expect(daysOf(text)).toBe(day);
    expect(ref.daysOf(text)).toBe(day);
  }
  for (const text of ["2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31"]) {
    expect(() => daysOf(text)).toThrow(new RangeError(`not a calendar date: "${text}"`));
  }
  for (const text of ["2026-1-01", " 2026-01-01", "2026-01-01 ", "+2026-01-01", "２０２６-01-01"]) {
    expect(() => daysOf(text)).toThrow(new RangeError(`not an ISO date: ${JSON.stringify(text)}`));
  }
});

test("dateOf gives the reference's date for every day of years 0000-9999 and beyond", () => {
  const first = ref.daysOf("0000-01-01");
  const last = ref.daysOf("9999-12-31");
  const days = fc.oneof(
    fc.integer({ min: first - 1000, max: last + 1000 }),
    fc.integer({ min: -200_000_000, max: 200_000_000 }),
    fc.double({ min: first, max: last }),
    fc.constantFrom(first, last, 0, -0, -1),
  );
  fc.assert(
    fc.property(days, (day) => {
      expect(outcome(() => dateOf(day))).toEqual(outcome(() => ref.dateOf(day)));
    }),
    { numRuns: 10_000 },
  );
  // Every day of four centuries around a 400-year cycle's edges, one by one.
  for (const from of [first, ref.daysOf("1600-01-01"), ref.daysOf("9599-01-01")]) {
    for (let day = from; day < from + 146_097 && day <= last; day++) {
      if (dateOf(day) !== ref.dateOf(day)) expect(dateOf(day)).toBe(ref.dateOf(day));
    }
  }
});

/** An instant's text with every field drawn a little beyond its range, and 0-10 fraction digits. */
const instantParts = fc.tuple(
  dateFields,
  fc.integer({ min: 0, max: 25 }),
  fc.integer({ min: 0, max: 60 }),
  fc.integer({ min: 0, max: 60 }),
  fc.option(
    fc.oneof(
      digits(0, 10),
      digits(6, 9).map((f) => `${f.slice(0, 6)}000`),
    ),
    {
      nil: null,
    },
  ),
);
type InstantParts = [[number, number, number], number, number, number, string | null];
const instantText = ([date, h, mi, s, fraction]: InstantParts) =>
  `${dateText(date)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${fraction === null ? "" : `.${fraction}`}Z`;
const instantGarbage = fc.oneof(
  instantParts.map(instantText).map((t) => t.replace("Z", "z")),
  instantParts.map(instantText).map((t) => `${t} `),
  instantParts.map(instantText).map((t) => t.replace("T", " ")),
  fc.string({ unit: fc.constantFrom(..."0123456789-+ T:.Z"), maxLength: 32 }),
);

test("microsOf gives the reference's micros or its error, and refuses what Date.parse rolled over", () => {
  fc.assert(
    fc.property(fc.oneof(instantParts.map(instantText), instantGarbage), (text) => {
      const expected = outcome(() => ref.microsOf(text));
      const fast = outcome(() => microsOf(text));
      const calendar = outcome(() => ref.daysOf(text.slice(0, 10)));
      if ("value" in expected && ("error" in calendar || text.slice(11, 13) === "24")) {
        // Date.parse reads "2026-02-30" as March 2 and "T24:00:00" as the next day: refused now.
        expect(fast).toEqual({
          error: "RangeError",
          message: `not an ISO UTC instant: ${JSON.stringify(text)}`,
        });
      } else expect(fast).toEqual(expected);
    }),
    { numRuns: 10_000 },
  );
  expect(microsOf("0000-01-01T00:00:00Z")).toBe(-62_167_219_200_000_000n);
  expect(microsOf("9999-12-31T23:59:59.999999Z")).toBe(253_402_300_799_999_999n);
  expect(microsOf("2026-11-01T08:00:00.123456000Z")).toBe(1_793_520_000_123_456n);
  expect(() => microsOf("2026-02-29T10:00:00Z")).toThrow(
    new RangeError('not an ISO UTC instant: "2026-02-29T10:00:00Z"'),
  );
  expect(() => microsOf("2026-01-01T00:00:00.Z")).toThrow(
    new RangeError('not an ISO UTC instant ending in Z: "2026-01-01T00:00:00.Z"'),
  );
});

test("the memo of the last instant (microsOf, microsInto) never gives another instant's micros", () => {
  // Instants of one second apart only in their fraction, and others.
  const pool = fc
    .tuple(instantParts, fc.array(fc.option(digits(1, 7), { nil: null }), { maxLength: 3 }))
    .map(([parts, fractions]) => [
      instantText(parts),
      ...fractions.map((f) => instantText([parts[0], parts[1], parts[2], parts[3], f])),
    ]);
  const longs = new BigInt64Array(30);
  const words = new Int32Array(longs.buffer);
  fc.assert(
    fc.property(pool, fc.array(fc.nat(), { maxLength: 30 }), (texts, picks) => {
      picks.forEach((pick, i) => {
        const text = texts[pick % texts.length] as string;
        const fast = outcome(() => microsOf(text));
        if ("error" in fast) return;
        expect(fast.value).toBe(ref.microsOf(text));
        microsInto(words, i, text);
        expect(longs[i]).toBe(ref.microsOf(text));
      });
    }),
  );
});

test("microsInto writes the reference's micros as an int64, for every year 0000-9999", () => {
  const longs = new BigInt64Array(3);
  const words = new Int32Array(longs.buffer);
  fc.assert(
    fc.property(instantParts.map(instantText), fc.integer({ min: 0, max: 2 }), (text, index) => {
      const expected = outcome(() => ref.microsOf(text));
      if ("error" in expected || "error" in outcome(() => microsOf(text))) return;
      microsInto(words, index, text);
      expect(longs[index]).toBe(expected.value);
    }),
    { numRuns: 10_000 },
  );
  fc.assert(
    fc.property(fc.maxSafeInteger(), (n) => {
      int64Into(words, 1, n);
      expect(longs[1]).toBe(BigInt(n));
    }),
  );
});

test("instantOf gives the reference's text for any micros, and round-trips microsOf", () => {
  const first = ref.microsOf("0000-01-01T00:00:00Z");
  const last = ref.microsOf("9999-12-31T23:59:59.999999Z");
  const micros = fc.oneof(
    fc.bigInt({ min: first, max: last }),
    fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }),
    fc.bigInt({ min: -MAX_SAFE - 2000n, max: -MAX_SAFE + 2000n }),
    fc.bigInt({ min: MAX_SAFE - 2000n, max: MAX_SAFE + 2000n }),
    fc.bigInt({ min: -(1n << 62n), max: 1n << 62n }),
  );
  fc.assert(
    fc.property(micros, (m) => {
      expect(outcome(() => instantOf(m))).toEqual(outcome(() => ref.instantOf(m)));
    }),
    { numRuns: 10_000 },
  );
  expect(instantOf(-1n)).toBe("1969-12-31T23:59:59.999999Z");
  expect(instantOf(microsOf("2026-11-01T08:00:00.5Z"))).toBe("2026-11-01T08:00:00.500Z");
});

/** A small generated lake's records by entity: 2 days x 2 stores x 50 SKUs, Feb 28 to Mar 1. */
function lakeRecords(): Map<string, { columns: readonly Column[]; records: unknown[] }> {
  const sim = createRetailSimulation({
    seed: 11,
    from: "2026-02-28",
    days: 2,
    stores: 2,
    products: 50,
    traffic: 0.1, // about 13,000 rows: small, and every column type
  });
  const byEntity = new Map<string, { columns: readonly Column[]; records: unknown[] }>();
  for (const batch of sim.generate({ batchSize: 2000 })) {
    const entry = byEntity.get(batch.entity.name) ?? { columns: batch.entity.columns, records: [] };
    entry.records.push(...batch.records);
    byEntity.set(batch.entity.name, entry);
  }
  return byEntity;
}
const lake = lakeRecords();

/** The sha256 of each entity's records encoded by `parquetBytes` (zstd). */
async function lakeHashes(): Promise<Record<string, string>> {
  const { parquetBytes } = await import("../../src/lake/parquet-encoder.js");
  const hashes: Record<string, string> = {};
  for (const [name, { columns, records }] of lake) {
    const bytes = await parquetBytes(columns, records as Record<string, unknown>[], {
      codec: "zstd",
    });
    hashes[`${name} (${records.length} rows)`] = createHash("sha256").update(bytes).digest("hex");
  }
  return hashes;
}

/** The lake's hashes with the conversions replaced by `conversions` (the encoder re-imported). */
async function lakeHashesWith(conversions: typeof ref): Promise<Record<string, string>> {
  vi.resetModules();
  vi.doMock("../../src/lake/parquet-physical.js", async (actual) => ({
    ...(await actual<object>()),
    toPhysical: conversions.toPhysical,
    daysOf: conversions.daysOf,
    microsOf: conversions.microsOf,
    microsInto: (words: Int32Array, index: number, text: string) => {
      new BigInt64Array(words.buffer, words.byteOffset)[index] = conversions.microsOf(text);
    },
  }));
  vi.doMock("../../src/entities/decimal.js", async (actual) => ({
    ...(await actual<object>()),
    toUnits: conversions.toUnits,
    unitsNumberOf: (text: string, scale: number) => Number(conversions.toUnits(text, scale)),
  }));
  try {
    return await lakeHashes();
  } finally {
    vi.doUnmock("../../src/lake/parquet-physical.js");
    vi.doUnmock("../../src/entities/decimal.js");
    vi.resetModules();
  }
}

test("a generated lake has the same Parquet bytes through the fast and the reference conversions", async () => {
  const fast = await lakeHashes();
  expect(Object.keys(fast).map((file) => file.split(" ")[0])).toEqual([
    "store",
    "product",
    "customer",
    "stock_movement",
    "sale_line",
    "stock_snapshot",
  ]);
  expect(await lakeHashesWith(ref)).toEqual(fast);
  // The comparison sees one day or one unit off: a conversion shifted by one changes the bytes
  // (the encoder calls daysOf and toUnits / unitsNumberOf itself, not through toPhysical).
  const offByOne: typeof ref = {
    ...ref,
    toPhysical: (type, value) => {
      const physical = ref.toPhysical(type, value);
      if (type.kind === "date" && typeof physical === "number") return physical + 1;
      if (type.kind === "decimal" && typeof physical === "bigint") return physical + 1n;
      return physical;
    },
    daysOf: (text) => ref.daysOf(text) + 1,
    toUnits: (text, scale) => ref.toUnits(text, scale) + 1n,
  };
  const shifted = await lakeHashesWith(offByOne);
  for (const [file, hash] of Object.entries(fast)) {
    if (/^(sale_line|product|stock_snapshot|store)/.test(file))
      expect(shifted[file]).not.toBe(hash);
  }
});
