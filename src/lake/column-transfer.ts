import { type Column, type ColumnValues, fromUnits } from "../entities/index.js";
import { dateOf } from "./parquet-physical.js";

/**
 * A file's records as columns that cross to a worker thread cheaply. Structured cloning an array
 * of record objects costs about 1.4 us a row (serialise, then rebuild every object); here each
 * column is one flat buffer or one string, whose clone is a copy of its bytes:
 * - int: an Int32Array, and a null mask when the column is nullable;
 * - boolean: a Uint8Array of 0, 1, or 2 for null;
 * - decimal, date, timestamp from a `ColumnBatch`: its physical values as they are (units at the
 *   column's scale, days, epoch milliseconds in typed arrays, a 1 in `nulls` for null), the
 *   same kinds as `ColumnValues`, so a batch's numeric columns cross without a conversion;
 * - every other kind (string, and the canonical text of decimal, date, timestamp from records):
 *   the values concatenated into one string, with their lengths in UTF-16 units (-1 for null);
 * - or, for such a column with few distinct values (store, SKU, enums), those values once and a
 *   code per row: the worker then holds one string object per distinct value, as the records
 *   did, and its encoder's dictionary hashes each once instead of once a row.
 */
export type TransferColumn =
  | NumericColumn
  | { readonly kind: "text"; readonly text: string; readonly lengths: Int32Array }
  | {
      readonly kind: "codes";
      readonly text: string;
      readonly lengths: Int32Array;
      readonly codes: Int32Array;
    };

/** The typed-array kinds, shared with `ColumnValues`. */
export type NumericColumn = Extract<
  ColumnValues,
  { readonly kind: "int" | "boolean" | "decimal" | "date" | "timestamp" }
>;

/** Whether a transfer column holds typed values (else text or codes). */
export function isNumericColumn(column: TransferColumn): column is NumericColumn {
  return column.kind !== "text" && column.kind !== "codes";
}

/** The columns of `records`, in the order of `columns`. */
export function toTransferColumns(
  columns: readonly Column[],
  records: readonly Readonly<Record<string, unknown>>[],
): TransferColumn[] {
  const n = records.length;
  return columns.map((column): TransferColumn => {
    const { name } = column;
    const kind = column.type.kind;
    if (kind === "int") {
      const values = new Int32Array(n);
      const nulls = column.nullable ? new Uint8Array(n) : undefined;
      for (let i = 0; i < n; i++) {
        const value = (records[i] as Record<string, unknown>)[name];
        if (value === null || value === undefined) {
          if (nulls) nulls[i] = 1;
        } else values[i] = value as number;
      }
      return nulls ? { kind, values, nulls } : { kind, values };
    }
    if (kind === "boolean") {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const value = (records[i] as Record<string, unknown>)[name];
        values[i] = value === null || value === undefined ? 2 : value ? 1 : 0;
      }
      return { kind, values };
    }
    return codedColumn(name, records) ?? textColumn(name, records);
  });
}

function textColumn(name: string, records: readonly Readonly<Record<string, unknown>>[]) {
  const n = records.length;
  const lengths = new Int32Array(n);
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const value = (records[i] as Record<string, unknown>)[name];
    if (value === null || value === undefined) {
      lengths[i] = -1;
      parts[i] = "";
    } else {
      parts[i] = value as string;
      lengths[i] = (value as string).length;
    }
  }
  return { kind: "text", text: parts.join(""), lengths } as const;
}

/**
 * How many distinct values a column of `rows` rows may have and still count as few: an eighth
 * of its rows (at least 64). Codes would save little above it, and cost a map of every value.
 */
function fewLimit(rows: number): number {
  return Math.max(64, rows >> 3);
}

/**
 * Whether a typed column has few distinct non-null values, by the rule `toTransferColumns`
 * codes text by: the same values give the same answer as text or as typed values (-0 is 0, as
 * its text is). It runs in the encode worker for every decimal, date and timestamp column, so
 * it counts in an open-addressing table of the values (a `Set` of doubles cost about 0.08 us a
 * row over a file's columns), skipping a value equal to the row before (a ticket's lines share
 * their instant).
 */
