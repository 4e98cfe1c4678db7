import type { Feed, RunResult } from "../lake/index.js";
import { sqlString } from "../warehouse/duckdb-sql.js";
import type { QueryFn, ReconciliationLine } from "../warehouse/index.js";
import type { LandCounts } from "./pipeline-event.js";

/** What the load history holds for this run's files of one feed (matched on path and SHA-256). */
async function historyOf(query: QueryFn, run: RunResult, feed: Feed) {
  const keys = run.files
    .filter((f) => f.feed === feed)
    .map((f) => `(${sqlString(f.path)}, ${sqlString(f.sha256)})`);
  const [row] = keys.length
    ? await query(
        `select coalesce(sum(row_count), 0)::DOUBLE as loaded, coalesce(sum(coalesce(row_parsed, 0) - row_count), 0)::DOUBLE as skipped,
                count(*)::DOUBLE as files from pipe.load_history where (file_name, content_hash) in (${keys.join(", ")})`,
      )
    : [];
  return {
    landed: keys.length,
    loaded: Number(row?.loaded ?? 0),
    skipped: Number(row?.skipped ?? 0),
    files: Number(row?.files ?? 0),
  };
}

/**
 * The run's counts checked against each other and against the load history: generated =
 * landed + quarantined; landed = loaded + skipped; every landed file is in the history. With the
 * legacy feed, the same for its rows and files.
 */
export async function reconcile(
  query: QueryFn,
  run: RunResult,
  counts: LandCounts,
  withLegacy: boolean,
): Promise<ReconciliationLine[]> {
  const data = await historyOf(query, run, "data");
  const lines: ReconciliationLine[] = [
    {
      label: "generated = landed + quarantined",
      left: counts.generated,
      right: counts.landed + counts.quarantined,
    },
    { label: "landed = loaded + skipped", left: counts.landed, right: data.loaded + data.skipped },
    { label: "files landed = files in load history", left: data.landed, right: data.files },
  ];
  if (withLegacy) {
    const legacy = await historyOf(query, run, "legacy");
    lines.push(
      {
        label: "legacy rows sent = loaded + skipped",
        left: counts.legacyRows,
        right: legacy.loaded + legacy.skipped,
      },
      { label: "legacy files = files in load history", left: legacy.landed, right: legacy.files },
    );
  }
  return lines;
}
