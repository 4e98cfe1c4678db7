import type { Feed, RunResult } from "../lake/index.js";
import { sqlString } from "../warehouse/duckdb-sql.js";
import type { QueryFn, ReconciliationLine } from "../warehouse/index.js";
import type { LegacySent } from "./parallel-feed.js";
import type { LandCounts } from "./pipeline-event.js";

type FileIdentity = { readonly path: string; readonly sha256: string };

/** What the load history holds for these files (matched on path and SHA-256). */
async function historyOf(query: QueryFn, files: readonly FileIdentity[]) {
  const keys = files.map((f) => `(${sqlString(f.path)}, ${sqlString(f.sha256)})`);
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

const feedFiles = (run: RunResult, feed: Feed) => run.files.filter((f) => f.feed === feed);

/**
 * The run's counts checked against each other and against the load history: generated =
 * landed + quarantined; landed = loaded + skipped; every landed file is in the history. With the
 * legacy CSV feed, the same for its rows and files; with a layout feed, every physical line sent
 * is a row loaded into its RAW table (`raw.legacy_<layout>`), every file in the history.
 */
export async function reconcile(
  query: QueryFn,
  run: RunResult,
  counts: LandCounts,
  legacy: LegacySent | undefined,
): Promise<ReconciliationLine[]> {
  const data = await historyOf(query, feedFiles(run, "data"));
  const lines: ReconciliationLine[] = [
    {
      label: "generated = landed + quarantined",
      left: counts.generated,
      right: counts.landed + counts.quarantined,
    },
    { label: "landed = loaded + skipped", left: counts.landed, right: data.loaded + data.skipped },
    { label: "files landed = files in load history", left: data.landed, right: data.files },
  ];
  if (legacy?.kind === "csv") {
    const history = await historyOf(query, feedFiles(run, "legacy"));
    lines.push(
      {
        label: "legacy rows sent = loaded + skipped",
        left: counts.legacyRows,
        right: history.loaded + history.skipped,
      },
      { label: "legacy files = files in load history", left: history.landed, right: history.files },
    );
  }
  if (legacy?.kind === "layout") {
    const history = await historyOf(query, legacy.feed.landed);
    lines.push(
      {
        label: `legacy lines sent = loaded into raw.legacy_${legacy.layout.name}`,
        left: legacy.feed.landed.reduce((sum, f) => sum + f.lines, 0),
        right: history.loaded,
      },
      { label: "legacy files = files in load history", left: history.landed, right: history.files },
    );
  }
  return lines;
}