export function hasFewValues(column: NumericColumn): boolean {
  const { values } = column;
  const nulls = "nulls" in column ? column.nulls : undefined;
  const limit = fewLimit(values.length);
  let size = 128;
  while (size < 2 * limit) size <<= 1;
  const mask = size - 1;
  const keys = new Float64Array(size);
  const used = new Uint8Array(size);
  let count = 0;
  let previous = Number.NaN;
  for (let i = 0; i < values.length; i++) {
    if (nulls?.[i] === 1) continue;
    const value = (values[i] as number) + 0; // -0 + 0 is 0
    if (value === previous) continue;
    previous = value;
    bitsOf[0] = value;
    let slot = hashBits(bitsWords[0] as number, bitsWords[1] as number) & mask;
    while (used[slot] === 1 && keys[slot] !== value) slot = (slot + 1) & mask;
    if (used[slot] === 1) continue;
    if (count >= limit) return false;
    used[slot] = 1;
    keys[slot] = value;
    count++;
  }
  return true;
}

const bitsOf = new Float64Array(1);
const bitsWords = new Int32Array(bitsOf.buffer);

/** A 32-bit mix of a double's two words (murmur3's finaliser). */
function hashBits(lo: number, hi: number): number {
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

// Gives up (undefined) as soon as the column has more distinct values than `fewLimit`.
function codedColumn(name: string, records: readonly Readonly<Record<string, unknown>>[]) {
  const n = records.length;
  const limit = fewLimit(n);
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const value = (records[i] as Record<string, unknown>)[name];
    if (value === null || value === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(value as string);
    if (code === undefined) {
      if (index.size >= limit) return undefined;
      code = index.size;
      index.set(value as string, code);
    }
    codes[i] = code;
  }
  return codesColumn([...index.keys()], codes);
}

/** The "codes" transfer column of `distinct` values (in code order) and each row's code. */
export function codesColumn(distinct: readonly string[], codes: Int32Array) {
  return {
    kind: "codes",
    text: distinct.join(""),
    lengths: Int32Array.from(distinct, (value) => value.length),
    codes,
  } as const;
}

/**
 * The logical values of each column again: `values[c][i]`, as records hold them (decimals,
 * dates and timestamps as their canonical text).
 */
export function fromTransferColumns(
  columns: readonly Column[],
  transfer: readonly TransferColumn[],
): unknown[][] {
  return transfer.map((column, c) => {
    switch (column.kind) {
      case "boolean":
        return Array.from(column.values, (v) => (v === 2 ? null : v === 1));
      case "codes": {
        const distinct = splitText(column.text, column.lengths);
        return Array.from(column.codes, (code) => (code < 0 ? null : distinct[code]));
      }
      case "text":
        return splitText(column.text, column.lengths);
      default: {
        const { values, nulls } = column;
        const text = canonicalOf(columns[c] as Column, column.kind);
        return Array.from(values, (v: number, i) => (nulls?.[i] ? null : text(v)));
      }
    }
  });
}

function canonicalOf(column: Column, kind: NumericColumn["kind"]): (value: number) => unknown {
  const { type } = column;
  if (kind === "decimal")
    return (units) => fromUnits(units, type.kind === "decimal" ? type.scale : 0);
  if (kind === "date") return dateOf;
  if (kind === "timestamp") return (ms) => new Date(ms).toISOString();
  return (value) => value;
}

function splitText(text: string, lengths: Int32Array): (string | null)[] {
  const out: (string | null)[] = new Array(lengths.length);
  let at = 0;
  for (let i = 0; i < lengths.length; i++) {
    const length = lengths[i] as number;
    if (length < 0) out[i] = null;
    else {
      out[i] = text.slice(at, at + length);
      at += length;
    }
  }
  return out;
}

/**
 * The buffers a transfer can move rather than copy, each once (columns may share one). Moved
 * buffers are detached from the sender: its typed arrays over them read as empty afterwards.
 */
export function transferables(transfer: readonly TransferColumn[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const column of transfer) {
    if (column.kind === "text") out.add(column.lengths.buffer as ArrayBuffer);
    else if (column.kind === "codes") {
      out.add(column.lengths.buffer as ArrayBuffer);
      out.add(column.codes.buffer as ArrayBuffer);
    } else {
      out.add(column.values.buffer as ArrayBuffer);
      if ("nulls" in column && column.nulls) out.add(column.nulls.buffer as ArrayBuffer);
    }
  }
  return [...out];
}
