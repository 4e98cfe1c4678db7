import fc from "fast-check";
import { expect, test } from "vitest";
import { z } from "zod";
import { decimal, defineEntity, isoDate, utcTimestamp } from "../../src/entities/index.js";
import {
  csvRows,
  csvText,
  localStore,
  ndjsonText,
  parquetBytes,
  readLakeFile,
} from "../../src/lake/index.js";
import { duckRead, duckType, expectedRow } from "./duckdb-check.js";
import { tempDir } from "./temp-dir.js";

const cell = fc.option(fc.string({ unit: "binary", maxLength: 12 }), { nil: null });
const columns = ["a", "b", "c"];
const rows = fc.array(fc.record({ a: cell, b: cell, c: cell }), { maxLength: 20 });

test("CSV round-trips any text, quotes, delimiters and line breaks, with null apart from empty", () => {
  fc.assert(
    fc.property(rows, fc.constantFrom(",", ";", "\t", "|"), (records, delimiter) => {
      const parsed = csvRows(csvText(columns, records, { delimiter }), delimiter);
      expect(parsed).toEqual([columns, ...records.map((r) => columns.map((c) => r[c as "a"]))]);
    }),
    { numRuns: 300 },
  );
});

test("NDJSON round-trips any text", () => {
  fc.assert(
    fc.property(rows, (records) => {
      const lines = ndjsonText(columns, records).split("\n");
      expect(lines.pop()).toBe("");
      expect(lines.map((line) => JSON.parse(line))).toEqual(records);
    }),
    { numRuns: 300 },
  );
});

// No built-in entity has a decimal wider than 18 digits; this one takes the FIXED_LEN_BYTE_ARRAY path.
const ledger = defineEntity({
  name: "ledger_entry",
  description: "A test entity with every decimal width.",
  partition: "day",
  eventTime: "booked_on",
  key: ["entry_id"],
  schema: z.object({
    entry_id: z.int32(),
    booked_on: isoDate(),
    posted_at: utcTimestamp().nullable(),
    rate: decimal(5, 4),
    amount: decimal(18, 2),
    huge: decimal(38, 10),
    flag: z.boolean().nullable(),
  }),
  docs: {
    entry_id: { description: "Entry number." },
    booked_on: { description: "Booking day." },
    posted_at: { description: "Posting instant." },
    rate: { description: "A rate." },
    amount: { description: "An amount." },
    huge: { description: "A very wide decimal." },
    flag: { description: "A flag." },
  },
});

test("DuckDB reads DECIMAL on INT32, INT64 and FIXED_LEN_BYTE_ARRAY exactly, at the extremes", async () => {
  const records = [
    {
      entry_id: 1,
      booked_on: "0001-01-01",
      posted_at: "1900-01-01T00:00:00.000001Z",
      rate: "9.9999",
      amount: "9999999999999999.99",
      huge: "9999999999999999999999999999.9999999999",
      flag: true,
    },
    {
      entry_id: -2147483648,
      booked_on: "9999-12-31",
      posted_at: null,
      rate: "-9.9999",
      amount: "-9999999999999999.99",
      huge: "-9999999999999999999999999999.9999999999",
      flag: null,
    },
    {
      entry_id: 2147483647,
      booked_on: "2026-11-01",
      posted_at: "2262-04-11T23:47:16.854775Z",
      rate: "0.0000",
      amount: "0.01",
      huge: "-0.0000000001",
      flag: false,
    },
  ];
  for (const [i, r] of records.entries()) ledger.parse(r, { row: i + 1 });
  const lake = localStore(tempDir("lake-wide-"));
  const path = "ledger_entry/ledger_entry-20261101T0000Z-20261102T0000Z-00001.parquet";
  await lake.put(path, await parquetBytes(ledger.columns, records, { codec: "zstd" }));
  const file = lake.localPath(path);
  const { types, rows: read } = await duckRead(ledger, file, "parquet");
  expect(types).toEqual(Object.fromEntries(ledger.columns.map((c) => [c.name, duckType(c)])));
  expect(read).toEqual(records.map((r) => expectedRow(ledger, r)));
  // readLakeFile decodes the same physical values back to the exact text.
  expect((await readLakeFile(lake, path, { entity: ledger })).records).toEqual(records);
});

test("dates convert exactly over the whole 0001-9999 range", async () => {
  const { daysOf, dateOf } = await import("../../src/lake/parquet-physical.js");
  expect(daysOf("1970-01-01")).toBe(0);
  expect(daysOf("0001-01-01")).toBe(-719162);
  expect(() => daysOf("2026-02-30")).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: not a calendar date: "2026-02-30"]`,
  );
  fc.assert(
    fc.property(
      fc.date({
        min: new Date("0001-01-01T00:00:00Z"),
        max: new Date("9999-12-31T00:00:00Z"),
        noInvalidDate: true,
      }),
      (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(dateOf(daysOf(iso))).toBe(iso);
      },
    ),
  );
});
