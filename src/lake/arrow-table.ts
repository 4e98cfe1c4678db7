import {
  Bool,
  type Data,
  DateDay,
  Decimal,
  Field,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  Utf8,
} from "apache-arrow";
import { toUnits, unitsNumberOf } from "../entities/decimal.js";
import type { Column, LogicalType } from "../entities/index.js";
import type { NumericColumn, TransferColumn } from "./column-transfer.js";
import { daysOf, int64Into, microsInto } from "./parquet-physical.js";

/**
 * A file's columns as an Arrow table, built straight into typed arrays (never through
 * `vectorFromArray`, whose per-value builders cost more than the whole Parquet encode): INT32
 * and DATE as Int32Array, timestamps as BigInt64Array of microseconds (UTC), decimals as
 * Decimal128 words, strings as UTF-8 bytes with offsets. Typed decimal, date and timestamp
 * columns (units, days, epoch milliseconds) are written straight into those; canonical text is
 * converted exactly (parquet-physical.ts), and either gives the same table. A coded column (few
 * distinct values) is converted and encoded once per distinct value and gathered per row; it
 * stays a plain Utf8 column, not an Arrow dictionary: the Arrow schema is stored in the Parquet
 * footer and pyarrow would read a dictionary back, in some files and not others, and arrow-rs
 * hashes every row's value into its own dictionary either way (measured: no faster, see
 * docs/lake.md).
 * Arrow fields are nullable unless said otherwise: a NOT NULL column is marked so, and stays
 * REQUIRED in the Parquet file.
 */
export function arrowTable(columns: readonly Column[], transfer: readonly TransferColumn[]): Table {
  const length = transfer[0] ? transferLength(transfer[0]) : 0;
  const children = arrowColumns(columns, transfer);
  const fields = columns.map(
    (column, c) => new Field(column.name, (children[c] as Data).type, column.nullable),
  );
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  return new Table(new RecordBatch(new Schema(fields), struct));
}

/** The columns of `arrowTable(columns, transfer)`, one Arrow `Data` each (arrow-stream.ts). */
export function arrowColumns(
  columns: readonly Column[],
  transfer: readonly TransferColumn[],
): Data[] {
  return columns.map((column, c) => arrowData(column, transfer[c] as TransferColumn));
}

function transferLength(column: TransferColumn): number {
  return column.kind === "text"
    ? column.lengths.length
    : column.kind === "codes"
      ? column.codes.length
      : column.values.length;
}

function arrowData(column: Column, transfer: TransferColumn): Data {
  const { type } = column;
  if (transfer.kind === "int") {
    const { values, nulls } = transfer;
    const validity = validityOf(values.length, nulls, 1);
    return makeData({ type: new Int32(), length: values.length, data: values, ...validity });
  }
  if (transfer.kind === "boolean") {
    const { values } = transfer;
    const data = new Uint8Array((values.length + 7) >> 3);
    for (let i = 0; i < values.length; i++) {
      if (values[i] === 1) data[i >> 3] = (data[i >> 3] as number) | (1 << (i & 7));
    }
    const validity = validityOf(values.length, values, 2);
    return makeData({ type: new Bool(), length: values.length, data, ...validity });
  }
  if (transfer.kind !== "text" && transfer.kind !== "codes") {
    if (transfer.kind !== type.kind)
      throw new TypeError(
        `column ${column.name}: a ${type.kind} column cannot be sent as ${transfer.kind} values`,
      );
    return typedData(column, transfer);
  }
  if (type.kind === "string") return utf8Data(transfer);
  // Decimal, date, timestamp: canonical text, converted exactly (parquet-physical.ts,
  // entities/decimal.ts), once per distinct value when the column is coded.
  const rows = transferLength(transfer);
  const validity = validityOf(rows, nullMarks(transfer), "negative");
  const physical = physicalWriter(type, rows);
  if (transfer.kind === "codes") {
    const distinct = physicalWriter(type, transfer.lengths.length);
    splitText(transfer.text, transfer.lengths, (i, value) => distinct.set(i, value));
    for (let i = 0; i < rows; i++) {
      const code = transfer.codes[i] as number;
      if (code >= 0) physical.copy(i, distinct, code);
    }
  } else {
    // A ticket's lines share their sold_at: a value equal to the one before is copied, not
    // converted again.
    let previous: string | undefined;
    let previousRow = -1;
    splitText(transfer.text, transfer.lengths, (i, value) => {
      if (value === previous) physical.copy(i, physical, previousRow);
      else physical.set(i, value);
      previous = value;
      previousRow = i;
    });
  }
  return physical.build(validity);
}

