import {
  daysFromCivil,
  daysInMonth,
  FIRST_ISO_DAY,
  isoDateOfDay,
  LAST_ISO_DAY,
  TWO_DIGITS,
} from "../entities/civil-date.js";
import { fromUnits, type LogicalType, toUnits } from "../entities/index.js";

/**
 * The exact conversions between each logical type and its Parquet physical value, both ways.
 * Decimals go through bigint units, never a float; timestamps through bigint microseconds, never
 * a `Date` (which holds milliseconds only).
 */

const DAY_MS = 86_400_000;

// The conversions below run for every value of every Parquet file, so they read char codes and
// do Number arithmetic (exact below 2^53), with no regex, `Date` or substring per value, and
// make at most one bigint, at the end, where the physical value must be one.

/** Days since 1970-01-01 of an ISO date (`"YYYY-MM-DD"`, years 0000-9999). */
export function daysOf(date: string): number {
  const s = typeof date === "string" ? date : `${date}`;
  if (
    s.length !== 10 ||
    s.charCodeAt(4) !== 45 || // "-"
    s.charCodeAt(7) !== 45
  ) {
    throw new RangeError(`not an ISO date: ${JSON.stringify(date)}`);
  }
  const y = digitsAt(s, 0, 4);
  const m = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  if (y < 0 || m < 0 || d < 0) throw new RangeError(`not an ISO date: ${JSON.stringify(date)}`);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  }
  return daysFromCivil(y, m, d);
}

/** The number the `count` ASCII digits of `s` from `at` spell, or -1 if one is not a digit. */
function digitsAt(s: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 48; // NaN past the end
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** ISO date of a day count since 1970-01-01. */
export function dateOf(days: number): string {
  if (Number.isInteger(days) && days >= FIRST_ISO_DAY && days <= LAST_ISO_DAY) {
    return isoDateOfDay(days);
  }
  // Outside years 0000-9999 (or a fraction of a day): what `Date` gives, as before.
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Microseconds since the epoch of an ISO UTC instant; more than 6 fraction digits would be lost, so they throw. */
export function microsOf(instant: string): bigint {
  // The lines of a ticket share one sold_at: the same text gives the same (immutable) bigint.
  if (instant === lastInstant) return lastMicros;
  const micros = instantMicros(instant);
  const big =
    typeof micros === "number"
      ? BigInt(micros)
      : BigInt(micros.seconds) * 1_000_000n + BigInt(micros.fraction);
  lastInstant = instant;
  lastMicros = big;
  return big;
}

let lastInstant: string | undefined;
let lastMicros = 0n;

/**
 * Writes the microseconds of an ISO UTC instant into `words` as the little-endian int64 at
 * `index` (words `2 * index` and `2 * index + 1`: an Int32Array over a BigInt64Array's buffer),
 * exactly for every year 0000-9999, without a bigint. Throws as `microsOf` does.
 */
export function microsInto(words: Int32Array, index: number, instant: string): void {
  if (instant !== lastWordsInstant) {
    const micros = instantMicros(instant);
    if (typeof micros === "number") {
      lastHi = Math.floor(micros / 2 ** 32);
      lastLo = (micros - lastHi * 2 ** 32) | 0;
    } else {
      // seconds * 10^6 + fraction = (seconds * 15625) * 2^6 + fraction, each term exact in a double.
      const a = micros.seconds * 15_625;
      lastHi = Math.floor(a / 2 ** 26);
      let lo = (a - lastHi * 2 ** 26) * 64 + micros.fraction;
      if (lo >= 2 ** 32) {
        lo -= 2 ** 32;
        lastHi += 1;
      }
      lastLo = lo | 0;
    }
    lastWordsInstant = instant;
  }
  words[2 * index] = lastLo;
  words[2 * index + 1] = lastHi;
}

// As in microsOf: the last instant's two words, for the next line of the same ticket.
let lastWordsInstant: string | undefined;
let lastLo = 0;
let lastHi = 0;

/** Writes a safe integer as the little-endian two's-complement int64 at `index` of `words`. */
export function int64Into(words: Int32Array, index: number, n: number): void {
  const hi = Math.floor(n / 2 ** 32);
  words[2 * index] = (n - hi * 2 ** 32) | 0;
  words[2 * index + 1] = hi;
}

/**
 * Microseconds of an instant: a Number when it is exact (within about 285 years of 1970), else
 * whole seconds and the microseconds of the fraction.
 */
function instantMicros(instant: string): number | { seconds: number; fraction: number } {
  const s = typeof instant === "string" ? instant : `${instant}`;
  const length = s.length;
  // YYYY-MM-DDTHH:MM:SS, then Z or a dot, 1-9 digits and Z.
  const shaped =
    (length === 20 || (length >= 22 && length <= 30 && s.charCodeAt(19) === 46)) &&
    s.charCodeAt(length - 1) === 90 && // "Z"
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 && // "T"
    s.charCodeAt(13) === 58 && // ":"
    s.charCodeAt(16) === 58;
  const y = shaped ? digitsAt(s, 0, 4) : -1;
  const mo = digitsAt(s, 5, 2);
  const d = digitsAt(s, 8, 2);
  const h = digitsAt(s, 11, 2);
  const mi = digitsAt(s, 14, 2);
  const sec = digitsAt(s, 17, 2);
  const fractionDigits = length > 20 ? length - 21 : 0;
  const micro = fractionDigits ? digitsAt(s, 20, Math.min(fractionDigits, 6)) : 0;
  const beyond = fractionDigits > 6 ? digitsAt(s, 26, fractionDigits - 6) : 0;
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || micro < 0 || beyond < 0) {
    throw new RangeError(`not an ISO UTC instant ending in Z: ${JSON.stringify(instant)}`);
  }
  if (beyond > 0) {
    throw new RangeError(`timestamp ${JSON.stringify(instant)} is finer than microseconds`);
  }
  // Hour 24 and days past the month's end are refused, where Date.parse would roll them over.
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) {
    throw new RangeError(`not an ISO UTC instant: ${JSON.stringify(instant)}`);
  }
  const fraction = micro * (POWERS_OF_TEN[6 - Math.min(fractionDigits, 6)] as number);
  const seconds = daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec;
  // |seconds| < 9e9 keeps seconds * 10^6 + fraction below 2^53.
  return seconds < 9e9 && seconds > -9e9 ? seconds * 1e6 + fraction : { seconds, fraction };
}

