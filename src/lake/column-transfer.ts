import type { Column } from "../entities/index.js";

/**
 * A file's records as columns that cross to a worker thread cheaply. Structured cloning an array
 * of record objects costs about 1.4 us a row (serialise, then rebuild every object); here each
 * column is one flat buffer or one string, whose clone is a copy of its bytes:
 * - int: an Int32Array, and a null mask when the column is nullable;
 * - boolean: a Uint8Array of 0, 1, or 2 for null;
 * - every other kind (string, and the canonical text of decimal, date, timestamp): the values
 *   concatenated into one string, with their lengths in UTF-16 units (-1 for null);
 * - or, for such a column with few distinct values (store, SKU, enums), those values once and a
 *   code per row: the worker then holds one string object per distinct value, as the records
 *   did, and its encoder's dictionary hashes each once instead of once a row.
 */
export type TransferColumn =
  | { readonly kind: "int"; readonly values: Int32Array; readonly nulls?: Uint8Array }
  | { readonly kind: "boolean"; readonly values: Uint8Array }
  | { readonly kind: "text"; readonly text: string; readonly lengths: Int32Array }
  | {
      readonly kind: "codes";
      readonly text: string;
      readonly lengths: Int32Array;
      readonly codes: Int32Array;
    };

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

// Gives up (undefined) as soon as the column has more distinct values than an eighth of its rows:
// codes would then save little and cost a map of every value.
function codedColumn(name: string, records: readonly Readonly<Record<string, unknown>>[]) {
  const n = records.length;
  const limit = Math.max(64, n >> 3);
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
  const distinct = [...index.keys()];
  return {
    kind: "codes",
    text: distinct.join(""),
    lengths: Int32Array.from(distinct, (value) => value.length),
    codes,
  } as const;
}

/** The logical values of each column again: `values[c][i]`, as the records held them. */
export function fromTransferColumns(transfer: readonly TransferColumn[]): unknown[][] {
  return transfer.map((column) => {
    if (column.kind === "int") {
      const { values, nulls } = column;
      const out: unknown[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = nulls?.[i] ? null : values[i];
      return out;
    }
    if (column.kind === "boolean") {
      const out: unknown[] = new Array(column.values.length);
      for (let i = 0; i < column.values.length; i++) {
        const v = column.values[i];
        out[i] = v === 2 ? null : v === 1;
      }
      return out;
    }
    if (column.kind === "codes") {
      const distinct = fromTransferColumns([{ ...column, kind: "text" }])[0] as unknown[];
      const out: unknown[] = new Array(column.codes.length);
      for (let i = 0; i < column.codes.length; i++) {
        const code = column.codes[i] as number;
        out[i] = code < 0 ? null : distinct[code];
      }
      return out;
    }
    const { text, lengths } = column;
    const out: unknown[] = new Array(lengths.length);
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
  });
}

/** The buffers a transfer can move rather than copy. */
export function transferables(transfer: readonly TransferColumn[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const column of transfer) {
    if (column.kind === "text") out.push(column.lengths.buffer as ArrayBuffer);
    else if (column.kind === "codes") {
      out.push(column.lengths.buffer as ArrayBuffer, column.codes.buffer as ArrayBuffer);
    } else {
      out.push(column.values.buffer as ArrayBuffer);
      if (column.kind === "int" && column.nulls) out.push(column.nulls.buffer as ArrayBuffer);
    }
  }
  return out;
}
