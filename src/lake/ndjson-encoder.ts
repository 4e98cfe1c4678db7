import type { CellValue } from "./csv-encoder.js";

/**
 * Encodes rows as newline-delimited JSON: one object a line, keys in column order, every column
 * present (null when missing), `\n` line ends. Decimals stay JSON strings so no float touches them.
 * @example
 * ndjsonText(["sku", "price"], [{ sku: "P000001", price: "1.50" }]); // '{"sku":"P000001","price":"1.50"}\n'
 */
export function ndjsonText(
  columns: readonly string[],
  rows: Iterable<Readonly<Record<string, CellValue>>>,
): string {
  return [...ndjsonChunks(columns, rows)].join("");
}

/** The same text as `ndjsonText`, in chunks of whole lines (see `csvChunks`). */
export function* ndjsonChunks(
  columns: readonly string[],
  rows: Iterable<Readonly<Record<string, CellValue>>>,
  linesPerChunk = 8192,
): Generator<string> {
  const keys = columns.map((name, i) => `${i === 0 ? "{" : ","}${JSON.stringify(name)}:`);
  let chunk = "";
  let lines = 0;
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < columns.length; i++) {
      const value = row[columns[i] as string];
      line += keys[i] + json(value);
    }
    chunk += `${line}}\n`;
    if (++lines === linesPerChunk) {
      yield chunk;
      chunk = "";
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}

// Most values are plain ASCII codes and numbers: skip JSON.stringify for them, it dominates.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function json(value: CellValue): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  return value ? "true" : "false";
}
