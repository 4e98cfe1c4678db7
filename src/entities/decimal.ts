import { decimalPattern } from "./logical-type.js";

/**
 * Exact decimal arithmetic on canonical strings, through integer units of 10^-scale.
 * Money in this library never goes through a float: `"19.99"` is 1999 units at scale 2.
 */

/** Units of a canonical decimal string at `scale` (`toUnits("-1.50", 2) === -150n`). */
export function toUnits(value: string, scale: number): bigint {
  const units = scanUnits(value, scale);
  if (typeof units !== "number") return units;
  if (units >= 0 && units < SMALL_UNITS.length) {
    // Small amounts recur (0.00, prices of a few euros): their bigints are made once.
    const cached = SMALL_UNITS[units];
    if (cached !== undefined) return cached;
    SMALL_UNITS[units] = BigInt(units);
    return SMALL_UNITS[units] as bigint;
  }
  return BigInt(units);
}

/** Bigints of units 0 ... 65,535, made when first asked for (at most about 2 MB). */
const SMALL_UNITS: (bigint | undefined)[] = new Array(65_536);

/**
 * Units of a decimal string as a Number, for callers that fill typed arrays (no bigint per
 * value): exact, so a value whose units exceed 2^53 - 1 throws a `RangeError` naming it.
 */
export function unitsNumberOf(value: string, scale: number): number {
  const units = scanUnits(value, scale);
  if (typeof units === "number") return units;
  if (units > MAX_SAFE || units < -MAX_SAFE) {
    throw new RangeError(
      `decimal ${JSON.stringify(value)} has more units than a Number holds exactly`,
    );
  }
  return Number(units);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** 10^0 ... 10^15, all exact doubles. */
const POWERS = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * The units of `value`: a Number when they have at most 15 digits (below 2^53, so Number
 * arithmetic is exact), else a bigint. Reads char codes: no regex, split or substring per value.
 * Accepts an optional `-`, one or more digits, then optionally `.` and at most `scale` digits.
 */
function scanUnits(value: string, scale: number): number | bigint {
  if (typeof value !== "string") {
    throw new TypeError(`not a decimal string: ${JSON.stringify(value) ?? String(value)}`);
  }
  const length = value.length;
  const start = length > 0 && value.charCodeAt(0) === 45 ? 1 : 0; // "-"
  let units = 0;
  let dot = -1;
  let ok = length > start && Number.isInteger(scale);
  // Digits, and at most one "." (46) after the first digit.
  for (let i = start; ok && i < length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 48 && c <= 57) units = units * 10 + (c - 48);
    else if (c === 46 && dot < 0 && i > start) dot = i;
    else ok = false;
  }
  const decimals = dot < 0 ? 0 : length - dot - 1;
  if (!ok || decimals > scale) {
    throw new RangeError(`not a decimal with at most ${scale} decimals: ${JSON.stringify(value)}`);
  }
  const digits = length - start - (dot < 0 ? 0 : 1) - decimals + scale;
  if (digits <= 15) {
    const scaled = units * (POWERS[scale - decimals] as number);
    return start && scaled !== 0 ? -scaled : scaled;
  }
  // Wider than a Number holds exactly (DECIMAL(38, s) text): one bigint from the digits.
  const intPart = value.slice(start, dot < 0 ? length : dot);
  const fraction = dot < 0 ? "" : value.slice(dot + 1);
  const big = BigInt(intPart + fraction.padEnd(scale, "0"));
  return start ? -big : big;
}

/** Canonical decimal string of `units` at `scale` (`fromUnits(-150n, 2) === "-1.50"`). */
export function fromUnits(units: bigint | number, scale: number): string {
  // A safe integer formats as a Number: no bigint made from a Number's units.
  const small =
    typeof units === "number"
      ? Number.isSafeInteger(units)
      : units <= MAX_SAFE && units >= -MAX_SAFE;
  const negative = units < 0;
  const abs = small ? Math.abs(Number(units)) : negative ? -BigInt(units) : BigInt(units);
  const digits = String(abs).padStart(scale + 1, "0");
  const intPart = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : "";
  return `${negative ? "-" : ""}${intPart}${fraction}`;
}

/** Whether `value` is the canonical text of a decimal(precision, scale). */
export function isDecimal(value: string, precision: number, scale: number): boolean {
  return decimalPattern(precision, scale).test(value);
}

/**
 * Divides with rounding half away from zero, the commercial rounding used on receipts.
 * `divRound(5n, 2n) === 3n`, `divRound(-5n, 2n) === -3n`.
 */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (2n * n + d) / (2n * d);
  return negative ? -q : q;
}
