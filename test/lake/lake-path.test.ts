import fc from "fast-check";
import { expect, test } from "vitest";
import {
  lakePath,
  parseLakePath,
  partitionOf,
  storeGroupOf,
  windowToken,
} from "../../src/lake/lake-path.js";

test("lake paths round-trip and reject escapes", () => {
  const window = windowToken("2026-11-01T08:00:00Z", "2026-11-01T08:05:00Z");
  const file = {
    feed: "data" as const,
    entity: "sale_line",
    ...partitionOf("hour", "2026-11-01T08:03:00.120Z"),
    window,
    seq: 1,
    extension: "parquet" as const,
  };
  const path = lakePath(file);
  expect(path).toBe(
    "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.parquet",
  );
  expect(parseLakePath(path)).toEqual(file);
  expect(parseLakePath(`legacy/${path.replace("parquet", "csv")}`)?.feed).toBe("legacy");
  expect(() => lakePath({ ...file, entity: "../etc" })).toThrow(/safe path segment/);
  expect(() => lakePath({ ...file, dt: "2026-11-01/../../x" })).toThrow(/YYYY-MM-DD/);
  expect(parseLakePath("sale_line/../../x.parquet")).toBeUndefined();
});

test("every feed, partitioning and extension round-trips", () => {
  const window = windowToken("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z");
  const cases = [
    {
      feed: "data" as const,
      entity: "store",
      ...partitionOf("none", undefined),
      window,
      seq: 1,
      extension: "csv" as const,
    },
    {
      feed: "data" as const,
      entity: "stock_snapshot",
      ...partitionOf("day", "2026-11-01"),
      window,
      seq: 2,
      extension: "ndjson.gz" as const,
    },
    {
      feed: "legacy" as const,
      entity: "sale_line",
      ...partitionOf("hour", "2026-11-01T23:59:59.999Z"),
      window,
      seq: 99_999,
      extension: "csv.gz" as const,
    },
    {
      feed: "quarantine" as const,
      entity: "customer",
      window,
      seq: 3,
      extension: "ndjson" as const,
    },
  ];
  expect(cases.map(lakePath)).toEqual([
    "store/store-20261101T0000Z-20261102T0000Z-00001.csv",
    "stock_snapshot/dt=2026-11-01/stock_snapshot-20261101T0000Z-20261102T0000Z-00002.ndjson.gz",
    "legacy/sale_line/dt=2026-11-01/hour=23/sale_line-20261101T0000Z-20261102T0000Z-99999.csv.gz",
    "_quarantine/customer/customer-20261101T0000Z-20261102T0000Z-00003.ndjson",
  ]);
  for (const file of cases) expect(parseLakePath(lakePath(file))).toEqual(file);
  // Partitions come from the record's event time in UTC, not the run's clock or local time.
  expect(partitionOf("hour", "2026-11-01T00:30:00+02:00")).toEqual({
    dt: "2026-10-31",
    hour: "22",
  });
});

test("bad parts are rejected with the reason", () => {
  const file = {
    feed: "data" as const,
    entity: "sale_line",
    dt: "2026-11-01",
    hour: "08",
    window: "20261101T0800Z-20261101T0805Z",
    seq: 1,
    extension: "parquet" as const,
  };
  expect(() => lakePath({ ...file, entity: "Sale Line" })).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: entity name "Sale Line" is not a safe path segment]`,
  );
  expect(() => lakePath({ ...file, entity: "a\u0000b" })).toThrow(/safe path segment/);
  expect(() => lakePath({ ...file, hour: "24" })).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: partition hour "24" must be 00-23 under a dt]`,
  );
  expect(() => lakePath({ ...file, seq: 0 })).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: sequence 0 must be 1..99999]`,
  );
  expect(() => lakePath({ ...file, window: "../x" })).toThrow(/not a window token/);
  expect(() => windowToken("yesterday", "2026-11-01T00:00:00Z")).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: window bound is not an instant: "yesterday"]`,
  );
  expect(() => partitionOf("hour", undefined)).toThrow(/needs its event time/);
  expect(
    parseLakePath(
      "sale_line/dt=2026-11-01/hour=08/store-20261101T0800Z-20261101T0805Z-00001.parquet",
    ),
  ).toBeUndefined();
  expect(parseLakePath("_manifests/run-1.json")).toBeUndefined();
});

test("partitionOf slices UTC instants exactly as the Date path reads them", () => {
  const viaDate = (p: "day" | "hour", t: string) => {
    const iso = new Date(t).toISOString();
    return p === "hour"
      ? { dt: iso.slice(0, 10), hour: iso.slice(11, 13) }
      : { dt: iso.slice(0, 10) };
  };
  const instants = fc.oneof(
    // Every instant Date can print, in the forms records carry (ms, s, minute precision).
    fc
      .date({
        min: new Date("0001-01-01T00:00:00Z"),
        max: new Date("9999-12-31T23:59:59Z"),
        noInvalidDate: true,
      })
      .chain((d) =>
        fc.constantFrom(
          d.toISOString(),
          d.toISOString().replace(/\.\d{3}Z$/, "Z"),
          `${d.toISOString().slice(0, 16)}Z`,
        ),
      ),
    // Impossible calendar days and hours must still be refused, not sliced.
    fc.constantFrom(
      "2026-02-29T10:00:00Z",
      "2024-02-30T10:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-04-31T00:00:00Z",
      "2026-11-01T24:00:00Z",
    ),
  );
  fc.assert(
    fc.property(fc.constantFrom("day" as const, "hour" as const), instants, (p, t) => {
      let expected: unknown;
      try {
        expected = viaDate(p, t);
      } catch {
        expected = "refused";
      }
      let actual: unknown;
      try {
        actual = partitionOf(p, t);
      } catch {
        actual = "refused";
      }
      expect(actual).toEqual(expected);
    }),
    { numRuns: 2000 },
  );
  expect(partitionOf("hour", "2024-02-29T23:59:59.999Z")).toEqual({ dt: "2024-02-29", hour: "23" });
});

test("a store group round-trips in the name; storeGroupOf is the store index mod G, 1-based", () => {
  const file = {
    feed: "data" as const,
    entity: "sale_line",
    ...partitionOf("hour", "2026-11-01T08:03:00Z"),
    window: windowToken("2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z"),
    storeGroup: 2,
    seq: 1,
    extension: "parquet" as const,
  };
  const path = lakePath(file);
  expect(path).toBe(
    "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-g002-00001.parquet",
  );
  expect(parseLakePath(path)).toEqual(file);
  expect(parseLakePath(path.replace("g002", "g000"))).toBeUndefined();
  expect(parseLakePath(path.replace("g002", "g02"))).toBeUndefined();
  expect(() => lakePath({ ...file, storeGroup: 0 })).toThrow(/store group 0 must be 1..999/);
  expect(() => lakePath({ ...file, storeGroup: 1000 })).toThrow(/must be 1..999/);
  expect(["S001", "S002", "S003", "S004", "S999"].map((s) => storeGroupOf(s, 3))).toEqual([
    1, 2, 3, 1, 3,
  ]);
  expect(storeGroupOf("S007", 1)).toBe(1);
  // A code without a trailing number: a stable hash, always in range.
  const hashed = storeGroupOf("PARIS-NORD", 4);
  expect(hashed).toBe(storeGroupOf("PARIS-NORD", 4));
  expect(hashed).toBeGreaterThanOrEqual(1);
  expect(hashed).toBeLessThanOrEqual(4);
  expect(() => storeGroupOf("S001", 0)).toThrow(/1..999/);
});
