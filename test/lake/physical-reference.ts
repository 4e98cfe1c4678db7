import type { LogicalType } from "../../src/entities/index.js";

/**
 * The straightforward conversions the fast ones in src/lake/parquet-physical.ts and
 * src/entities/decimal.ts replaced (regex, `Date`, `BigInt` of strings), kept verbatim as the
 * reference the property tests and bench/lake.bench.ts compare them with.
 */

export function toUnits(value: string, scale: number): bigint {
  const negative = value.startsWith("-");
  const digits = negative ? value.slice(1) : value;
  const [intPart = "0", fraction = ""] = digits.split(".");
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(fraction) || fraction.length > scale) {
    throw new RangeError(`not a decimal with at most ${scale} decimals: ${JSON.stringify(value)}`);
  }
  const units = BigInt(intPart + fraction.padEnd(scale, "0"));
  return negative ? -units : units;
}

export function fromUnits(units: bigint | number, scale: number): string {
  const big = BigInt(units);
  const negative = big < 0n;
  const digits = (negative ? -big : big).toString().padStart(scale + 1, "0");
  const intPart = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : "";
  return `${negative ? "-" : ""}${intPart}${fraction}`;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

export function daysOf(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${JSON.stringify(date)}`);
  const t = new Date(0);
  t.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const days = t.getTime() / DAY_MS;
  if (dateOf(days) !== date) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return days;
}

export function dateOf(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

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

export function instantOf(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = micros - ms * 1000n;
  const base = new Date(Number(ms)).toISOString();
  return rest === 0n ? base : `${base.slice(0, -1)}${String(rest).padStart(3, "0")}Z`;
}

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