/**
 * A decimal, date or timestamp column from its typed values: days are DateDay as they are,
 * milliseconds become int64 microseconds and units Decimal128 words, through 32-bit words (no
 * bigint a value while the value is a safe integer). A value the type cannot hold exactly
 * throws, naming the column and row.
 */
function typedData(
  column: Column,
  transfer: Extract<NumericColumn, { kind: "decimal" | "date" | "timestamp" }>,
): Data {
  const { values, nulls } = transfer;
  const rows = values.length;
  const validity = validityOf(rows, nulls, 1);
  const { type } = column;
  if (transfer.kind === "date")
    return makeData({ type: new DateDay(), length: rows, data: transfer.values, ...validity });
  const wrong = (i: number, what: string) =>
    new RangeError(`column ${column.name}, row ${i + 1}: ${what}, got ${values[i]}`);
  if (transfer.kind === "timestamp") {
    const data = new BigInt64Array(rows);
    const words = new Int32Array(data.buffer);
    for (let i = 0; i < rows; i++) {
      if (nulls?.[i] === 1) continue;
      const ms = values[i] as number;
      if (!Number.isSafeInteger(ms)) throw wrong(i, "a timestamp must be whole epoch milliseconds");
      const micros = ms * 1000;
      if (Number.isSafeInteger(micros)) int64Into(words, i, micros);
      // Past year 2255 the microseconds outgrow a double's integers: the rare bigint.
      else data[i] = BigInt(ms) * 1000n;
    }
    return makeData({ type: new TimestampMicrosecond("UTC"), length: rows, data, ...validity });
  }
  if (type.kind !== "decimal") throw new TypeError(`column ${column.name} is not a decimal`);
  const data = new Uint32Array(4 * rows);
  for (let i = 0; i < rows; i++) {
    if (nulls?.[i] === 1) continue;
    const units = values[i] as number;
    if (!Number.isSafeInteger(units))
      throw wrong(i, `a decimal must be whole units of 10^-${type.scale} within ±(2^53 - 1)`);
    numberWords(data, 4 * i, units);
  }
  const { precision, scale } = type;
  return makeData({ type: new Decimal(scale, precision, 128), length: rows, data, ...validity });
}

/** Typed storage of one column's physical values, set from canonical text. */
interface PhysicalWriter {
  /** The storage as 32-bit words: what `copy` moves, whatever the type. */
  readonly words: Int32Array | Uint32Array;
  set(i: number, text: string): void;
  copy(i: number, from: PhysicalWriter, j: number): void;
  build(validity: Validity): Data;
}

type Validity = { nullCount: number; nullBitmap?: Uint8Array };

function physicalWriter(type: LogicalType, rows: number): PhysicalWriter {
  switch (type.kind) {
    case "date": {
      const data = new Int32Array(rows);
      return {
        words: data,
        set: (i, text) => {
          data[i] = daysOf(text);
        },
        copy: (i, from, j) => {
          data[i] = from.words[j] as number;
        },
        build: (validity) => makeData({ type: new DateDay(), length: rows, data, ...validity }),
      };
    }
    case "timestamp": {
      const data = new BigInt64Array(rows);
      const words = new Int32Array(data.buffer);
      return {
        words,
        set: (i, text) => microsInto(words, i, text),
        copy: (i, from, j) => {
          words[2 * i] = from.words[2 * j] as number;
          words[2 * i + 1] = from.words[2 * j + 1] as number;
        },
        build: (validity) =>
          makeData({ type: new TimestampMicrosecond("UTC"), length: rows, data, ...validity }),
      };
    }
    case "decimal": {
      // Decimal128: four little-endian 32-bit words a value, lowest first, two's complement.
      const data = new Uint32Array(4 * rows);
      const { precision, scale } = type;
      return {
        words: data,
        // Up to 15 digits the units are exact in a Number: no bigint per value.
        set:
          precision <= 15
            ? (i, text) => numberWords(data, 4 * i, unitsNumberOf(text, scale))
            : (i, text) => bigintWords(data, 4 * i, toUnits(text, scale)),
        copy: (i, from, j) => {
          for (let w = 0; w < 4; w++) data[4 * i + w] = from.words[4 * j + w] as number;
        },
        build: (validity) =>
          makeData({ type: new Decimal(scale, precision, 128), length: rows, data, ...validity }),
      };
    }
    default:
      throw new TypeError(`no physical writer for a ${type.kind} column`);
  }
}

