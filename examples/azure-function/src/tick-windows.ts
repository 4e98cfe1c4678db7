import { latestOccurrence, type Ncrontab } from "./ncrontab.js";

/** A half-open window `[from, to)` between two consecutive schedule occurrences. */
export interface ScheduleWindow {
  readonly from: string;
  readonly to: string;
}

export interface TickWindowsInput {
  /** When the function runs. */
  readonly now: Date;
  /** `timer.scheduleStatus.last`: the last occurrence the host recorded, when it has one. */
  readonly last?: string | undefined;
  /**
   * How early the host may fire before an occurrence and still mean it (clock skew); default 5 s.
   * Azure fires on or just after the occurrence.
   */
  readonly earlyToleranceMs?: number;
}

/**
 * The windows one invocation must generate: every interval between consecutive occurrences
 * from the last recorded occurrence up to the latest one at or before now. On schedule that is
 * one window, `[previous, current)`; after missed runs (`isPastDue`, a host that was down) it
 * is each missed interval, so nothing is skipped, and because the windows are aligned to the
 * schedule, the files they name are the ones on-time runs would have named: a re-run publishes
 * nothing twice.
 * @example
 * tickWindows(parseNcrontab("0 *\/5 * * * *"), { now: new Date("2026-11-01T08:20:01Z"), last: "2026-11-01T08:05:00Z" });
 * // [08:05-08:10), [08:10-08:15), [08:15-08:20)
 */
export function tickWindows(schedule: Ncrontab, input: TickWindowsInput): ScheduleWindow[] {
  const tolerance = input.earlyToleranceMs ?? 5000;
  const to = latestOccurrence(schedule, new Date(input.now.getTime() + tolerance));
  const previous = latestOccurrence(schedule, new Date(to.getTime() - 1000));
  const last = input.last ? new Date(input.last) : undefined;
  // `last` may already be this occurrence (the host recorded it before calling) or be unusable
  // (no status on a first run, an unparsable value): then the one interval before `to` is due.
  const from =
    last && !Number.isNaN(last.getTime()) && last.getTime() < to.getTime()
      ? latestOccurrence(schedule, last)
      : previous;
  const bounds = [to];
  for (let t = to; t.getTime() > from.getTime(); ) {
    t = latestOccurrence(schedule, new Date(t.getTime() - 1000));
    bounds.unshift(t);
  }
  const windows: ScheduleWindow[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    windows.push({
      from: (bounds[i] as Date).toISOString(),
      to: (bounds[i + 1] as Date).toISOString(),
    });
  }
  return windows;
}
