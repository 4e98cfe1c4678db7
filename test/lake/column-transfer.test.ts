import fc from "fast-check";
import { expect, test } from "vitest";
import { FIRST_ISO_DAY, LAST_ISO_DAY } from "../../src/entities/civil-date.js";
import type { Column } from "../../src/entities/index.js";
import {
  fromTransferColumns,
  type TransferColumn,
  toTransferColumns,
  transferables,
} from "../../src/lake/column-transfer.js";
import { parquetColumnsBytes } from "../../src/lake/parquet-encoder.js";

const column = (name: string, type: Column["type"]): Column => ({
  name,
  type,
  nullable: true,
  description: "",
  pii: false,
});
const columns = [
  column("code", { kind: "string" }),
  column("text", { kind: "string" }),
  column("n", { kind: "int" }),
  column("flag", { kind: "boolean" }),
];

test("records cross to a worker as columns and come back value for value", () => {
  const row = fc.record({
    // Few distinct values (sent as codes) and any text (sent whole), nulls in both.
    code: fc.option(fc.constantFrom("S001", "S002", "é", ""), { nil: null }),
    text: fc.option(fc.string({ unit: "grapheme" }), { nil: null }),
    n: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
    flag: fc.option(fc.boolean(), { nil: null }),
  });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 300 }), (records) => {
      const transfer = structuredClone(toTransferColumns(columns, records));
      const back = fromTransferColumns(columns, transfer);
      expect(back).toEqual(columns.map((c) => records.map((r) => r[c.name as keyof typeof r])));
    }),
    { numRuns: 200 },
  );
  const kinds = toTransferColumns(
    columns,
    Array.from({ length: 1000 }, (_, i) => ({ code: "S001", text: `T${i}`, n: i, flag: true })),
  ).map((c) => c.kind);
  expect(kinds).toEqual(["codes", "text", "int", "boolean"]);
});

// Typed columns (as a ColumnBatch holds them) against the canonical text of the same values:
// days of years 0000-9999, whole milliseconds in that range, units within the precision (and
// 2^53 - 1), each column drawn from a few values or many so both dictionary choices are met.
const typedColumns: Column[] = [
  { ...column("day", { kind: "date" }), nullable: false },
  column("maybe_day", { kind: "date" }),
  { ...column("at", { kind: "timestamp" }), nullable: false },
  column("maybe_at", { kind: "timestamp" }),
  { ...column("price", { kind: "decimal", precision: 12, scale: 2 }), nullable: false },
  column("amount", { kind: "decimal", precision: 18, scale: 4 }),
  column("huge", { kind: "decimal", precision: 38, scale: 10 }),
];
const DAY_MS = 86_400_000;
const rangeOf = ({ type }: Column): [number, number] => {
  if (type.kind === "date") return [FIRST_ISO_DAY, LAST_ISO_DAY];
  if (type.kind === "timestamp") return [FIRST_ISO_DAY * DAY_MS, (LAST_ISO_DAY + 1) * DAY_MS - 1];
  const max = Math.min(
    10 ** (type.kind === "decimal" ? type.precision : 0) - 1,
    Number.MAX_SAFE_INTEGER,
  );
  return [-max, max];
};

/** A typed column of `rows` values and its canonical text, nulls where the column allows. */
const typedColumnOf = (c: Column, rows: number) => {
  const [min, max] = rangeOf(c);
  const value = fc.integer({ min, max });
  return fc
    .record({
      few: fc.boolean(),
      pool: fc.array(value, { minLength: 1, maxLength: 8 }),
      own: fc.array(value, { minLength: rows, maxLength: rows }),
      picks: fc.array(fc.nat(), { minLength: rows, maxLength: rows }),
      nulls: fc.array(fc.boolean(), { minLength: rows, maxLength: rows }),
      junk: value,
    })
    .map(({ few, pool, own, picks, nulls, junk }) => {
      const isNull = (i: number) => c.nullable && (nulls[i] as boolean);
      // A null's value slot holds anything: the encoder must not read it.
      const numbers = picks.map((p, i) =>
        isNull(i) ? junk : few ? (pool[p % pool.length] as number) : (own[i] as number),
      );
      const values = c.type.kind === "date" ? Int32Array.from(numbers) : Float64Array.from(numbers);
      const mask = c.nullable ? Uint8Array.from(picks, (_, i) => (isNull(i) ? 1 : 0)) : undefined;
      const kind = c.type.kind as "date" | "timestamp" | "decimal";
      const typed = { kind, values, ...(mask ? { nulls: mask } : {}) } as TransferColumn;
      return { typed, text: fromTransferColumns([c], [typed])[0] as unknown[] };
    });
};

