import { z } from "zod";

/**
 * The storage-independent type of a column. Every physical type (Parquet, DuckDB, Snowflake,
 * CSV text) is derived from it, so an entity never states a type twice.
 *
 * - `int` is a 32-bit signed integer (Parquet INT32, DuckDB INTEGER, Snowflake NUMBER(10,0)).
 * - `decimal` values are canonical strings (`"-12.30"`): exact, JSON-safe, no float drift.
 * - `date` values are ISO calendar dates (`"2026-11-01"`), a store's local business day.
 * - `timestamp` values are ISO instants in UTC ending in `Z`, up to microseconds.
 */
export type LogicalType =
  | { readonly kind: "string" }
  | { readonly kind: "int" }
  | { readonly kind: "decimal"; readonly precision: number; readonly scale: number }
  | { readonly kind: "boolean" }
  | { readonly kind: "date" }
  | { readonly kind: "timestamp" };

/** Bounds a decimal field carries (inclusive), as canonical decimal strings. */
export interface DecimalBounds {
  readonly min?: string;
  readonly max?: string;
}

/** What the field builders below attach to a zod schema, read back by `defineEntity`. */
export interface FieldMeta {
  readonly type: LogicalType;
  readonly min?: string | number;
  readonly max?: string | number;
}

/** Registry linking the zod schemas built here to their logical type. */
export const fieldTypes = z.registry<FieldMeta>();

/** Regex of the canonical text of a decimal(p,s): no leading zeros, exactly `s` decimals. */
export function decimalPattern(precision: number, scale: number): RegExp {
  const intDigits = precision - scale;
  const intPart = intDigits > 0 ? `(0|[1-9]\\d{0,${intDigits - 1}})` : "0";
  return new RegExp(`^-?${intPart}${scale > 0 ? `\\.\\d{${scale}}` : ""}$`);
}
