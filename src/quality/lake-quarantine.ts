import { type Entity, entities, type Partitioning } from "../entities/index.js";
import { type LakeFile, lakePath, partitionOf, windowToken } from "../lake/lake-path.js";
import type { LakeStore } from "../lake/lake-store.js";
import type { QuarantineSink, RejectedRecord } from "../lake/rejected-record.js";
import { instantOf } from "./row-check.js";

/** Options of `lakeQuarantine`. */
export interface LakeQuarantineOptions {
  /** Entities beyond the built-in ones, to find the partitioning of their records. */
  readonly entities?: readonly Entity[];
  /** Clock for records with neither a window nor a readable event time (default now). */
  readonly now?: () => Date;
}

/** A quarantine sink in the lake, counting what it wrote so counts can be reconciled. */
export interface LakeQuarantine extends QuarantineSink {
  /** Records quarantined so far, including those already in the lake from an identical run. */
  readonly written: number;
  /** Of those, records whose file was already in the lake with the same bytes (not rewritten). */
  readonly unchanged: number;
  /** Paths written so far, in order. */
  readonly files: readonly string[];
}

/** One line of a quarantine file. */
export interface QuarantineLine {
  readonly entity: string;
  readonly row: number;
  readonly file?: string;
  readonly window?: { readonly from: string; readonly to: string };
  readonly rules: readonly string[];
  readonly reasons: RejectedRecord["reasons"];
  readonly record: unknown;
}

const HOUR_MS = 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A `QuarantineSink` writing NDJSON under `_quarantine/<entity>/dt=.../hour=.../`, partitioned
 * like the data by the record's event time (or its batch window when the event time is
 * unreadable). Each line holds the record, its row and file, and every rule and reason. A call
 * writes one file per partition and window. Like the lake writer, it is idempotent: the n-th
 * file of a partition and window in this run takes sequence n, and a file already there with the
 * same bytes is left as it is, so re-running the same generation adds nothing. A file there with
 * other bytes is never overwritten: the next free sequence is taken.
 * @example
 * const quarantine = lakeQuarantine(localStore("./lake"));
 * await quarantine.reject(evaluator.split(records).rejected);
 */
export function lakeQuarantine(
  store: LakeStore,
  options: LakeQuarantineOptions = {},
): LakeQuarantine {
  const known = new Map<string, Entity>(Object.values(entities).map((e) => [e.name, e as Entity]));
  for (const e of options.entities ?? []) known.set(e.name, e);
  const now = options.now ?? (() => new Date());
  const nextSeq = new Map<string, number>();
  const files: string[] = [];
  let written = 0;
  let unchanged = 0;

  const placeOf = (r: RejectedRecord): Omit<LakeFile, "seq"> => {
    const entity = known.get(r.entity);
    const partition: Partitioning = entity?.partition ?? "none";
    const record = (r.record ?? {}) as Record<string, unknown>;
    const eventTime = entity?.eventTime ? record[entity.eventTime] : undefined;
    let part: Pick<LakeFile, "dt" | "hour"> | undefined;
    for (const candidate of [eventTime, r.window?.from]) {
      if (
        typeof candidate !== "string" ||
        !(DATE.test(candidate) || instantOf(candidate) !== undefined)
      )
        continue;
      try {
        part = partitionOf(partition, candidate);
        break;
      } catch {
        // An unreadable event time is often why the record is here: fall back to the window.
      }
    }
    if (!part) part = partition === "none" ? {} : partitionOf(partition, now().toISOString());
    let window: string;
    if (r.window) {
      window = windowToken(r.window.from, r.window.to);
    } else {
      const hour = part.dt
        ? Date.parse(`${part.dt}T${part.hour ?? "00"}:00:00Z`)
        : Math.floor(now().getTime() / HOUR_MS) * HOUR_MS;
      const span = part.dt && !part.hour ? 24 * HOUR_MS : HOUR_MS;
      window = windowToken(new Date(hour).toISOString(), new Date(hour + span).toISOString());
    }
    return { feed: "quarantine", entity: r.entity, ...part, window, extension: "ndjson" };
  };

  return {
    get written() {
      return written;
    },
    get unchanged() {
      return unchanged;
    },
    get files() {
      return [...files];
    },
    async reject(records: readonly RejectedRecord[]): Promise<void> {
      const groups = new Map<string, { place: Omit<LakeFile, "seq">; lines: string[] }>();
      for (const r of records) {
        const place = placeOf(r);
        const id = JSON.stringify(place);
        let group = groups.get(id);
        if (!group) {
          group = { place, lines: [] };
          groups.set(id, group);
        }
        const line: QuarantineLine = {
          entity: r.entity,
          row: r.row,
          ...(r.file ? { file: r.file } : {}),
          ...(r.window ? { window: r.window } : {}),
          rules: [...new Set(r.reasons.map((reason) => reason.rule))],
          reasons: r.reasons,
          record: r.record,
        };
        group.lines.push(JSON.stringify(line));
      }
      for (const [id, { place, lines }] of groups) {
        const body = new TextEncoder().encode(`${lines.join("\n")}\n`);
        let seq = nextSeq.get(id) ?? 1;
        let path = lakePath({ ...place, seq });
        let same = false;
        while (await store.exists(path)) {
          same = Buffer.from(await store.get(path)).equals(body);
          if (same) break;
          path = lakePath({ ...place, seq: ++seq });
        }
        if (same) unchanged += lines.length;
        else await store.put(path, body, { contentType: "application/x-ndjson" });
        nextSeq.set(id, seq + 1);
        files.push(path);
        written += lines.length;
      }
    },
  };
}
