import type { Partitioning } from "../entities/index.js";

/** The file formats the lake writes, with their extensions. */
export type FileFormat = "parquet" | "csv" | "ndjson";
export type FileExtension = "parquet" | "csv" | "csv.gz" | "ndjson" | "ndjson.gz";

/**
 * Which stream a file belongs to: `data` (validated records), `legacy` (flat-file text as a
 * legacy system sends it, landed as-is) or `quarantine` (records that failed a rule).
 */
export type Feed = "data" | "legacy" | "quarantine";

/** Everything a lake file name says. */
export interface LakeFile {
  readonly feed: Feed;
  readonly entity: string;
  /** Event-time partition: UTC date, and hour for hourly entities. */
  readonly dt?: string;
  readonly hour?: string;
  /** The window token, `20261101T0800Z-20261101T0805Z`. */
  readonly window: string;
  /**
   * The store group the file's records belong to (1-based), in a lake written with
   * `storeGroups` > 1: `...-<window>-g002-<seq>.<ext>`. Absent in the default layout.
   */
  readonly storeGroup?: number;
  /** Sequence of the file within its window, partition (and store group), from 1. */
  readonly seq: number;
  readonly extension: FileExtension;
}

const FEED_PREFIX: Record<Feed, string> = {
  data: "",
  legacy: "legacy/",
  quarantine: "_quarantine/",
};
const SEGMENT = /^[a-z][a-z0-9_]{0,62}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HOUR = /^([01]\d|2[0-3])$/;
const WINDOW = /^\d{8}T\d{4}Z-\d{8}T\d{4}Z$/;
const EXTENSIONS: readonly FileExtension[] = ["parquet", "csv", "csv.gz", "ndjson", "ndjson.gz"];

const UTC_INSTANT = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDate(date: string): boolean {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0);
}

/** Compact token of a window, `20261101T0800Z-20261101T0805Z`, used in file names. */
export function windowToken(from: string, to: string): string {
  const compact = (iso: string) => {
    const t = new Date(iso);
    if (Number.isNaN(t.getTime()))
      throw new RangeError(`window bound is not an instant: ${JSON.stringify(iso)}`);
    return `${t.toISOString().slice(0, 16).replace(/[-:]/g, "")}Z`;
  };
  return `${compact(from)}-${compact(to)}`;
}

/** The event-time partition of a record: its UTC date and hour (or the date itself). */
export function partitionOf(
  partitioning: Partitioning,
  eventTime: string | undefined,
): Pick<LakeFile, "dt" | "hour"> {
  if (partitioning === "none") return {};
  if (eventTime === undefined) throw new RangeError("a partitioned record needs its event time");
  if (partitioning === "day" && DATE.test(eventTime)) return { dt: eventTime };
  // Records carry UTC instants as `toISOString()` writes them: slice those instead of building
  // a Date per record (8% of `generate`'s time in a profile). Anything else takes the Date path.
  const utc = UTC_INSTANT.exec(eventTime);
  if (utc && isCalendarDate(utc[1] as string)) {
    const dt = utc[1] as string;
    return partitioning === "hour" ? { dt, hour: utc[2] as string } : { dt };
  }
  const t = new Date(eventTime);
  if (Number.isNaN(t.getTime()))
    throw new RangeError(`event time is not a date or instant: ${JSON.stringify(eventTime)}`);
  const iso = t.toISOString();
  return partitioning === "hour"
    ? { dt: iso.slice(0, 10), hour: iso.slice(11, 13) }
    : { dt: iso.slice(0, 10) };
}

/** Store groups a lake may be split into at most (as many as stores a simulation may have). */
export const MAX_STORE_GROUPS = 999;

/**
 * The store group (1..groups) of a store code: the number it ends with, less one, modulo
 * `groups`, plus one, so the simulation's stores `S001`, `S002`, ... go to groups 1, 2, ...,
 * `groups`, 1, ... (store index mod groups): the rule `--shard i/n` picks its stores by. A code
 * that does not end with a number goes by a 32-bit FNV-1a hash of its text instead.
 * @example
 * storeGroupOf("S004", 3); // 1
 */
