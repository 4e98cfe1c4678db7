import { expect, test } from "vitest";
import { lakePath, parseLakePath, partitionOf, windowToken } from "../../src/lake/lake-path.js";

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