const TWO_32 = 4_294_967_296;

/** The Decimal128 words of a safe integer (>>> 0 is n modulo 2^32, exact below 2^53). */
function numberWords(data: Uint32Array, at: number, n: number): void {
  data[at] = n >>> 0;
  data[at + 1] = Math.floor(n / TWO_32) >>> 0;
  const sign = n < 0 ? 0xffffffff : 0;
  data[at + 2] = sign;
  data[at + 3] = sign;
}

function bigintWords(data: Uint32Array, at: number, units: bigint): void {
  const n = Number(units);
  if (Number.isSafeInteger(n)) numberWords(data, at, n);
  else
    for (let w = 0; w < 4; w++) data[at + w] = Number(BigInt.asUintN(32, units >> BigInt(32 * w)));
}

/** Calls `each(i, value)` for every non-null value of concatenated text (lengths -1 are nulls). */
function splitText(
  text: string,
  lengths: Int32Array,
  each: (i: number, value: string) => void,
): void {
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i] as number;
    if (length < 0) continue;
    each(i, text.slice(at, at + length));
    at += length;
  }
}

/** The marks that say a row of a text or coded column is null: a negative length or code. */
function nullMarks(transfer: TransferColumn & { kind: "text" | "codes" }): Int32Array {
  return transfer.kind === "codes" ? transfer.codes : transfer.lengths;
}

/**
 * Arrow's validity bitmap (bit set = value present), or none when nothing is null. Row `i` is
 * null where `marks[i]` is negative (`nullMark` "negative": codes, lengths) or equals `nullMark`
 * (a mask's 1, a boolean's 2); no marks, no nulls. A loop per case rather than a test function:
 * one function called with a different closure per column kind runs megamorphic, a call a row.
 */
function validityOf(
  rows: number,
  marks: Uint8Array | Int32Array | undefined,
  nullMark: "negative" | number,
): Validity {
  if (!marks) return { nullCount: 0 };
  let nullCount = 0;
  if (nullMark === "negative") {
    for (let i = 0; i < rows; i++) if ((marks[i] as number) < 0) nullCount++;
  } else {
    for (let i = 0; i < rows; i++) if (marks[i] === nullMark) nullCount++;
  }
  if (nullCount === 0) return { nullCount };
  const nullBitmap = new Uint8Array((rows + 7) >> 3);
  for (let i = 0; i < rows; i++) {
    const mark = marks[i] as number;
    const isNull = nullMark === "negative" ? mark < 0 : mark === nullMark;
    if (!isNull) nullBitmap[i >> 3] = (nullBitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return { nullCount, nullBitmap };
}

const encoder = new TextEncoder();

/** UTF-8 bytes and their offsets of concatenated text: one encode of the whole text if ASCII. */
function utf8Of(text: string, lengths: Int32Array): { bytes: Uint8Array; offsets: Int32Array } {
  const offsets = new Int32Array(lengths.length + 1);
  const buffer = new Uint8Array(text.length);
  // Every UTF-16 unit read gave one byte: the text is ASCII, and byte offsets are unit offsets.
  const { read, written } = encoder.encodeInto(text, buffer);
  if (read === text.length && written === text.length) {
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      at += Math.max(0, lengths[i] as number);
      offsets[i + 1] = at;
    }
    return { bytes: buffer, offsets };
  }
  // Not ASCII: each value on its own (a lone surrogate at the end of one value must not pair
  // with the start of the next), into room for the worst case of 3 bytes a UTF-16 unit.
  const bytes = new Uint8Array(text.length * 3);
  let at = 0;
  let written8 = 0;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i] as number;
    if (length > 0) {
      written8 += encoder.encodeInto(text.slice(at, at + length), bytes.subarray(written8)).written;
      at += length;
    }
    offsets[i + 1] = written8;
  }
  return { bytes: bytes.subarray(0, written8), offsets };
}

