/**
 * NCRONTAB, the six-field cron of Azure Functions timers: `{second} {minute} {hour} {day}
 * {month} {day-of-week}`, evaluated in UTC. Only what a window computation needs: parse, and
 * the latest occurrence at or before an instant.
 */

/** An NCRONTAB expression that cannot be read; the message names the field and the value. */
export class NcrontabError extends Error {
  override readonly name = "NcrontabError";
  constructor(
    readonly expression: string,
    readonly field: string,
    reason: string,
  ) {
    super(`NCRONTAB "${expression}": ${field} ${reason}`);
  }
}

export interface Ncrontab {
  readonly expression: string;
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
}

const FIELDS = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day-of-week", min: 0, max: 6 },
] as const;
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function parseField(expression: string, text: string, index: number): Set<number> {
  const { name, min, max } = FIELDS[index] as (typeof FIELDS)[number];
  const names = index === 4 ? MONTHS : index === 5 ? WEEKDAYS : [];
  const value = (token: string): number => {
    const named = names.indexOf(token.toLowerCase());
    if (named >= 0) return index === 4 ? named + 1 : named;
    if (!/^\d+$/.test(token))
      throw new NcrontabError(expression, name, `has "${token}", not a number`);
    const n = Number(token);
    // Sunday may be written 7, as in most crons.
    if (index === 5 && n === 7) return 0;
    if (n < min || n > max)
      throw new NcrontabError(expression, name, `value ${n} is outside ${min}-${max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/") as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw new NcrontabError(
        expression,
        name,
        `step "${stepText}" must be a positive whole number`,
      );
    let from: number;
    let to: number;
    if (range === "*") [from, to] = [min, max];
    else if (range.includes("-")) {
      const [a, b] = range.split("-") as [string, string];
      [from, to] = [value(a), value(b)];
      if (from > to) throw new NcrontabError(expression, name, `range "${range}" runs backwards`);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

/**
 * Reads a six-field NCRONTAB expression.
 * @throws NcrontabError naming the field.
 * @example
 * parseNcrontab("0 *\/5 * * * *").minutes.has(10); // true
 */
export function parseNcrontab(expression: string): Ncrontab {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new NcrontabError(
      expression,
      "expression",
      `has ${parts.length} fields; NCRONTAB has six: {second} {minute} {hour} {day} {month} {day-of-week}`,
    );
  }
  const [seconds, minutes, hours, days, months, weekdays] = parts.map((p, i) =>
    parseField(expression, p, i),
  ) as Set<number>[];
  return { expression, seconds, minutes, hours, days, months, weekdays } as Ncrontab;
}

const SECOND = 1000;

function largestAtMost(set: ReadonlySet<number>, n: number): number | undefined {
  let best: number | undefined;
  for (const v of set) if (v <= n && (best === undefined || v > best)) best = v;
  return best;
}

/**
 * The latest occurrence of the schedule at or before `at` (UTC), to the second.
 * @throws NcrontabError when none exists in the five years before `at` (a schedule like 31 February).
 * @example
 * latestOccurrence(parseNcrontab("0 *\/5 * * * *"), new Date("2026-11-01T08:07:30Z")); // 08:05:00
 */
export function latestOccurrence(schedule: Ncrontab, at: Date): Date {
  let t = Math.floor(at.getTime() / SECOND) * SECOND;
  const floor = t - 5 * 366 * 86_400 * SECOND;
  // Each step either returns or moves t back to the end of the previous month, day, hour or
  // minute, so the loop is bounded by the number of minutes searched, not seconds.
  while (t >= floor) {
    const d = new Date(t);
    const [month, day, weekday] = [d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCDay()];
    if (!schedule.months.has(month)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - SECOND;
    } else if (!schedule.days.has(day) || !schedule.weekdays.has(weekday)) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day) - SECOND;
    } else if (!schedule.hours.has(d.getUTCHours())) {
      t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day, d.getUTCHours()) - SECOND;
    } else if (!schedule.minutes.has(d.getUTCMinutes())) {
      t =
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day, d.getUTCHours(), d.getUTCMinutes()) -
        SECOND;
    } else {
      const second = largestAtMost(schedule.seconds, d.getUTCSeconds());
      if (second !== undefined)
        return new Date(
          Date.UTC(
            d.getUTCFullYear(),
            d.getUTCMonth(),
            day,
            d.getUTCHours(),
            d.getUTCMinutes(),
            second,
          ),
        );
      t =
        Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), day, d.getUTCHours(), d.getUTCMinutes()) -
        SECOND;
    }
  }
  throw new NcrontabError(
    schedule.expression,
    "expression",
    `has no occurrence in the five years before ${at.toISOString()}`,
  );
}
