import { type Batch, type Entity, isBuiltInEntity } from "../entities/index.js";
import type { LegacyFeed, RetailSimulation } from "../generators/index.js";
import {
  createLakeWriter,
  type FileFormat,
  inProcessEventSink,
  type LakeStore,
  type RunResult,
} from "../lake/index.js";
import {
  createEvaluator,
  lakeQuarantine,
  type QualityEvaluator,
  qualityRules,
  referenceKeys,
} from "../quality/index.js";
import type { FileLoad, LocalPipe } from "../warehouse/index.js";
import type { LandCounts, PipelineRunControl } from "./pipeline-event.js";

const HOUR = 3_600_000;

/** What the generate stage leaves for the next ones. */
export interface Landed {
  readonly run: RunResult;
  readonly counts: LandCounts;
  readonly evaluators: ReadonlyMap<string, QualityEvaluator<Entity>>;
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
    readonly legacy: LegacyFeed | undefined;
    readonly format: FileFormat;
  },
  { signal, onProgress }: PipelineRunControl,
): Promise<Landed> {
  const { sim, store, pipe, legacy } = input;
  const events = inProcessEventSink({ capacity: 64 });
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
    // The legacy system sends the built-in entities only.
    if (legacy && isBuiltInEntity(batch.entity.name)) await writer.writeText(legacy.convert(batch));
  };
  let run: RunResult;
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
    if (legacy && !signal?.aborted) for (const rest of legacy.flush()) await writer.writeText(rest);
    run = await writer.close();
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
    legacyRows: run.rowsLegacy,
  };
  onProgress?.({ type: "landed", stage: "generate", counts });
  return { run, counts, evaluators: evaluators.all };
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
