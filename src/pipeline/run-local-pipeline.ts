import { resolve } from "node:path";
import { createRetailSimulation } from "../generators/index.js";
import { localStore } from "../lake/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import {
  dbtProjectDir,
  findDbt,
  type MigrationReconciliation,
  openLocalPipe,
  type ReconciliationLine,
  type ReportData,
} from "../warehouse/index.js";
import { withoutUndefined } from "./config-options.js";
import { dbtStage } from "./dbt-stage.js";
import { landStage } from "./land-stage.js";
import { LEGACY_CSV_FEED, type ParallelFeedPlan, parallelFeedPlan } from "./parallel-feed.js";
import type {
  DbtOutcome,
  LandCounts,
  PipelineRunControl,
  RefreshCounts,
} from "./pipeline-event.js";
import { LOCAL_PIPELINE_DEFAULTS, type LocalPipelineOptions } from "./pipeline-options.js";
import { reconcile } from "./reconcile.js";
import {
  type LegacySummary,
  layoutDefectLines,
  legacySummary,
  migrationLines,
  migrationOf,
  qualitySummaries,
  writeReport,
} from "./report-stage.js";

type Optional =
  | "dbtBin"
  | "legacyDefects"
  | "legacyLayout"
  | "onError"
  | "entities"
  | "generators"
  | "layouts";

/** What `runLocalPipeline` did. */
export interface LocalPipelineResult {
  /** The options with their defaults filled in; paths absolute. */
  readonly options: Required<Omit<LocalPipelineOptions, Optional>> &
    Pick<LocalPipelineOptions, Optional>;
  /** The DuckDB file. */
  readonly database: string;
  readonly counts: LandCounts & { readonly refresh: RefreshCounts };
  /** Each line balances when `left === right`. */
  readonly reconciliation: readonly ReconciliationLine[];
  /** Every reconciliation line balances. */
  readonly balanced: boolean;
  readonly dbt: DbtOutcome;
  /** The HTML report. */
  readonly report: string;
  /** The figures the report shows (sales per day and store, stock-outs, rows per layer...). */
  readonly reportData: ReportData;
  /** With a parallel run (`legacyDefects`, `legacyLayout`): the defects injected and what silver rejected. */
  readonly legacy: LegacySummary | undefined;
  /**
   * A sale_line layout feed, dbt built: the migration reconciliation of its records against
   * gold (`readMigrationReconciliation`), whose unexplained remainder is one of the lines.
   */
  readonly migration: MigrationReconciliation | undefined;
  readonly durationMs: number;
}

/**
 * The local pipeline end to end: generate -> quality (in-stream) -> lake (Parquet, one
 * BlobCreated event per file) -> local pipe into DuckDB -> pipe refresh -> `dbt build` -> HTML
 * report. Deterministic and idempotent: a re-run with the same options rewrites no file and loads
 * nothing twice. `retail-mds demo` is a thin shell over it.
 *
 * `onProgress` receives typed events in run order (see `PipelineEvent`). `signal` is honoured
 * between stages and between hourly windows (and stops a running dbt): the run then closes the
 * lake writer and the warehouse and rejects with the signal's reason; what was landed stays
 * landed and loaded, and a re-run goes on from there.
 * @example
 * const result = await runLocalPipeline(
 *   { days: 1, stores: 2, products: 30 },
 *   { onProgress: (event) => console.error(JSON.stringify(event)) },
 * );
 * if (!result.balanced) process.exitCode = 1;
 */
