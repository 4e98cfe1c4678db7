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
  for (const column of columns) {
    const value = record[column.name];
    size +=
      1 + (typeof value === "string" ? value.length : value == null ? 0 : String(value).length);
  }
  return size;
}