const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];

/** `"000"` ... `"999"`. */
const THREE_DIGITS: readonly string[] = Array.from({ length: 1000 }, (_, i) =>
  String(i).padStart(3, "0"),
);

/**
 * ISO UTC instant of microseconds since the epoch, with milliseconds (`.123Z`) or microseconds
 * (`.123456Z`) as the value needs: the canonical text of the entities' timestamps.
 */
export function instantOf(micros: bigint): string {
  // Within 2^53 microseconds of 1970 (years 1685-2254), Number arithmetic is exact.
  if (typeof micros === "bigint" && micros <= MAX_SAFE_MICROS && micros >= -MAX_SAFE_MICROS) {
    return instantOfNumber(Number(micros));
  }
  // Further out: through a Date, as before (which also refuses what a Date cannot hold).
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const rest = micros - ms * 1000n;
  const base = new Date(Number(ms)).toISOString();
  return rest === 0n ? base : `${base.slice(0, -1)}${String(rest).padStart(3, "0")}Z`;
}

const MAX_SAFE_MICROS = BigInt(Number.MAX_SAFE_INTEGER);

function instantOfNumber(micros: number): string {
  // Integer remainders and exact divisions: a float quotient could round across a boundary.
  const rest = ((micros % 1000) + 1000) % 1000;
  const ms = (micros - rest) / 1000;
  const msOfDay = ((ms % DAY_MS) + DAY_MS) % DAY_MS;
  const day = (ms - msOfDay) / DAY_MS;
  const seconds = Math.floor(msOfDay / 1000);
  const h = Math.floor(seconds / 3600);
  const mi = Math.floor((seconds % 3600) / 60);
  const time = `${TWO_DIGITS[h]}:${TWO_DIGITS[mi]}:${TWO_DIGITS[seconds % 60]}.${THREE_DIGITS[msOfDay % 1000]}`;
  return `${isoDateOfDay(day)}T${time}${rest === 0 ? "" : THREE_DIGITS[rest]}Z`;
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
