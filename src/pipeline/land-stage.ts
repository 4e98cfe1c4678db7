import { type Batch, type Entity, isBuiltInEntity } from "../entities/index.js";
import { createLegacyFeed, type RetailSimulation } from "../generators/index.js";
import {
  createLakeWriter,
  type FileFormat,
  inProcessEventSink,
  type LakeStore,
  type RunResult,
} from "../lake/index.js";
import { createLayoutFeedWriter, publishLayoutManifest } from "../legacy/layout-feed-writer.js";
import {
  createEvaluator,
  lakeQuarantine,
  type QualityEvaluator,
  qualityRules,
  referenceKeys,
} from "../quality/index.js";
import type { FileLoad, LocalPipe } from "../warehouse/index.js";
import { LEGACY_CSV_FEED, type LegacySent, type ParallelFeedPlan } from "./parallel-feed.js";
import type { LandCounts, PipelineRunControl } from "./pipeline-event.js";

const HOUR = 3_600_000;

/** What the generate stage leaves for the next ones. */
export interface Landed {
  readonly run: RunResult;
  readonly counts: LandCounts;
  readonly evaluators: ReadonlyMap<string, QualityEvaluator<Entity>>;
  /** What the legacy feed of a parallel run sent. */
  readonly legacy: LegacySent | undefined;
}

/**
 * Generate -> quality -> lake -> pipe: the reference data, then every hour of the period, each
 * batch checked in-stream (rejects to quarantine), landed (Parquet by default), and loaded by the pipe as
 * its BlobCreated events arrive. An abort is honoured between hourly windows only: a window's
 * files are then whole, so what was landed is published, loaded and byte-identical to what a
 * full run lands; a re-run rewrites nothing and goes on.
 */
export async function landStage(
  input: {
    readonly sim: RetailSimulation;
    readonly store: LakeStore;
    readonly pipe: LocalPipe;
    readonly legacy: ParallelFeedPlan | undefined;
    readonly format: FileFormat;
  },
  { signal, onProgress }: PipelineRunControl,
): Promise<Landed> {
  const { sim, store, pipe, legacy } = input;
  const events = inProcessEventSink({ capacity: 64 });
  // A migration's parallel run: the legacy system still sends the same records, as flat files.
  const csvFeed =
    legacy?.layout === LEGACY_CSV_FEED
      ? createLegacyFeed({ seed: legacy.seed, rate: legacy.rate })
      : undefined;
  const layoutFeed =
    legacy && legacy.layout !== LEGACY_CSV_FEED
      ? {
          layout: legacy.layout,
          run: { seed: legacy.seed, rate: legacy.rate },
          writer: createLayoutFeedWriter(
            store,
            legacy.layout,
            { seed: legacy.seed, rate: legacy.rate },
            { events },
          ),
        }
      : undefined;
  let filesLoaded = 0;
  let rowsLoaded = 0;
  const onFile = (load: FileLoad) => {
    if (load.alreadyLoaded) return;
    filesLoaded++;
    rowsLoaded += load.rowsLoaded;
  };
  const consuming = pipe.consume(events, { onFile });
  // Idempotent like the writer: a re-run finds its quarantine files already there.
  const quarantine = lakeQuarantine(store);
  const writer = createLakeWriter({ store, format: input.format, events, quarantine });
  const reference = sim.reference();
  const evaluators = evaluatorsFor(referenceKeys(reference));
  let generated = 0;
  const land = async (batch: Batch) => {
    generated += batch.records.length;
    const { passed, rejected } = evaluators.of(batch.entity).split(batch.records, {
      window: batch.window,
    });
    if (rejected.length) await quarantine.reject(rejected);
    if (passed.length)
      await writer.write({ entity: batch.entity, records: passed, window: batch.window });
    // The canonical CSV feed carries the built-in entities only; a layout, its own entity's batches.
    if (csvFeed && isBuiltInEntity(batch.entity.name))
      await writer.writeText(csvFeed.convert(batch));
    await layoutFeed?.writer.write(batch);
  };
  let run: RunResult;
  let sent: LegacySent | undefined;
  try {
    for (const batch of reference) await land(batch);
    const from = Date.parse(sim.period.from);
    const to = Date.parse(sim.period.to);
    for (let t = from; t < to && !signal?.aborted; t += HOUR) {
      const hour = new Date(t).toISOString();
      for (const batch of sim.tick(hour, new Date(Math.min(t + HOUR, to)).toISOString()))
        await land(batch);
      onProgress?.({
        type: "generated",
        stage: "generate",
        hour,
        rows: generated,
        filesLoaded,
        rowsLoaded,
      });
    }
    // Held-back legacy rows would land in the last window generated: only a whole run has them.
    if (csvFeed && !signal?.aborted)
      for (const rest of csvFeed.flush()) await writer.writeText(rest);
    // A layout file holds whole windows: the last one is flushed even when the run stops.
    const layoutSent = await layoutFeed?.writer.close();
    run = await writer.close();
    if (csvFeed) sent = { kind: "csv", feed: csvFeed };
    if (layoutFeed && layoutSent) {
      const { layout } = layoutFeed;
      const manifestPath = await publishLayoutManifest(
        store,
        layout,
        { runId: run.runId, ...layoutFeed.run },
        layoutSent.manifest,
      );
      sent = { kind: "layout", layout, feed: layoutSent, manifestPath };
    }
  } finally {
    events.close();
    await consuming.catch(() => undefined);
  }
  await consuming;
  signal?.throwIfAborted();
  const counts: LandCounts = {
    generated,
    landed: run.rowsWritten,
    quarantined: run.rowsQuarantined + evaluators.quarantined(),
    quarantineUnchanged: quarantine.unchanged,
    files: run.files.length,
    published: run.published,
    unchanged: run.unchanged,
    filesLoaded,
    rowsLoaded,
    legacyRows: sent?.kind === "layout" ? sent.feed.rows : run.rowsLegacy,
  };
  onProgress?.({ type: "landed", stage: "generate", counts });
  return { run, counts, evaluators: evaluators.all, legacy: sent };
}

/** One evaluator per entity, created on its first batch; foreign keys checked against the reference data. */
function evaluatorsFor(references: Record<string, Set<string>>) {
  const all = new Map<string, QualityEvaluator<Entity>>();
  return {
    all,
    of(entity: Entity) {
      let evaluator = all.get(entity.name);
      if (!evaluator) {
        evaluator = createEvaluator(qualityRules(entity), { references });
        all.set(entity.name, evaluator);
      }
      return evaluator;
    },
    quarantined: () => [...all.values()].reduce((total, e) => total + e.report().quarantined, 0),
  };
}
