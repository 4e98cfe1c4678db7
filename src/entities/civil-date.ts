/**
 * Proleptic Gregorian calendar arithmetic on plain integers (Howard Hinnant's days-from-civil and
 * civil-from-days, http://howardhinnant.github.io/date_algorithms.html), valid for every year
 * 0000-9999. No `Date`: building one per value costs a microsecond and an object, and `Date.UTC`
 * reads years 0-99 as 1900-1999.
 */

/** Days since 1970-01-01 of year `y`, month `m` (1-12), day `d` (1-31); no range check. */
export function daysFromCivil(y: number, m: number, d: number): number {
  const year = m <= 2 ? y - 1 : y;
  const era = Math.floor(year / 400);
  const yoe = year - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days in month `m` (1-12) of year `y`. */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Day numbers of 0000-01-01 and 9999-12-31: the range `isoDateOfDay` formats. */
export const FIRST_ISO_DAY = daysFromCivil(0, 1, 1);
export const LAST_ISO_DAY = daysFromCivil(9999, 12, 31);

/** `"00"` ... `"99"`: two-digit fields without a `padStart` per value. */
export const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) =>
  String(i).padStart(2, "0"),
);

/** ISO date (`"YYYY-MM-DD"`) of an integer day number in FIRST_ISO_DAY..LAST_ISO_DAY. */
export function isoDateOfDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  const year = y >= 1000 ? String(y) : String(y).padStart(4, "0");
  return `${year}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}`;
}
