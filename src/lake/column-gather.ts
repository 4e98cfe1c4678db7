import type { Column, ColumnValues } from "../entities/index.js";
import type { BatchRows } from "./column-route.js";
import { codesColumn, type TransferColumn } from "./column-transfer.js";

/**
 * The transfer columns of a file whose rows are column-batch rows, gathered from the batches'
 * typed arrays: for ints, booleans and strings exactly what `toTransferColumns(columns,
 * records)` gives for those rows' canonical records; decimals, dates and timestamps as typed
 * columns (units, days, epoch milliseconds), which the encoder writes as the same bytes as their
 * text. A dictionary column keeps its codes (renumbered in first-use order, as
 * `toTransferColumns` numbers distinct values), so no row's string is hashed.
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
    if (kind === "string") return codedColumn(c, parts, n) ?? textColumn(c, parts, n);
    // Decimal, date, timestamp: the batches' units, days and milliseconds as they are (the
    // encoder judges few or many values on them by the rule it judges their text by).
    const values = kind === "date" ? new Int32Array(n) : new Float64Array(n);
    const nulls = column.nullable ? new Uint8Array(n) : undefined;
    let k = 0;
    for (const { batch, rows } of parts) {
      const from = batch.columns[c] as Extract<ColumnValues, { kind: typeof kind }>;
      for (const r of rows) {
        if (from.nulls?.[r]) {
          if (nulls) nulls[k] = 1;
        } else values[k] = from.values[r] as number;
        k++;
      }
    }
    return { kind, values, ...(nulls ? { nulls } : {}) } as TransferColumn;
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
function codedColumn(c: number, parts: readonly BatchRows[], n: number) {
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
  let k = 0;
  for (const { batch, rows } of parts) {
    const from = batch.columns[c] as StringValues;
    if (from.kind === "dictionary") {
      // Each dictionary code's file code, found once.
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
    } else {
      for (const r of rows) {
        const value = from.values[r] ?? null;
        const fileCode = value === null ? -1 : code(value);
        if (fileCode === GIVE_UP) return undefined;
        codes[k++] = fileCode;
      }
    }
  }
  return codesColumn([...index.keys()], codes);
}

function textColumn(c: number, parts: readonly BatchRows[], n: number) {
  const lengths = new Int32Array(n);
  const texts: string[] = new Array(n);
  let k = 0;
  for (const { batch, rows } of parts) {
    const from = batch.columns[c] as StringValues;
    for (const r of rows) {
      const v =
        from.kind === "string"
          ? (from.values[r] ?? null)
          : (from.codes[r] as number) < 0
            ? null
            : (from.dictionary[from.codes[r] as number] as string);
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

type StringValues = Extract<ColumnValues, { kind: "string" | "dictionary" }>;
