import { expect, test } from "vitest";
import { latestOccurrence, parseNcrontab } from "./src/ncrontab.js";
import { tickWindows } from "./src/tick-windows.js";

const everyFive = parseNcrontab("0 */5 * * * *");
const span = (w: { from: string; to: string }) => `${w.from.slice(11, 16)}-${w.to.slice(11, 16)}`;

test("NCRONTAB occurrences: steps, ranges, lists, names, and the second field", () => {
  const at = (expr: string, iso: string) =>
    latestOccurrence(parseNcrontab(expr), new Date(iso)).toISOString();
  expect(at("0 */5 * * * *", "2026-11-01T08:07:30Z")).toBe("2026-11-01T08:05:00.000Z");
  expect(at("0 */5 * * * *", "2026-11-01T08:05:00Z")).toBe("2026-11-01T08:05:00.000Z");
  expect(at("30 0 6,18 * * *", "2026-11-01T05:00:00Z")).toBe("2026-10-31T18:00:30.000Z");
  expect(at("0 0 9-17/4 * * mon-fri", "2026-11-01T12:00:00Z")).toBe("2026-10-30T17:00:00.000Z");
  expect(at("0 0 0 1 jan *", "2026-11-01T00:00:00Z")).toBe("2026-01-01T00:00:00.000Z");
  // Both day fields restricted: the 13th AND a Friday (NCRONTAB), not cron's OR; 7 is Sunday.
  expect(at("0 0 0 13 * fri", "2026-11-01T00:00:00Z")).toBe("2026-03-13T00:00:00.000Z");
  expect(at("0 0 0 * * 7", "2026-11-03T00:00:00Z")).toBe("2026-11-01T00:00:00.000Z");
});

test("a bad NCRONTAB expression is refused with the field it is about", () => {
  expect(() => parseNcrontab("*/5 * * * *")).toThrowErrorMatchingInlineSnapshot(
    `[NcrontabError: NCRONTAB "*/5 * * * *": expression has 5 fields; NCRONTAB has six: {second} {minute} {hour} {day} {month} {day-of-week}]`,
  );
  expect(() => parseNcrontab("0 61 * * * *")).toThrowErrorMatchingInlineSnapshot(
    `[NcrontabError: NCRONTAB "0 61 * * * *": expression is invalid: Invalid value for minute: 61]`,
  );
  expect(() =>
    latestOccurrence(parseNcrontab("0 0 0 31 feb *"), new Date("2026-11-01T00:00:00Z")),
  ).toThrow("has no occurrence before 2026-11-01T00:00:00.000Z");
});

test("on schedule, a run generates the one interval that just closed", () => {
  const windows = tickWindows(everyFive, {
    now: new Date("2026-11-01T08:10:00.420Z"),
    last: "2026-11-01T08:05:00Z",
  });
  expect(windows.map(span)).toEqual(["08:05-08:10"]);
});

test("a run fired a moment early still closes the interval it was scheduled for", () => {
  const windows = tickWindows(everyFive, {
    now: new Date("2026-11-01T08:09:59.100Z"),
    last: "2026-11-01T08:05:00Z",
  });
  expect(windows.map(span)).toEqual(["08:05-08:10"]);
});

test("after missed runs, every missed interval is generated, aligned to the schedule", () => {
  const windows = tickWindows(everyFive, {
    now: new Date("2026-11-01T08:27:13Z"),
    last: "2026-11-01T08:05:00Z",
  });
  expect(windows.map(span)).toEqual(["08:05-08:10", "08:10-08:15", "08:15-08:20", "08:20-08:25"]);
});

test("without a usable status (first run, or one already recorded as now), the last interval is due", () => {
  const now = new Date("2026-11-01T08:10:01Z");
  expect(tickWindows(everyFive, { now }).map(span)).toEqual(["08:05-08:10"]);
  expect(tickWindows(everyFive, { now, last: "2026-11-01T08:10:00Z" }).map(span)).toEqual([
    "08:05-08:10",
  ]);
  expect(tickWindows(everyFive, { now, last: "not a date" }).map(span)).toEqual(["08:05-08:10"]);
});

test("consecutive runs, on time or late, cover time with no gap and no overlap", () => {
  const lasts = ["2026-11-01T07:55:00Z"];
  const covered: string[] = [];
  // Runs at 08:00, a missed 08:05 and 08:10, a late 08:15, then 08:20.
  for (const now of ["2026-11-01T08:00:01Z", "2026-11-01T08:16:40Z", "2026-11-01T08:20:00Z"]) {
    const windows = tickWindows(everyFive, { now: new Date(now), last: lasts.at(-1) });
    covered.push(...windows.map(span));
    lasts.push(windows.at(-1)?.to as string);
  }
  expect(covered).toEqual([
    "07:55-08:00",
    "08:00-08:05",
    "08:05-08:10",
    "08:10-08:15",
    "08:15-08:20",
  ]);
});
