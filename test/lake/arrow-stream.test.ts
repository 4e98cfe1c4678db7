import { tableFromIPC, tableToIPC } from "apache-arrow";
import fc from "fast-check";
import * as wasm from "parquet-wasm";
import { expect, test } from "vitest";
import type { Column } from "../../src/entities/index.js";
import { arrowStream } from "../../src/lake/arrow-stream.js";
import { arrowTable } from "../../src/lake/arrow-table.js";
import {
  fromTransferColumns,
  type TransferColumn,
  toTransferColumns,
} from "../../src/lake/column-transfer.js";

// The encoder's own Arrow IPC stream (arrow-stream.ts) against apache-arrow's `tableToIPC` of
// the same table, which it replaced: every column kind the lake sends (coded text of one byte
// width or several, with and without nulls; whole text, ASCII or not; int, boolean; decimal,
// date and timestamp as canonical text and as typed values), any row count from zero.
const column = (name: string, type: Column["type"], nullable = true): Column => ({
  name,
  type,
  nullable,
  description: "",
  pii: false,
});
const columns: Column[] = [
  column("store", { kind: "string" }, false),
  column("customer", { kind: "string" }),
  column("channel", { kind: "string" }, false),
  column("reference", { kind: "string" }),
  column("text", { kind: "string" }),
  column("n", { kind: "int" }),
  column("flag", { kind: "boolean" }),
  column("price", { kind: "decimal", precision: 12, scale: 2 }, false),
  column("huge", { kind: "decimal", precision: 38, scale: 10 }),
  column("day", { kind: "date" }),
  column("at", { kind: "timestamp" }, false),
];
const fixed4 = ["S001", "S002", "S003"];
const fixed8 = ["C0000001", "C0000002", "C0000003"];
const row = fc.record({
  store: fc.constantFrom(...fixed4),
  customer: fc.option(fc.constantFrom(...fixed8), { nil: null }),
  channel: fc.constantFrom("store", "online", "app", "é", ""),
  reference: fc.option(fc.constantFrom("T-0000000000000001-001", "T-0000000000000002-002"), {
    nil: null,
  }),
  text: fc.option(fc.string({ unit: "grapheme", maxLength: 12 }), { nil: null }),
  n: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
  flag: fc.option(fc.boolean(), { nil: null }),
  price: fc.integer({ min: -99_999, max: 99_999 }).map((u) => (u / 100).toFixed(2)),
  huge: fc.option(
    fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((u) => {
      const digits = (u < 0n ? -u : u).toString().padStart(11, "0");
      return `${u < 0n ? "-" : ""}${digits.slice(0, -10)}.${digits.slice(-10)}`;
    }),
    { nil: null },
  ),
  day: fc.option(
    fc
      .integer({ min: 0, max: 30_000 })
      .map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10)),
    { nil: null },
  ),
  at: fc.integer({ min: 0, max: 2 ** 41 }).map((ms) => new Date(ms).toISOString()),
});

/** The same decimal, date and timestamp columns as typed values (a ColumnBatch's kinds). */
function typed(transfer: readonly TransferColumn[], records: readonly Record<string, unknown>[]) {
  return transfer.map((t, c): TransferColumn => {
    const { name, type } = columns[c] as Column;
    if (type.kind !== "date" && type.kind !== "timestamp" && type.kind !== "decimal") return t;
    const values = records.map((r) => r[name] as string | null);
    const nulls = Uint8Array.from(values, (v) => (v === null ? 1 : 0));
    if (type.kind === "date")
      return {
        kind: "date",
        values: Int32Array.from(values, (v) => (v === null ? 0 : Date.parse(v) / 86_400_000)),
        nulls,
      };
    if (type.kind === "timestamp")
      return {
        kind: "timestamp",
        values: Float64Array.from(values, (v) => (v === null ? 0 : Date.parse(v))),
        nulls,
      };
    // Typed decimals hold units as Numbers: only the 12-digit one is sent so.
    if (type.precision > 15) return t;
    return {
      kind: "decimal",
      values: Float64Array.from(values, (v) => (v === null ? 0 : Math.round(Number(v) * 100))),
      nulls,
    };
  });
}

function parquetOf(stream: Uint8Array): Uint8Array {
  const properties = new wasm.WriterPropertiesBuilder()
    .setWriterVersion(wasm.WriterVersion.V1)
    .setCompression(wasm.Compression.SNAPPY)
    .setStatisticsEnabled(wasm.EnabledStatistics.Page)
    .setMaxRowGroupSize(97)
    .setCreatedBy("arrow-stream.test")
    .build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(stream), properties);
}

test("the encoder's Arrow IPC stream holds the table tableToIPC wrote: same values, same Parquet bytes", () => {
  fc.assert(
    fc.property(fc.array(row, { maxLength: 300 }), fc.boolean(), (records, asTyped) => {
      const text = toTransferColumns(columns, records);
      const transfer = asTyped ? typed(text, records) : text;
      const stream = arrowStream(columns, transfer);
      const reference = tableToIPC(arrowTable(columns, transfer), "stream");
      // apache-arrow reads the stream back to the records' values, nulls where they were null.
      const back = tableFromIPC(stream);
      expect(back.numRows).toBe(records.length);
      expect(back.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(
        tableFromIPC(reference).schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
      );
      const strings = columns.flatMap((c, k) => (c.type.kind === "string" ? [k] : []));
      const expected = fromTransferColumns(columns, text);
      for (const k of strings) {
        const name = (columns[k] as Column).name;
        expect(back.getChild(name)?.toArray() ?? [], name).toEqual(expected[k]);
      }
      for (const name of ["n", "flag"])
        expect(back.getChild(name)?.toJSON(), name).toEqual(records.map((r) => r[name as "n"]));
      // arrow-rs reads the same table from either stream: the same Parquet file, byte for byte.
      expect(Buffer.from(parquetOf(stream))).toEqual(Buffer.from(parquetOf(reference)));
    }),
    { numRuns: 60 },
  );
});