function utf8Data(transfer: TransferColumn & { kind: "text" | "codes" }): Data {
  const rows = transferLength(transfer);
  const validity = validityOf(rows, nullMarks(transfer), "negative");
  const type = new Utf8();
  if (transfer.kind === "text") {
    const { bytes, offsets } = utf8Of(transfer.text, transfer.lengths);
    return makeData({ type, length: rows, data: bytes, valueOffsets: offsets, ...validity });
  }
  // Coded: the distinct values' bytes once, then copied row by row.
  const dictionary = utf8Of(transfer.text, transfer.lengths);
  const from = dictionary.offsets;
  const { codes } = transfer;
  const width = sameWidth(from);
  if (width > 0) {
    const { bytes, offsets } = gatherFixedWidth(codes, dictionary.bytes, width);
    return makeData({ type, length: rows, data: bytes, valueOffsets: offsets, ...validity });
  }
  const offsets = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const code = codes[i] as number;
    if (code >= 0) total += (from[code + 1] as number) - (from[code] as number);
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  const source = dictionary.bytes;
  for (let i = 0; i < rows; i++) {
    const code = codes[i] as number;
    if (code < 0) continue;
    const start = from[code] as number;
    const end = from[code + 1] as number;
    let at = offsets[i] as number;
    // Short values (codes, enums) copy faster byte by byte than through subarray + set.
    if (end - start <= 32) for (let b = start; b < end; b++) bytes[at++] = source[b] as number;
    else bytes.set(source.subarray(start, end), at);
  }
  return makeData({ type, length: rows, data: bytes, valueOffsets: offsets, ...validity });
}

/** The byte width every value shares (store, SKU, customer, currency codes), else -1. */
function sameWidth(offsets: Int32Array): number {
  const width = (offsets[1] ?? 0) - (offsets[0] ?? 0);
  for (let i = 1; i + 1 < offsets.length; i++)
    if ((offsets[i + 1] as number) - (offsets[i] as number) !== width) return -1;
  return offsets.length > 1 ? width : -1;
}

/**
 * The rows' bytes of a coded column whose values are all `width` bytes: row `i` at `i * width`,
 * so no offset is looked up a row. A null row (negative code) keeps `width` zero bytes: Arrow
 * lets a null slot span bytes, and no reader of the column (arrow-rs's Parquet writer among
 * them) looks at them.
 */
function gatherFixedWidth(
  codes: Int32Array,
  source: Uint8Array,
  width: number,
): { bytes: Uint8Array; offsets: Int32Array } {
  const rows = codes.length;
  const offsets = new Int32Array(rows + 1);
  for (let i = 1; i <= rows; i++) offsets[i] = i * width;
  const bytes = new Uint8Array(rows * width);
  // Values move in the widest unit dividing both their width and the source's alignment: 4- and
  // 8-byte codes as 32-bit words, the 22-byte transaction and movement ids as 16-bit units.
  const unit = [4, 2, 1].find((u) => width % u === 0 && source.byteOffset % u === 0) as number;
  const view = (data: Uint8Array, length: number) =>
    unit === 4
      ? new Uint32Array(data.buffer, data.byteOffset, length)
      : unit === 2
        ? new Uint16Array(data.buffer, data.byteOffset, length)
        : data.subarray(0, length);
  const out = view(bytes, bytes.length / unit);
  const from = view(source, Math.floor(source.length / unit));
  const units = width / unit;
  for (let i = 0; i < rows; i++) {
    const code = codes[i] as number;
    if (code < 0) continue;
    const start = code * units;
    const at = i * units;
    for (let u = 0; u < units; u++) out[at + u] = from[start + u] as number;
  }
  return { bytes, offsets };
}
