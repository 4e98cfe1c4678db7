import { canonicalOf } from "../entities/column-batch.js";
import type { Column, ColumnValues, LogicalType } from "../entities/index.js";
import type { BatchRows } from "./column-route.js";
import type { TransferColumn } from "./column-transfer.js";

/**
 * The transfer columns of a file whose rows are column-batch rows: exactly what
 * `toTransferColumns(columns, records)` gives for those rows' canonical records, gathered from
 * the batches' typed arrays. A dictionary column keeps its codes (renumbered in first-use order,
 * as `toTransferColumns` numbers distinct values), so no row's string is hashed.
 */
export function gatherTransferColumns(
  columns: readonly Column[],
  parts: readonly BatchRows[],
): TransferColumn[] {
  let n = 0;
  for (const part of parts) n += part.rows.length;
  return columns.map((column, c): TransferColumn => {
    const kind = column.type.kind;
    if (kind === "int") {
      const values = new Int32Array(n);
      const nulls = column.nullable ? new Uint8Array(n) : undefined;
      let k = 0;
      for (const { batch, rows } of parts) {
        const from = batch.columns[c] as Extract<ColumnValues, { kind: "int" }>;
        for (const r of rows) {
          if (from.nulls?.[r]) {
            if (nulls) nulls[k] = 1;
          } else values[k] = from.values[r] as number;
          k++;
        }
      }
      return nulls ? { kind, values, nulls } : { kind, values };
    }
    if (kind === "boolean") {
      const values = new Uint8Array(n);
      let k = 0;
      for (const { batch, rows } of parts) {
        const from = (batch.columns[c] as Extract<ColumnValues, { kind: "boolean" }>).values;
        for (const r of rows) {
          const v = from[r];
          values[k++] = v === 2 ? 2 : v === 1 ? 1 : 0;
        }
      }
      return { kind, values };
    }
    return codedColumn(column.type, c, parts, n) ?? textColumn(column.type, c, parts, n);
  });
}

/** Each row's `recordTextSize`, in file order: what sizes the file's Parquet row groups. */
export function gatherTextSizes(parts: readonly BatchRows[]): Int32Array {
  let n = 0;
  for (const part of parts) n += part.rows.length;
  const sizes = new Int32Array(n);
  let k = 0;
  for (const part of parts) for (const r of part.rows) sizes[k++] = part.sizes[r] as number;
  return sizes;
}

const GIVE_UP = -2;

// As `codedColumn` in column-transfer.ts: codes in order of first use, given up (undefined) as
// soon as the column has more distinct values than max(64, an eighth of its rows).
function codedColumn(type: LogicalType, c: number, parts: readonly BatchRows[], n: number) {
  const limit = Math.max(64, n >> 3);
  const index = new Map<string, number>();
  const code = (text: string): number => {
    let k = index.get(text);
    if (k === undefined) {
      if (index.size >= limit) return GIVE_UP;
      k = index.size;
      index.set(text, k);
    }
    return k;
  };
  const codes = new Int32Array(n);
  // A number's code, shared by the parts (their numbers mean the same text).
  const numbers = new Map<number, number>();
  let k = 0;
  for (const { batch, rows } of parts) {
    const from = batch.columns[c] as ColumnValues;
    if (from.kind === "dictionary") {
      const local = new Int32Array(from.dictionary.length).fill(GIVE_UP);
      for (const r of rows) {
        const dictionaryCode = from.codes[r] as number;
        let fileCode = -1;
        if (dictionaryCode >= 0) {
          fileCode = local[dictionaryCode] as number;
          if (fileCode === GIVE_UP) {
            fileCode = code(from.dictionary[dictionaryCode] as string);
            if (fileCode === GIVE_UP) return undefined;
            local[dictionaryCode] = fileCode;
          }
        }
        codes[k++] = fileCode;
      }
    } else if (from.kind === "string") {
      for (const r of rows) {
        const value = from.values[r] ?? null;
        const fileCode = value === null ? -1 : code(value);
        if (fileCode === GIVE_UP) return undefined;
        codes[k++] = fileCode;
      }
    } else if (from.kind === "decimal" || from.kind === "date" || from.kind === "timestamp") {
      const text = canonicalOf(type, from.kind) as (n: number) => string;
      for (const r of rows) {
        let fileCode = -1;
        if (!from.nulls?.[r]) {
          const value = from.values[r] as number;
          const known = numbers.get(value);
          if (known === undefined) {
            fileCode = code(text(value));
            if (fileCode === GIVE_UP) return undefined;
            numbers.set(value, fileCode);
          } else fileCode = known;
        }
        codes[k++] = fileCode;
      }
    }
  }
  const distinct = [...index.keys()];
  return {
    kind: "codes",
    text: distinct.join(""),
    lengths: Int32Array.from(distinct, (value) => value.length),
    codes,
  } as const;
}

function textColumn(type: LogicalType, c: number, parts: readonly BatchRows[], n: number) {
  const lengths = new Int32Array(n);
  const texts: string[] = new Array(n);
  let k = 0;
  for (const { batch, rows } of parts) {
    const from = batch.columns[c] as ColumnValues;
    const value = textReader(type, from);
    for (const r of rows) {
      const v = value(r);
      if (v === null) {
        lengths[k] = -1;
        texts[k++] = "";
      } else {
        lengths[k] = v.length;
        texts[k++] = v;
      }
    }
  }
  return { kind: "text", text: texts.join(""), lengths } as const;
}

/** Row `r`'s canonical text (null for null); a number equal to the row before's is not formatted again. */
function textReader(type: LogicalType, from: ColumnValues): (r: number) => string | null {
  switch (from.kind) {
    case "string":
      return (r) => from.values[r] ?? null;
    case "dictionary":
      return (r) => {
        const code = from.codes[r] as number;
        return code < 0 ? null : (from.dictionary[code] as string);
      };
    case "decimal":
    case "date":
    case "timestamp": {
      const text = canonicalOf(type, from.kind) as (n: number) => string;
      let last = Number.NaN;
      let lastText = "";
      return (r) => {
        if (from.nulls?.[r]) return null;
        const value = from.values[r] as number;
        if (value !== last) {
          last = value;
          lastText = text(value);
        }
        return lastText;
      };
    }
    default:
      throw new TypeError(`a ${type.kind} column cannot be gathered as text`);
  }
}
