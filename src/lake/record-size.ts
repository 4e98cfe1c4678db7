import type { Column } from "../entities/index.js";

/**
 * The size of a record as delimited text, in UTF-16 code units (bytes for ASCII): what the
 * roller counts against `maxBytes` and what sizes Parquet row groups. Cheap on purpose: it is
 * computed once per record, so it must not encode anything.
 */
export function recordTextSize(
  columns: readonly Column[],
  record: Readonly<Record<string, unknown>>,
): number {
  let size = 0;
  for (const column of columns) size += 1 + textLength(record[column.name]);
  return size;
}

/** `String(value).length` (0 for null), without making the string of a number or boolean. */
function textLength(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (value == null) return 0;
  if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 1e15) {
    // Below 1e15 an integer prints as its digits (and a minus sign): no exponent. -0 prints "0".
    let digits = 1;
    for (let n = Math.abs(value), ten = 10; n >= ten; ten *= 10) digits++;
    return value < 0 ? digits + 1 : digits;
  }
  if (typeof value === "boolean") return value ? 4 : 5;
  return String(value).length;
}
