import { dayNumber, localToUtc, offsetAt } from "../generators/calendar.js";
import { regexLiteral } from "./regex-text.js";

/**
 * Dates and wall-clock times in a legacy format (`dd/MM/yyyy HH:mm`), read into canonical ISO
 * text and written back. A timestamp is a wall-clock time in the zone the legacy system wrote
 * in; it becomes a UTC instant.
 */

type Token = "yyyy" | "MM" | "dd" | "HH" | "mm" | "ss" | "SSS";
const TOKEN = /yyyy|MM|dd|HH|mm|ss|SSS/g;
const WIDTH: Record<Token, number> = { yyyy: 4, MM: 2, dd: 2, HH: 2, mm: 2, ss: 2, SSS: 3 };

interface CompiledFormat {
  readonly regex: RegExp;
  readonly tokens: readonly Token[];
  readonly format: string;
}

const compiled = new Map<string, CompiledFormat>();

function compile(format: string): CompiledFormat {
  let c = compiled.get(format);
  if (c) return c;
  const tokens: Token[] = [];
  let source = "";
  let last = 0;
  for (const m of format.matchAll(TOKEN)) {
    source += `${regexLiteral(format.slice(last, m.index))}(\\d{${WIDTH[m[0] as Token]}})`;
    tokens.push(m[0] as Token);
    last = (m.index ?? 0) + m[0].length;
  }
  source += regexLiteral(format.slice(last));
  c = { regex: new RegExp(`^${source}$`), tokens, format };
  compiled.set(format, c);
  return c;
}

interface WallClock {
  y: number;
  M: number;
  d: number;
  H: number;
  m: number;
  s: number;
  S: number;
}

function readWall(text: string, format: string): WallClock | undefined {
  const { regex, tokens } = compile(format);
  const match = regex.exec(text.trim());
  if (!match) return undefined;
  const w: WallClock = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  tokens.forEach((t, i) => {
    const v = Number(match[i + 1]);
    if (t === "yyyy") w.y = v;
    else if (t === "MM") w.M = v;
    else if (t === "dd") w.d = v;
    else if (t === "HH") w.H = v;
    else if (t === "mm") w.m = v;
    else if (t === "ss") w.s = v;
    else w.S = v;
  });
  const date = new Date(Date.UTC(w.y, w.M - 1, w.d));
  const real =
    date.getUTCFullYear() === w.y && date.getUTCMonth() === w.M - 1 && date.getUTCDate() === w.d;
  if (!real || w.H > 23 || w.m > 59 || w.s > 59) return undefined;
  return w;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function isoDate(w: WallClock): string {
  return `${pad(w.y, 4)}-${pad(w.M, 2)}-${pad(w.d, 2)}`;
}

/**
 * Reads a date; `undefined` when the text is not a real date in that format.
 * @example
 * readDate("31/12/2026", "dd/MM/yyyy"); // "2026-12-31"
 */
export function readDate(text: string, format: string): string | undefined {
  const w = readWall(text, format);
  return w && isoDate(w);
}

/**
 * Reads a wall-clock time in `timeZone` as a UTC instant (`...Z`, milliseconds). A time that
 * does not exist there (skipped by a DST change) is unparseable; a time that exists twice (the
 * hour repeated when clocks go back) is read as its later occurrence.
 * @example
 * readTimestamp("01/11/2026 09:30", "dd/MM/yyyy HH:mm", "Europe/Paris"); // "2026-11-01T08:30:00.000Z"
 */
export function readTimestamp(text: string, format: string, timeZone: string): string | undefined {
  const w = readWall(text, format);
  if (!w) return undefined;
  const msOfDay = ((w.H * 60 + w.m) * 60 + w.s) * 1000 + w.S;
  const utc = localToUtc(timeZone, dayNumber(isoDate(w)), msOfDay);
  // A wall time inside a DST gap comes back as another time: not a time the system could write.
  if (writeTimestamp(utc, format, timeZone) !== formatWall(w, format)) return undefined;
  return new Date(utc).toISOString();
}

function fieldText(w: WallClock, t: Token): string {
  const v = { yyyy: w.y, MM: w.M, dd: w.d, HH: w.H, mm: w.m, ss: w.s, SSS: w.S }[t];
  return pad(v, WIDTH[t]);
}

function formatWall(w: WallClock, format: string): string {
  return format.replace(TOKEN, (t) => fieldText(w, t as Token));
}

/** Writes an ISO date in `format`. */
export function writeDate(iso: string, format: string): string {
  const [y, M, d] = iso.split("-").map(Number) as [number, number, number];
  return formatWall({ y, M, d, H: 0, m: 0, s: 0, S: 0 }, format);
}

/** Writes a UTC instant (ms or ISO text) as the wall-clock time in `timeZone`, in `format`. */
export function writeTimestamp(instant: number | string, format: string, timeZone: string): string {
  const utc = typeof instant === "number" ? instant : Date.parse(instant);
  const local = new Date(utc + offsetAt(timeZone, utc));
  return formatWall(
    {
      y: local.getUTCFullYear(),
      M: local.getUTCMonth() + 1,
      d: local.getUTCDate(),
      H: local.getUTCHours(),
      m: local.getUTCMinutes(),
      s: local.getUTCSeconds(),
      S: local.getUTCMilliseconds(),
    },
    format,
  );
}

/** Whether the format keeps every part of an instant down to `unit`. */
export function formatKeeps(format: string): { seconds: boolean; millis: boolean } {
  const tokens = compile(format).tokens;
  return { seconds: tokens.includes("ss"), millis: tokens.includes("SSS") };
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Whether a date format names year, month and day (a timestamp also needs hours and minutes). */
export function formatCovers(format: string, kind: "date" | "timestamp"): boolean {
  const tokens = compile(format).tokens;
  const date = ["yyyy", "MM", "dd"].every((t) => tokens.includes(t as Token));
  return kind === "date" ? date : date && tokens.includes("HH") && tokens.includes("mm");
}