export function storeGroupOf(storeId: string, groups: number): number {
  if (!Number.isInteger(groups) || groups < 1 || groups > MAX_STORE_GROUPS)
    throw new RangeError(`store groups must be 1..${MAX_STORE_GROUPS}, got ${groups}`);
  const digits = /(\d{1,15})$/.exec(storeId)?.[1];
  if (digits !== undefined) return ((((Number(digits) - 1) % groups) + groups) % groups) + 1;
  let hash = 0x811c9dc5;
  for (let i = 0; i < storeId.length; i++)
    hash = Math.imul(hash ^ storeId.charCodeAt(i), 0x01000193);
  return ((hash >>> 0) % groups) + 1;
}

/**
 * The path of a lake file: `[legacy/|_quarantine/]<entity>/dt=YYYY-MM-DD/hour=HH/<entity>-<window>[-g<group>]-<seq>.<ext>`.
 * Deterministic, so a re-run names the same files; every part is checked so that no value can
 * escape the store root.
 */
export function lakePath(file: LakeFile): string {
  const { entity, dt, hour, window, storeGroup, seq, extension } = file;
  if (!SEGMENT.test(entity))
    throw new RangeError(`entity name ${JSON.stringify(entity)} is not a safe path segment`);
  if (dt !== undefined && !DATE.test(dt))
    throw new RangeError(`partition dt ${JSON.stringify(dt)} is not YYYY-MM-DD`);
  if (hour !== undefined && (!HOUR.test(hour) || dt === undefined)) {
    throw new RangeError(`partition hour ${JSON.stringify(hour)} must be 00-23 under a dt`);
  }
  if (!WINDOW.test(window))
    throw new RangeError(`window ${JSON.stringify(window)} is not a window token`);
  if (
    storeGroup !== undefined &&
    (!Number.isInteger(storeGroup) || storeGroup < 1 || storeGroup > MAX_STORE_GROUPS)
  )
    throw new RangeError(`store group ${storeGroup} must be 1..${MAX_STORE_GROUPS}`);
  if (!Number.isInteger(seq) || seq < 1 || seq > 99_999)
    throw new RangeError(`sequence ${seq} must be 1..99999`);
  if (!EXTENSIONS.includes(extension))
    throw new RangeError(
      `extension ${JSON.stringify(extension)} is not one of ${EXTENSIONS.join(", ")}`,
    );
  const folders = [entity, dt && `dt=${dt}`, hour && `hour=${hour}`].filter(Boolean).join("/");
  const group = storeGroup === undefined ? "" : `g${String(storeGroup).padStart(3, "0")}-`;
  return `${FEED_PREFIX[file.feed]}${folders}/${entity}-${window}-${group}${String(seq).padStart(5, "0")}.${extension}`;
}

const PATH =
  /^(legacy\/|_quarantine\/)?([a-z][a-z0-9_]{0,62})\/(?:dt=(\d{4}-\d{2}-\d{2})\/(?:hour=([01]\d|2[0-3])\/)?)?\2-(\d{8}T\d{4}Z-\d{8}T\d{4}Z)-(?:g(\d{3})-)?(\d{5})\.(parquet|csv|csv\.gz|ndjson|ndjson\.gz)$/;

/** Reads a lake path back; `undefined` for anything the writer would not have named so. */
export function parseLakePath(path: string): LakeFile | undefined {
  const m = PATH.exec(path);
  if (!m) return undefined;
  const [, prefix, entity, dt, hour, window, group, seq, extension] = m;
  // g000 is never written: the writer's groups count from 1.
  if (group === "000") return undefined;
  const feed: Feed =
    prefix === "legacy/" ? "legacy" : prefix === "_quarantine/" ? "quarantine" : "data";
  return {
    feed,
    entity: entity as string,
    ...(dt ? { dt } : {}),
    ...(hour ? { hour } : {}),
    window: window as string,
    ...(group ? { storeGroup: Number(group) } : {}),
    seq: Number(seq),
    extension: extension as FileExtension,
  };
}

/** The format of a file from its extension. */
export function formatOf(extension: FileExtension): FileFormat {
  return extension.startsWith("csv")
    ? "csv"
    : extension.startsWith("ndjson")
      ? "ndjson"
      : "parquet";
}
