/**
 * Calendar arithmetic for business days. A business day is the store's local calendar date, so
 * its bounds in UTC depend on the store's time zone (and are 23 or 25 hours long on DST days).
 */

import { isoDateOfDay } from "../entities/civil-date.js";

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of an ISO date. */
export function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** ISO date of a day number (years 0000-9999), by integer arithmetic: no `Date` per product and store-day. */
export const dateOf: (day: number) => string = isoDateOfDay;

/** The ISO date `n` days after `date`. */
export function addDays(date: string, n: number): string {
  return dateOf(dayNumber(date) + n);
}

/** The first and last dates an ISO date (and every entity's date column) can hold. */
export const FIRST_DATE = "0001-01-01";
export const LAST_DATE = "9999-12-31";

const FIRST_DAY = dayNumber(FIRST_DATE);

/**
 * The ISO date `n` days before `date`, or `FIRST_DATE` when that is earlier: the past of a run
 * starting in year 1 (a store's opening, a product's launch) stops at the calendar's start.
 */
export function daysBefore(date: string, n: number): string {
  // Called for every product, store and customer with the run's start: parse it once.
  if (date !== lastDate) {
    lastDate = date;
    lastDay = dayNumber(date);
  }
  return dateOf(Math.max(FIRST_DAY, lastDay - n));
}

let lastDate = "";
let lastDay = 0;

/** Day of week, 0 = Monday ... 6 = Sunday. */
export function weekdayOf(day: number): number {
  // 1970-01-01 was a Thursday.
  return (day + 3) % 7;
}

/** ISO-week-like index (weeks since the Monday before the epoch), for weekly promotions. */
export function weekIndexOf(day: number): number {
  return Math.floor((day + 3) / 7);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Offset of local time from UTC in ms at an instant (`+3_600_000` for Paris in winter). */
export function offsetAt(timeZone: string, utcMs: number): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const year = parts.year ?? 1970;
  let local = Date.UTC(
    year,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  // Date.UTC reads years 0-99 as 1900-1999; set the real one (same month and day, so a 29
  // February stays one: the year it came from is a leap year).
  if (year < 100) local = new Date(local).setUTCFullYear(year);
  return local - Math.floor(utcMs / 1000) * 1000;
}

/** UTC instant (ms) of a local wall-clock time given as ms after local midnight of `day`. */
export function localToUtc(timeZone: string, day: number, msOfDay: number): number {
  const wall = day * DAY_MS + msOfDay;
  const first = wall - offsetAt(timeZone, wall);
  return wall - offsetAt(timeZone, first);
}

/** The UTC bounds `[start, end)` of a local business day, and the offsets that apply in it. */
export interface BusinessDay {
  readonly day: number;
  readonly date: string;
  readonly start: number;
  readonly end: number;
}

const dayCache = new Map<string, BusinessDay>();

/**
 * The business day `day` in `timeZone`.
 * @example
 * businessDay("Europe/Paris", dayNumber("2026-11-01")).start; // 2026-10-31T23:00:00Z in ms
 */
export function businessDay(timeZone: string, day: number): BusinessDay {
  const key = `${timeZone}|${day}`;
  let bd = dayCache.get(key);
  if (!bd) {
    bd = {
      day,
      date: dateOf(day),
      start: localToUtc(timeZone, day, 0),
      end: localToUtc(timeZone, day + 1, 0),
    };
    if (dayCache.size > 50_000) dayCache.clear();
    dayCache.set(key, bd);
  }
  return bd;
}

/** The local calendar day (day number) an instant falls on in `timeZone`. */
export function localDayOf(timeZone: string, utcMs: number): number {
  return Math.floor((utcMs + offsetAt(timeZone, utcMs)) / DAY_MS);
}

/** `yyyymmdd` of a day, as it appears in ticket and movement numbers. */
export function compactDate(day: number): string {
  return dateOf(day).replace(/-/g, "");
}
