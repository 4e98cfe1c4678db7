import type { SchemaElement } from "hyparquet";
import { type Column, fromUnits, type LogicalType, toUnits } from "../entities/index.js";

/**
 * The Parquet form of each logical type, and the exact conversions both ways. Decimals go through
 * bigint units, never a float; timestamps through bigint microseconds, never a `Date` (which holds
 * milliseconds only).
 */

/** Parquet schema element of a column: DECIMAL stays DECIMAL, DATE, TIMESTAMP(UTC, MICROS)... */
export function parquetElement(column: Column): SchemaElement {
  const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
  const { name, type } = column;
  switch (type.kind) {
    case "string":
      return {
        name,
        repetition_type,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        logical_type: { type: "STRING" },
      };
    case "int":
      return { name, repetition_type, type: "INT32" };
    case "boolean":
      return { name, repetition_type, type: "BOOLEAN" };
    case "date":
      return {
        name,
        repetition_type,
        type: "INT32",
        converted_type: "DATE",
        logical_type: { type: "DATE" },
      };
    case "timestamp":
      return {
        name,
        repetition_type,
        type: "INT64",
        converted_type: "TIMESTAMP_MICROS",
        logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
      };
    case "decimal": {
      const { precision, scale } = type;
      const decimal = {
        converted_type: "DECIMAL",
        precision,
        scale,
        logical_type: { type: "DECIMAL", precision, scale },
      } as const;
      // The Parquet spec's physical types for DECIMAL: INT32 up to 9 digits, INT64 up to 18,
      // then a fixed-length two's-complement byte array just wide enough for the precision.
      if (precision <= 9) return { name, repetition_type, type: "INT32", ...decimal };
      if (precision <= 18) return { name, repetition_type, type: "INT64", ...decimal };
      return {
        name,
        repetition_type,
        type: "FIXED_LEN_BYTE_ARRAY",
        type_length: decimalBytes(precision),
        ...decimal,
      };
    }
  }
}

/** Smallest byte width whose two's complement holds every `precision`-digit integer. */
export function decimalBytes(precision: number): number {
  const max = 10n ** BigInt(precision) - 1n;
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) - 1n < max) bytes++;
  return bytes;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Days since 1970-01-01 of an ISO date. */
export function daysOf(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${JSON.stringify(date)}`);
  // Not Date.UTC: it reads years 0-99 as 1900-1999.
  const t = new Date(0);
  t.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const days = t.getTime() / DAY_MS;
  if (dateOf(days) !== date) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return days;
}

/** ISO date of a day count since 1970-01-01. */
export function dateOf(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Microseconds since the epoch of an ISO UTC instant; more than 6 fraction digits would be lost, so they throw. */
export function microsOf(instant: string): bigint {
  const m = ISO_INSTANT.exec(instant);
  if (!m) throw new RangeError(`not an ISO UTC instant ending in Z: ${JSON.stringify(instant)}`);
  const fraction = m[2] ?? "";
  if (fraction.length > 6 && /[1-9]/.test(fraction.slice(6))) {
    throw new RangeError(`timestamp ${JSON.stringify(instant)} is finer than microseconds`);
  }
  const seconds = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(seconds))
    throw new RangeError(`not an ISO UTC instant: ${JSON.stringify(instant)}`);
  return BigInt(seconds) * 1000n + BigInt(fraction.slice(0, 6).padEnd(6, "0"));
}

/**
 * ISO UTC instant of microseconds since the epoch, with milliseconds (`.123Z`) or microseconds
 * (`.123456Z`) as the value needs: the canonical text of the entities' timestamps.
 */
export function instantOf(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = micros - ms * 1000n;
  const base = new Date(Number(ms)).toISOString();
  return rest === 0n ? base : `${base.slice(0, -1)}${String(rest).padStart(3, "0")}Z`;
}

/** The physical value written for one logical value. */
export function toPhysical(type: LogicalType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "decimal":
      return toUnits(value as string, type.scale);
    case "date":
      return daysOf(value as string);
    case "timestamp":
      return microsOf(value as string);
    default:
      return value;
  }
}

/** The logical value (canonical text for decimal, date and timestamp) of one physical value. */
export function fromPhysical(type: LogicalType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case "decimal":
      return fromUnits(
        value instanceof Uint8Array ? twosComplement(value) : BigInt(value as number | bigint),
        type.scale,
      );
    case "date":
      return dateOf(Number(value));
    case "timestamp":
      return instantOf(BigInt(value as bigint));
    case "int":
      return Number(value);
    default:
      return value;
  }
}

function twosComplement(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const bits = BigInt(bytes.length * 8);
  return bytes.length && (bytes[0] as number) & 0x80 ? value - (1n << bits) : value;
}
