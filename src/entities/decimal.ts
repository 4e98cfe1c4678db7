import { decimalPattern } from "./logical-type.js";

/**
 * Exact decimal arithmetic on canonical strings, through integer units of 10^-scale.
 * Money in this library never goes through a float: `"19.99"` is 1999 units at scale 2.
 */

/** Units of a canonical decimal string at `scale` (`toUnits("-1.50", 2) === -150n`). */
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

/** Canonical decimal string of `units` at `scale` (`fromUnits(-150n, 2) === "-1.50"`). */
export function fromUnits(units: bigint | number, scale: number): string {
  const big = BigInt(units);
  const negative = big < 0n;
  const digits = (negative ? -big : big).toString().padStart(scale + 1, "0");
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
