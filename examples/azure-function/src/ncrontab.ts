import { Cron } from "croner";

/**
 * NCRONTAB, the six-field cron of Azure Functions timers: `{second} {minute} {hour} {day}
 * {month} {day-of-week}`, evaluated in UTC. Parsed and evaluated by croner (maintained, no
 * dependencies, six-field patterns with seconds, previous occurrences); this file only fixes
 * the NCRONTAB reading: exactly six fields, UTC, and day-of-month AND day-of-week when both are
 * restricted, as before (croner's default is cron's OR).
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

/** A parsed NCRONTAB schedule. */
export interface Ncrontab {
  readonly expression: string;
  readonly cron: Cron;
}

/**
 * Reads a six-field NCRONTAB expression.
 * @throws NcrontabError naming the field.
 * @example
 * latestOccurrence(parseNcrontab("0 *\/5 * * * *"), new Date("2026-11-01T08:07:30Z")); // 08:05:00
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
  try {
    const cron = new Cron(expression, {
      mode: "6-part",
      timezone: "UTC",
      domAndDow: true,
      paused: true,
    });
    return { expression, cron };
  } catch (error) {
    // croner says "CronPattern: Invalid value for minute: 61": keep its reason, name ours.
    const reason = (error as Error).message.replace(/^CronPattern:\s*/, "");
    throw new NcrontabError(expression, "expression", `is invalid: ${reason}`);
  }
}

/**
 * The latest occurrence of the schedule at or before `at` (UTC), to the second.
 * @throws NcrontabError when none exists in the years before `at` (a schedule like 31 February).
 * @example
 * latestOccurrence(parseNcrontab("0 *\/5 * * * *"), new Date("2026-11-01T08:07:30Z")); // 08:05:00
 */
export function latestOccurrence(schedule: Ncrontab, at: Date): Date {
  // croner counts a run earlier in the reference's second: the end of `at`'s second includes it.
  const reference = new Date(Math.floor(at.getTime() / 1000) * 1000 + 999);
  const [latest] = schedule.cron.previousRuns(1, reference);
  if (latest) return latest;
  throw new NcrontabError(
    schedule.expression,
    "expression",
    `has no occurrence before ${at.toISOString()}`,
  );
}
