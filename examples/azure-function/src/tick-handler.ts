import type { InvocationContext, Timer } from "@azure/functions";
// In your own function app: `from "retail-mds/generators"` and `from "retail-mds/lake"`.
import {
  createRetailSimulation,
  latestSimulationCheckpoint,
  type RetailSimulation,
  type SimulationCheckpoint,
  saveSimulationCheckpoint,
  simulationFingerprint,
} from "../../../src/generators/index.js";
import {
  adlsStore,
  blobStore,
  createLakeWriter,
  type EventSink,
  type LakeStore,
  queueEventSink,
} from "../../../src/lake/index.js";
import { parseNcrontab } from "./ncrontab.js";
import type { Settings } from "./settings.js";
import { tickWindows } from "./tick-windows.js";

export interface TickDependencies {
  readonly settings: Settings;
  /** Default: built from the settings (connection string, or the managed identity). */
  readonly store?: LakeStore;
  /**
   * Where BlobCreated events go. In Azure, Event Grid raises them from the storage account, so
   * none is needed. Default: the queue `RETAIL_MDS_EVENT_QUEUE` names (for Azurite and local
   * runs without Event Grid), else none.
   */
  readonly events?: EventSink;
  /** Default: the current time. */
  readonly now?: () => Date;
  /** Default: `simulationFromSettings(settings)`. */
  readonly simulation?: RetailSimulation;
}

/** What one invocation did, for its log line and for tests. */
export interface TickResult {
  readonly windows: readonly { readonly from: string; readonly to: string }[];
  readonly published: number;
  readonly unchanged: number;
  readonly rows: number;
  /** The checkpoint day a cold instance resumed from (`_state/` in the lake), if any. */
  readonly resumedFrom?: string;
  /** The checkpoint it saved at its last window's end, for the next cold start. */
  readonly checkpointSaved?: string;
  /** The checkpoint of its previous invocation that the new one replaced (deleted). */
  readonly checkpointReplaced?: string;
}

function credentialOf(settings: Settings) {
  return settings.RETAIL_MDS_CONNECTION_STRING
    ? { connectionString: settings.RETAIL_MDS_CONNECTION_STRING }
    : { accountUrl: settings.RETAIL_MDS_ACCOUNT_URL as string };
}

/** The lake store the settings describe: a connection string when given, else the managed identity. */
export function storeFromSettings(settings: Settings): LakeStore {
  const credential = credentialOf(settings);
  const prefix = settings.RETAIL_MDS_PREFIX || undefined;
  return settings.RETAIL_MDS_STORE_KIND === "adls"
    ? adlsStore({
        fileSystem: settings.RETAIL_MDS_CONTAINER,
        credential,
        // Event Grid's FlushWithClose names the flushed path and a rename raises only
        // BlobRenamed, which Snowpipe ignores: flush in place so Snowpipe sees the final path.
        publish: "in-place",
        ...(prefix ? { prefix } : {}),
      })
    : blobStore({
        container: settings.RETAIL_MDS_CONTAINER,
        credential,
        ...(prefix ? { prefix } : {}),
      });
}

/** The simulation the settings describe. */
export function simulationFromSettings(settings: Settings): RetailSimulation {
  return createRetailSimulation({
    seed: settings.RETAIL_MDS_SEED,
    from: settings.RETAIL_MDS_SIM_FROM,
    days: settings.RETAIL_MDS_SIM_DAYS,
    stores: settings.RETAIL_MDS_STORES,
    products: settings.RETAIL_MDS_PRODUCTS,
    traffic: settings.RETAIL_MDS_TRAFFIC,
    ...(settings.RETAIL_MDS_SHARD ? { shard: settings.RETAIL_MDS_SHARD } : {}),
  });
}

/**
 * The timer handler: generates every window due since the last recorded occurrence (one on
 * schedule, each missed one after a gap) and writes it through the lake writer. Errors are not
 * caught: the invocation fails, the platform logs it and retries under host.json's policy, and
 * since windows and file names are deterministic, the retry publishes only what is missing.
 * @example
 * app.timer("tick", { schedule: settings.RETAIL_MDS_TICK_SCHEDULE, handler: createTickHandler({ settings }) });
 */
