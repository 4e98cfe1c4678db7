import { MessageChannel } from "node:worker_threads";
import {
  type Batch,
  type ColumnBatch,
  columnBatchRecords,
  isColumnBatch,
} from "../entities/index.js";
// The lake's files, not its index: a generating thread loads this module, and the index would
// load the Azure SDKs into every thread (about 0.3 s of CPU each).
import type { Compression } from "../lake/file-encoder.js";
import type { FileFormat } from "../lake/lake-path.js";
import type { LakeStore } from "../lake/lake-store.js";
import { createLakeWriter, type LakeWriter, type RunResult } from "../lake/lake-writer.js";
import { serveStore } from "../lake/port-store.js";
import type { RunManifest } from "../lake/run-manifest.js";
import { describeError, reviveError, type ThreadErrorData } from "../lake/thread-error.js";
import { startWorkerThread } from "../lake/worker-thread.js";
import { createRetailSimulation, type RetailSimulation } from "./retail-simulation.js";
import { parseSimulationConfig, type SimulationConfigInput } from "./simulation-config.js";
import { validateRecords } from "./validate-records.js";

export interface WriteSimulationOptions {
  readonly store: LakeStore;
  readonly format: FileFormat;
  /** As the lake writer's: default `snappy` for Parquet, `none` for CSV and NDJSON. */
  readonly compression?: Compression;
  /** Records per batch (default 10 000); the files are the same whatever the size. */
  readonly batchSize?: number;
  /**
   * The lake writer's `storeGroups`: with G > 1 the event files are split by store group
   * (`-g<NNN>-` in their names). Default: the config's shard count, else 1 (no group).
   */
  readonly storeGroups?: number;
  /**
   * Store groups generated at once, each on a worker thread of its own that simulates,
   * validates and encodes its group's files (default 1: the whole run in this thread). At most
   * `storeGroups` threads run; the files are byte-identical whatever the count.
   */
  readonly threads?: number;
  /** Encode workers of each generating thread (the lake writer's `workers`, default 0). */
  readonly workers?: number;
  /** Told as the run goes, after each hourly window (of one store group, with threads). */
  readonly onProgress?: (progress: SimulationProgress) => void;
}

export interface SimulationProgress {
  /** Records written so far. */
  readonly rows: number;
  /** Share of the period simulated, 0..1 (the mean over store groups, with threads). */
  readonly done: number;
  /** Every store's records before this instant are written (undefined: not yet known). */
  readonly through?: string;
}

/** What `writeSimulation` wrote: the lake writer's result, and the records per entity. */
export interface SimulationWriteResult extends RunResult {
  readonly rowsByEntity: Readonly<Record<string, number>>;
}

const DEFAULT_BATCH_SIZE = 10_000;

/**
 * Writes a retail simulation's whole period into a lake through the lake writer, as
 * `retail-mds generate` does. With `storeGroups` G > 1 and `threads` T > 1, up to T worker
 * threads each simulate, validate and encode one store group at a time (its shard, as
 * `--shard g/G` would), publishing through `store`, which stays in this thread; the lake is
 * byte for byte the one a single-threaded run writes, manifests included, and so is the result.
 * A failure in any thread ends the others and rejects with that error, after the store's
 * pending writes have settled.
 * @throws SimulationConfigError before anything is written, for a bad config.
 * @example
 * const result = await writeSimulation(
 *   { seed: 42, from: "2026-11-01", days: 7, stores: 20, products: 2000 },
 *   { store: localStore("./lake"), format: "parquet", storeGroups: 2, threads: 2 },
 * );
 */