test("typed decimal, date and timestamp columns give the Parquet bytes their canonical text gives", async () => {
  const file = fc
    .record({
      rows: fc.integer({ min: 0, max: 400 }),
      rowGroupRows: fc.integer({ min: 1, max: 500 }),
    })
    .chain(({ rows, rowGroupRows }) =>
      fc.record({
        rowGroupRows: fc.constant(rowGroupRows),
        columns: fc.tuple(...typedColumns.map((c) => typedColumnOf(c, rows))),
      }),
    );
  await fc.assert(
    fc.asyncProperty(file, async ({ rowGroupRows, columns: drawn }) => {
      const rows = drawn[0]?.text.length ?? 0;
      const records = Array.from({ length: rows }, (_, i) =>
        Object.fromEntries(typedColumns.map((c, k) => [c.name, drawn[k]?.text[i]])),
      );
      const options = { codec: "zstd", rowGroupRows } as const;
      const typed = drawn.map((d) => d.typed);
      // Text first: the typed columns' buffers move (and detach) in a real transfer.
      const fromText = await parquetColumnsBytes(
        typedColumns,
        toTransferColumns(typedColumns, records),
        options,
      );
      const moved = structuredClone(typed, { transfer: transferables(typed) });
      expect(Buffer.from(await parquetColumnsBytes(typedColumns, moved, options))).toEqual(
        Buffer.from(fromText),
      );
    }),
    { numRuns: 20 },
  );
});

test("typed values come back as the canonical text, and a value the type cannot hold is refused", async () => {
  const [day, , at, , price] = typedColumns as [Column, Column, Column, Column, Column];
  const transfer: TransferColumn[] = [
    { kind: "date", values: Int32Array.of(0, -1, 20_758) },
    { kind: "timestamp", values: Float64Array.of(0, -1, 1_793_523_600_123) },
    { kind: "decimal", values: Float64Array.of(1999, -150, 0), nulls: Uint8Array.of(0, 0, 1) },
  ];
  expect(fromTransferColumns([day, at, price], transfer)).toEqual([
    ["1970-01-01", "1969-12-31", "2026-11-01"],
    ["1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2026-11-01T09:00:00.123Z"],
    ["19.99", "-1.50", null],
  ]);
  const refused = (kind: "decimal" | "timestamp", value: number) =>
    parquetColumnsBytes(
      [kind === "decimal" ? price : at],
      [{ kind, values: Float64Array.of(1, value) }],
      { codec: "zstd", rowGroupRows: 10 },
    );
  await expect(refused("decimal", 2 ** 53)).rejects.toThrowErrorMatchingInlineSnapshot(
    `[RangeError: column price, row 2: a decimal must be whole units of 10^-2 within ±(2^53 - 1), got 9007199254740992]`,
  );
  await expect(refused("decimal", 0.5)).rejects.toThrowErrorMatchingInlineSnapshot(
    `[RangeError: column price, row 2: a decimal must be whole units of 10^-2 within ±(2^53 - 1), got 0.5]`,
  );
  await expect(refused("timestamp", 1.5)).rejects.toThrowErrorMatchingInlineSnapshot(
    `[RangeError: column at, row 2: a timestamp must be whole epoch milliseconds, got 1.5]`,
  );
  await expect(
    parquetColumnsBytes([day], [{ kind: "timestamp", values: Float64Array.of(0) }], {
      codec: "zstd",
      rowGroupRows: 10,
    }),
  ).rejects.toThrowErrorMatchingInlineSnapshot(
    `[TypeError: column day: a date column cannot be sent as timestamp values]`,
  );
});

test("-0 units are the value 0 when typed columns are judged few or many, as their text is", async () => {
  // 64 distinct values, -0 among them apart from 0 (the most a 200-row column keeps as few);
  // then 65.
  const price = typedColumns[4] as Column;
  const cycle = (pool: number[]) =>
    Float64Array.from({ length: 200 }, (_, i) => pool[i % pool.length] as number);
  const ones = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
  for (const pool of [
    [0, ...ones(1, 32), -0, ...ones(32, 64)],
    [0, ...ones(1, 32), -0, ...ones(32, 65)],
  ]) {
    const typed: TransferColumn[] = [{ kind: "decimal", values: cycle(pool) }];
    const records = (fromTransferColumns([price], typed)[0] as unknown[]).map((v) => ({
      price: v,
    }));
    const options = { codec: "snappy", rowGroupRows: 1000 } as const;
    expect(Buffer.from(await parquetColumnsBytes([price], typed, options))).toEqual(
      Buffer.from(await parquetColumnsBytes([price], toTransferColumns([price], records), options)),
    );
  }
});