export function createTickHandler(
  deps: TickDependencies,
): (timer: Timer, context: InvocationContext) => Promise<TickResult> {
  const { settings } = deps;
  const schedule = parseNcrontab(settings.RETAIL_MDS_TICK_SCHEDULE);
  const simulation = deps.simulation ?? simulationFromSettings(settings);
  // A shard writes its own store group's files (and manifest): see docs/generators.md.
  const storeGroups = settings.RETAIL_MDS_SHARD?.count ?? settings.RETAIL_MDS_STORE_GROUPS ?? 1;
  const fingerprint = simulationFingerprint(simulation.config);
  // A cold instance resumes from the lake's latest checkpoint instead of replaying the history.
  // Any instance saves one at its last window's end, so the next cold start begins at its own
  // window: about a millisecond of CPU for 20 stores x 2 000 SKUs, the instance being there
  // already. One is kept for good when a store's business day moves on (a few a day) or
  // RETAIL_MDS_CHECKPOINT_MINUTES after the last kept, for windows further back (a retried or
  // backfilled one); the others are replaced by the next, so `_state/` does not grow by one
  // every tick. Whether one is kept is told from the days alone.
  const every = settings.RETAIL_MDS_CHECKPOINT_MINUTES * 60_000;
  let resumed = false;
  let keptDays: string | undefined;
  let keptAt = Number.NEGATIVE_INFINITY;
  // The last checkpoint this instance saved and did not keep: deleted once the next is saved.
  let replaceable: string | undefined;
  const daysOf = (checkpoint: SimulationCheckpoint) => checkpoint.stores.map((s) => s.day).join();
  let store: LakeStore | undefined = deps.store;
  const queue = settings.RETAIL_MDS_EVENT_QUEUE;
  const events =
    deps.events ??
    (queue
      ? queueEventSink({ queueName: queue, credential: credentialOf(settings), createQueue: true })
      : undefined);

  return async (timer, context) => {
    const now = deps.now?.() ?? new Date();
    const windows = tickWindows(schedule, { now, last: timer.scheduleStatus?.last });
    if (timer.isPastDue)
      context.warn(`past due: catching up ${windows.length} window(s) since ${windows[0]?.from}`);
    store ??= storeFromSettings(settings);
    const writer = createLakeWriter({
      store,
      format: settings.RETAIL_MDS_FORMAT,
      storeGroups,
      ...(events ? { events } : {}),
      runId: `tick-${compact(windows[0]?.from ?? now.toISOString())}-${compact(windows.at(-1)?.to ?? now.toISOString())}`,
    });
    let rows = 0;
    let resumedFrom: string | undefined;
    if (!resumed && windows[0]) {
      const checkpoint = await latestSimulationCheckpoint(store, fingerprint, windows[0].from);
      if (checkpoint) {
        simulation.resume(checkpoint);
        resumedFrom = checkpoint.at;
        keptDays = daysOf(checkpoint);
        keptAt = Date.parse(checkpoint.at);
      }
      resumed = true;
    }
    try {
      for (const window of windows) {
        for (const batch of simulation.tick(window.from, window.to)) {
          rows += batch.records.length;
          await writer.write(batch);
        }
      }
    } catch (error) {
      // Let uploads in flight settle before the invocation fails; the first error is thrown.
      await writer.close().catch(() => {});
      throw error;
    }
    const manifest = await writer.close();
    const next = windows.at(-1)?.to;
    let checkpointSaved: string | undefined;
    let checkpointReplaced: string | undefined;
    if (next && next < simulation.period.to) {
      const days = simulation.checkpointDays(next).join();
      const keep = days !== keptDays || Date.parse(next) - keptAt >= every;
      checkpointSaved = await saveSimulationCheckpoint(
        store,
        simulation.checkpoint(next, { columns: "values" }),
      );
      if (replaceable && replaceable !== checkpointSaved) {
        // Housekeeping: a checkpoint left behind costs storage, never a wrong record.
        await store.delete(replaceable).then(
          () => {
            checkpointReplaced = replaceable;
          },
          (error: Error) => context.warn(`could not delete ${replaceable}: ${error.message}`),
        );
      }
      replaceable = keep ? undefined : checkpointSaved;
      if (keep) {
        keptDays = days;
        keptAt = Date.parse(next);
      }
    }
    const result: TickResult = {
      windows,
      published: manifest.published,
      unchanged: manifest.unchanged,
      rows,
      ...(resumedFrom ? { resumedFrom } : {}),
      ...(checkpointSaved ? { checkpointSaved } : {}),
      ...(checkpointReplaced ? { checkpointReplaced } : {}),
    };
    context.log(
      `ticked ${windows.length} window(s) ${windows[0]?.from} .. ${windows.at(-1)?.to}: ${rows} rows`,
    );
    return result;
  };
}

function compact(iso: string): string {
  return iso.slice(0, 16).replace(/[-:]/g, "").toLowerCase();
}