export async function writeSimulation(
  input: SimulationConfigInput,
  options: WriteSimulationOptions,
): Promise<SimulationWriteResult> {
  const config = parseSimulationConfig(input);
  const storeGroups = options.storeGroups ?? config.shard?.count ?? 1;
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1)
    throw new RangeError(`threads must be a whole number >= 1, got ${threads}`);
  if (config.shard && storeGroups !== config.shard.count)
    throw new RangeError(
      `storeGroups must be the shard count (${config.shard.count}) for a shard, got ${storeGroups}`,
    );
  // A thread simulates a shard, and a shard needs a store.
  if (threads > 1 && storeGroups > config.stores)
    throw new RangeError(
      `threads: a run of ${storeGroups} store groups over ${config.stores} stores has groups without a store; generate it in one thread, or with at most ${config.stores} groups`,
    );
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const writerOptions = {
    format: options.format,
    ...(options.compression ? { compression: options.compression } : {}),
    workers: options.workers ?? 0,
    storeGroups,
  };
  if (threads === 1 || storeGroups === 1 || config.shard) {
    const writer = createLakeWriter({ store: options.store, ...writerOptions });
    const sim = createRetailSimulation(config);
    const rowsByEntity = await writeSimulationBatches(sim, writer, {
      batchSize,
      columns: options.format === "parquet",
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { ...(await writer.close()), rowsByEntity };
  }
  return writeInThreads({
    config,
    store: options.store,
    threads: Math.min(threads, storeGroups),
    batchSize,
    writer: writerOptions,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/**
 * The run's loop: every batch of `sim.generate()` through `writer`, and `onBatch` (the CLI's
 * legacy feeds) after each. Returns the records per entity; the caller closes the writer.
 * With `columns` and no `onBatch`, the event batches are the simulation's column batches
 * (`columnar: true`), no object per row: for a Parquet writer, which routes and encodes them
 * without records (a CSV or NDJSON one makes records of them, which costs more than the
 * simulation's own record batches). `onBatch` reads records, so with it they are records.
 * Each record is checked once, by the writer: `writer` must have no quarantine sink, so that it
 * throws on an invalid record, a generator bug: the run then fails with the simulation's own
 * `GeneratedRecordError`, as when `sim.generate()` validates.
 */
export async function writeSimulationBatches(
  sim: RetailSimulation,
  writer: LakeWriter,
  options: {
    readonly batchSize: number;
    /** Hand the writer column batches (see above; default false). */
    readonly columns?: boolean;
    readonly onBatch?: (batch: Batch) => Promise<void>;
    readonly onProgress?: (progress: SimulationProgress) => void;
  },
): Promise<Record<string, number>> {
  const start = Date.parse(sim.period.from);
  const span = Date.parse(sim.period.to) - start;
  const rows: Record<string, number> = {};
  let total = 0;
  let lastWindow = "";
  const batches = sim.generate({
    batchSize: options.batchSize,
    validate: false,
    columnar: options.columns === true && !options.onBatch,
  });
  for (const batch of batches) {
    try {
      await writer.write(batch);
    } catch (error) {
      // The batch checked again, for validateRecords' own error (its class may be another
      // module instance's, as with a config's entity): only on the way out of a failed run.
      validateRecords(batch.entity, recordsOf(batch));
      throw error;
    }
    if (options.onBatch) await options.onBatch(isColumnBatch(batch) ? asRecords(batch) : batch);
    const length = isColumnBatch(batch) ? batch.length : batch.records.length;
    rows[batch.entity.name] = (rows[batch.entity.name] ?? 0) + length;
    total += length;
    const through = batch.window.to;
    if (batch.entity.partition === "none" || through === lastWindow) continue;
    lastWindow = through;
    options.onProgress?.({
      rows: total,
      done: Math.min(1, (Date.parse(through) - start) / span),
      through,
    });
  }
  return rows;
}

function recordsOf(batch: Batch | ColumnBatch): readonly unknown[] {
  return isColumnBatch(batch) ? columnBatchRecords(batch) : batch.records;
}

function asRecords(batch: ColumnBatch): Batch {
  return { entity: batch.entity, window: batch.window, records: columnBatchRecords(batch) };
}

/** What a generating thread is started with (see simulation-worker.ts); then a group at a time. */
export interface SimulationThreadData {
  readonly config: SimulationConfigInput;
  readonly batchSize: number;
  readonly writer: {
    readonly format: FileFormat;
    readonly compression?: Compression;
    readonly workers: number;
    readonly storeGroups: number;
  };
  readonly store: Pick<LakeStore, "kind" | "url">;
}

/** One store group's progress: always with its `through`. */
type GroupProgress = Required<SimulationProgress>;

/** What a generating thread posts: progress after each window, then its result or its error. */
export type SimulationThreadMessage =
  | ({ readonly type: "progress" } & GroupProgress)
  | { readonly type: "done"; readonly result: SimulationWriteResult }
  | { readonly type: "failed"; readonly error: ThreadErrorData };

async function writeInThreads(run: {
  readonly config: SimulationThreadData["config"];
  readonly store: LakeStore;
  readonly threads: number;
  readonly batchSize: number;
  readonly writer: SimulationThreadData["writer"];
  readonly onProgress?: (progress: SimulationProgress) => void;
}): Promise<SimulationWriteResult> {
  const groups = run.writer.storeGroups;
  const queue = Array.from({ length: groups }, (_, i) => i + 1);
  const progress = new Map<number, GroupProgress>();
  const report = () => {
    if (!run.onProgress) return;
    const all = [...progress.values()];
    const through = all.length === groups ? all.map((p) => p.through).sort()[0] : undefined;
    run.onProgress({
      rows: all.reduce((n, p) => n + p.rows, 0),
      done: all.reduce((n, p) => n + p.done, 0) / groups,
      ...(through ? { through } : {}),
    });
  };
  const results: SimulationWriteResult[] = []; // by group, so the merge is in group order
  const started: GeneratingThread[] = [];
  let failure: unknown;
  const lane = async () => {
    const thread = generatingThread(
      {
        config: run.config,
        batchSize: run.batchSize,
        writer: run.writer,
        store: { kind: run.store.kind, url: run.store.url },
      },
      run.store,
    );
    started.push(thread);
    try {
      while (failure === undefined && queue.length > 0) {
        const group = queue.shift() as number;
        try {
          results[group - 1] = await thread.run(group, (p) => {
            progress.set(group, p);
            report();
          });
        } catch (error) {
          failure ??= error;
          // The first failure ends every other thread; what they say then is not the cause.
          await Promise.all(started.map((t) => t.stop()));
        }
      }
    } finally {
      await thread.stop();
    }
  };
  await Promise.all(Array.from({ length: run.threads }, lane));
  if (failure !== undefined) throw failure;
  return mergeResults(results);
}

/** A worker thread generating store groups one after another, its JIT warm from one to the next. */
interface GeneratingThread {
  /** Generates one group; resolves with its writer's result. */
  run(group: number, onProgress: (p: GroupProgress) => void): Promise<SimulationWriteResult>;
  /** Ends the thread; resolves once it has exited and none of its writes is left in the store. */
  stop(): Promise<void>;
}

function generatingThread(data: SimulationThreadData, store: LakeStore): GeneratingThread {
  const channel = new MessageChannel();
  const served = serveStore(channel.port1, store);
  const worker = startWorkerThread(import.meta.url, "simulation-worker", {
    workerData: { ...data, port: channel.port2 },
    transferList: [channel.port2],
  });
  let current:
    | {
        readonly group: number;
        readonly onProgress: (p: GroupProgress) => void;
        resolve(result: SimulationWriteResult): void;
        reject(error: unknown): void;
      }
    | undefined;
  let died: unknown;
  const settle = (outcome: { result: SimulationWriteResult } | { error: unknown }) => {
    const task = current;
    current = undefined;
    if (!task) return;
    if ("result" in outcome) task.resolve(outcome.result);
    else task.reject(outcome.error);
  };
  worker.on("message", (message: SimulationThreadMessage) => {
    if (message.type === "progress") current?.onProgress(message);
    else if (message.type === "done") settle({ result: message.result });
    else settle({ error: served.original(message.error) ?? reviveError(message.error) });
  });
  worker.on("error", (error) => {
    died ??= reviveError(describeError(error));
  });
  const exited = new Promise<void>((resolve) => {
    worker.on("exit", async (code) => {
      died ??= new Error(
        `the thread generating store group ${current?.group} stopped (exit code ${code})`,
      );
      // No write of this thread's is still going on in the store when the run settles.
      await served.idle();
      channel.port1.close();
      settle({ error: died });
      resolve();
    });
  });
  return {
    run(group, onProgress) {
      return new Promise<SimulationWriteResult>((resolve, reject) => {
        if (died !== undefined) return reject(died);
        current = { group, onProgress, resolve, reject };
        worker.postMessage({ group });
      });
    },
    async stop() {
      await worker.terminate();
      await exited;
    },
  };
}

/** The result of one writer given every store group, from the results of one writer per group. */
function mergeResults(results: readonly SimulationWriteResult[]): SimulationWriteResult {
  const manifests = results
    .flatMap((r) => r.manifests ?? [])
    .sort((a, b) => (a.storeGroup ?? 0) - (b.storeGroup ?? 0));
  const first = manifests[0] as RunManifest & { manifestPath: string };
  const sum = (of: (r: SimulationWriteResult) => number) => results.reduce((n, r) => n + of(r), 0);
  const rowsByEntity: Record<string, number> = {};
  for (const r of results)
    for (const [entity, n] of Object.entries(r.rowsByEntity))
      rowsByEntity[entity] = (rowsByEntity[entity] ?? 0) + n;
  return {
    runId: first.runId,
    format: first.format,
    compression: first.compression,
    files: manifests.flatMap((m) => m.files).sort((a, b) => (a.path < b.path ? -1 : 1)),
    rowsWritten: sum((r) => r.rowsWritten),
    rowsQuarantined: sum((r) => r.rowsQuarantined),
    rowsLegacy: sum((r) => r.rowsLegacy),
    manifestPath: first.manifestPath,
    manifests,
    published: sum((r) => r.published),
    unchanged: sum((r) => r.unchanged),
    rowsByEntity,
  };
}