export async function runLocalPipeline(
  options: LocalPipelineOptions = {},
  control: PipelineRunControl = {},
): Promise<LocalPipelineResult> {
  const started = Date.now();
  const { signal, onProgress } = control;
  signal?.throwIfAborted();
  const o = resolveOptions(options);
  const legacy = parallelFeedPlan(o);
  // dbt that cannot run fails the run now, not after the whole period has been generated.
  if (!o.skipDbt)
    findDbt({ projectDir: dbtProjectDir(o.dbtProject), ...(o.dbtBin ? { dbt: o.dbtBin } : {}) });
  const { database } = o;
  const pipeOptions = {
    lake: o.lake,
    database,
    ...(o.onError ? { onError: o.onError } : {}),
    ...(o.entities ? { entities: o.entities } : {}),
    layouts: pipeLayouts(legacy, o.layouts),
  };
  const store = localStore(o.lake);
  const sim = createRetailSimulation(
    { seed: o.seed, from: o.from, days: o.days, stores: o.stores, products: o.products },
    o.generators ? { generators: o.generators } : {},
  );
  onProgress?.({
    type: "stage",
    stage: "generate",
    title: `generate ${o.days} days x ${o.stores} stores x ${o.products} SKUs (seed ${o.seed}) -> quality -> lake -> local pipe`,
  });
  const pipe = await openLocalPipe({ ...pipeOptions, lake: store });
  let landed: Awaited<ReturnType<typeof landStage>>;
  let refresh: RefreshCounts;
  let reconciliation: ReconciliationLine[];
  try {
    landed = await landStage({ sim, store, pipe, legacy, format: o.format }, control);
    signal?.throwIfAborted();
    // A refresh catches files a previous, interrupted run landed but did not load.
    onProgress?.({
      type: "stage",
      stage: "refresh",
      title: "pipe refresh (ALTER PIPE ... REFRESH): files landed but not loaded yet",
    });
    const refreshed = await pipe.refresh();
    refresh = {
      loaded: refreshed.loaded,
      failed: refreshed.failed,
      conflicts: refreshed.conflicts,
      alreadyLoaded: refreshed.alreadyLoaded,
      ignored: refreshed.ignored.length,
    };
    onProgress?.({ type: "refreshed", stage: "refresh", counts: refresh });
    reconciliation = await reconcile(pipe.query, landed.run, landed.counts, landed.legacy);
  } catch (error) {
    await pipe.close().catch(() => undefined); // the first failure is the one to report
    throw error;
  }
  await pipe.close();
  signal?.throwIfAborted();

  onProgress?.({
    type: "stage",
    stage: "dbt",
    title: "dbt build --target local (bronze -> silver -> gold, tests)",
  });
  const dbt = await dbtStage(
    {
      database,
      warehouse: o.warehouse,
      projectDir: o.dbtProject,
      dbtBin: o.dbtBin,
      skip: o.skipDbt,
    },
    control,
  ).catch((error: unknown) => {
    signal?.throwIfAborted();
    throw error;
  });
  onProgress?.({ type: "dbt-done", stage: "dbt", dbt });
  signal?.throwIfAborted();

  // From a fresh connection: dbt has written the layers the report reads.
  onProgress?.({ type: "stage", stage: "report", title: "summary and report" });
  const reader = await openLocalPipe({ ...pipeOptions, lake: store });
  try {
    const dbtBuilt = dbt.result?.ok === true;
    const sent = landed.legacy;
    // dbt's verdicts on the layout feed and the migration's sign-off, once its models are built.
    let migration: MigrationReconciliation | undefined;
    if (sent?.kind === "layout" && dbtBuilt) {
      reconciliation.push(...(await layoutDefectLines(reader.query, sent)));
      const found = await migrationOf(reader.query, sent.layout);
      if (found) reconciliation.push(...migrationLines(sent.layout, found));
      if (found && !(found instanceof Error)) migration = found;
    }
    const report = await writeReport(reader.query, {
      warehouse: o.warehouse,
      title: `retail-mds demo: ${o.days} days, ${o.stores} stores, ${o.products} SKUs, seed ${o.seed}`,
      quality: qualitySummaries(landed.evaluators),
      reconciliation,
      dbt: dbt.text,
    });
    const legacyResult = sent ? await legacySummary(sent, reader.query, dbtBuilt) : undefined;
    onProgress?.({ type: "reported", stage: "report", report: report.path });
    return {
      options: o,
      database,
      counts: { ...landed.counts, refresh },
      reconciliation,
      balanced: reconciliation.every((r) => r.left === r.right),
      dbt,
      report: report.path,
      reportData: report.data,
      legacy: legacyResult,
      migration,
      durationMs: Date.now() - started,
    };
  } finally {
    await reader.close();
  }
}

function resolveOptions(options: LocalPipelineOptions): LocalPipelineResult["options"] {
  const o = {
    ...LOCAL_PIPELINE_DEFAULTS,
    format: "parquet" as const,
    skipDbt: false,
    ...withoutUndefined(options),
  };
  const warehouse = resolve(o.warehouse);
  return {
    ...o,
    lake: resolve(o.lake),
    warehouse,
    database: resolve(warehouse, o.database ?? "retail.duckdb"),
    dbtProject: resolve(o.dbtProject),
  };
}

/** The layouts the pipe loads: the parallel run's own, then the given ones; one per name. */
function pipeLayouts(
  legacy: ParallelFeedPlan | undefined,
  given: readonly LegacyLayout[] = [],
): LegacyLayout[] {
  const own = legacy && legacy.layout !== LEGACY_CSV_FEED ? [legacy.layout] : [];
  const byName = new Map<string, LegacyLayout>();
  for (const layout of [...own, ...given])
    if (!byName.has(layout.name)) byName.set(layout.name, layout);
  return [...byName.values()];
}
