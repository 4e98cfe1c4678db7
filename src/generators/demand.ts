import { dateOf, dayNumber, weekdayOf } from "./calendar.js";
import type { FormatProfile } from "./store-formats.js";

/**
 * Footfall: how many tickets a store-day gets, and when in the day they come. Multipliers are
 * relative to an average day of the format.
 */

// Monday..Sunday; Sunday is short (morning opening) for most physical formats.
const WEEKDAY = [0.82, 0.86, 0.98, 0.95, 1.15, 1.45, 0.5] as const;
const WEB_WEEKDAY = [1.05, 1.0, 0.98, 0.96, 0.92, 0.9, 1.2] as const;
// January..December: the January dip, the summer lull, the December peak.
const MONTH = [0.9, 0.88, 0.95, 0.98, 1.0, 1.0, 1.02, 0.94, 0.96, 0.98, 1.02, 1.22] as const;

/** The Friday after the fourth Thursday of November. */
export function blackFriday(year: number): number {
  const nov1 = dayNumber(`${year}-11-01`);
  const firstThursday = nov1 + ((3 - weekdayOf(nov1) + 7) % 7);
  return firstThursday + 22;
}

/** Public holidays on which physical stores close: 1 Jan, 1 May, 25 Dec. */
export function isHoliday(day: number): boolean {
  const md = dateOf(day).slice(5);
  return md === "01-01" || md === "05-01" || md === "12-25";
}

/** Opening hours of a store on a day, in local hours `[open, close)`, or null when closed. */
export function openingHours(
  profile: FormatProfile,
  day: number,
): readonly [number, number] | null {
  if (profile.channel === "web") return profile.hours;
  if (isHoliday(day)) return null;
  return weekdayOf(day) === 6 ? profile.sundayHours : profile.hours;
}

/** Seasonal and calendar-event multiplier of footfall on a day. */
export function seasonFactor(day: number): number {
  const date = dateOf(day);
  const year = Number(date.slice(0, 4));
  let factor = MONTH[Number(date.slice(5, 7)) - 1] as number;
  if (day === blackFriday(year)) factor *= 1.7;
  const md = date.slice(5);
  if (md >= "12-18" && md <= "12-24") factor *= 1.35;
  if (md === "12-31") factor *= 1.25;
  return factor;
}

/** Expected tickets of a store-day, before day-level noise. */
export function expectedTickets(
  profile: FormatProfile,
  size: number,
  day: number,
  traffic: number,
): number {
  if (!openingHours(profile, day)) return 0;
  const weekday = weekdayOf(day);
  const weekFactor =
    profile.channel === "web" ? (WEB_WEEKDAY[weekday] as number) : (WEEKDAY[weekday] as number);
  return profile.tickets * size * weekFactor * seasonFactor(day) * traffic;
}

/** An average day's tickets, used to size reorder points. */
export function averageTickets(profile: FormatProfile, size: number, traffic: number): number {
  return profile.tickets * size * traffic;
}

const SLOT_MINUTES = 15;
const cdfCache = new Map<string, Float64Array>();

/**
 * Cumulative arrival profile over 15-minute slots of the opening hours: a late-morning and an
 * early-evening peak in shops, lunch and late-evening peaks on the web.
 */
export function arrivalCdf(profile: FormatProfile, hours: readonly [number, number]): Float64Array {
  const key = `${profile.channel}|${hours[0]}|${hours[1]}`;
  const cached = cdfCache.get(key);
  if (cached) return cached;
  const slots = Math.round(((hours[1] - hours[0]) * 60) / SLOT_MINUTES);
  const cdf = new Float64Array(slots);
  let total = 0;
  for (let i = 0; i < slots; i++) {
    const h = hours[0] + ((i + 0.5) * SLOT_MINUTES) / 60;
    const w =
      profile.channel === "web"
        ? 0.08 + (h >= 7 ? 0.3 : 0) + 0.6 * bump(h, 12.5, 1.2) + 1.0 * bump(h, 21, 1.6)
        : 0.3 + 1.0 * bump(h, 11.5, 1.3) + 1.25 * bump(h, 18, 1.5);
    total += w;
    cdf[i] = total;
  }
  for (let i = 0; i < slots; i++) cdf[i] = (cdf[i] as number) / total;
  cdfCache.set(key, cdf);
  return cdf;
}

/** Local ms after midnight of an arrival drawn from `cdf` with uniforms `u` (slot) and `v`. */
export function arrivalTime(
  cdf: Float64Array,
  hours: readonly [number, number],
  u: number,
  v: number,
): number {
  const slot = searchCdf(cdf, u);
  return Math.floor((hours[0] * 60 + (slot + v) * SLOT_MINUTES) * 60_000);
}

// Buckets of a cdf's guide: a power of two, so `u * GUIDE_BUCKETS` and `b / GUIDE_BUCKETS` are
// exact and a bucket's bound is never above the `u` that falls in it.
const GUIDE_BUCKETS = 2048;

/**
 * For `searchGuided`: per bucket b, `searchCdf(cdf, b / 2048)`, where every draw of that bucket
 * starts its search. A draw of an assortment's products then costs a step or two from its bucket
 * instead of a binary search's dozen mispredicted branches (69 against 20 ns a draw, measured).
 */
export function cdfGuide(cdf: ArrayLike<number>): Int32Array {
  const guide = new Int32Array(GUIDE_BUCKETS);
  const last = cdf.length - 1;
  let i = 0;
  for (let b = 0; b < GUIDE_BUCKETS; b++) {
    const bound = b / GUIDE_BUCKETS;
    while (i < last && !((cdf[i] as number) > bound)) i++;
    guide[b] = i;
  }
  return guide;
}

/**
 * `searchCdf(cdf, u)` for a `u` in [0, 1), found from `guide` (`cdfGuide(cdf)`): the same index
 * (the first weight above `u` lies at or after its bucket's start, none before it is above `u`).
 */
export function searchGuided(cdf: ArrayLike<number>, guide: Int32Array, u: number): number {
  if (!(u >= 0 && u < 1)) return searchCdf(cdf, u);
  const last = cdf.length - 1;
  let i = guide[Math.floor(u * GUIDE_BUCKETS)] as number;
  while (i < last && !((cdf[i] as number) > u)) i++;
  return i;
}

/** Index of the first cumulative weight above `u` (binary search). */
export function searchCdf(cdf: ArrayLike<number>, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function bump(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return Math.exp(-0.5 * z * z);
}
