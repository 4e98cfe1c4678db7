import { dayNumber } from "./calendar.js";
import { expectedTickets } from "./demand.js";
import { inShard, parseSimulationConfig, type SimulationConfig } from "./simulation-config.js";
import type { FormatProfile } from "./store-formats.js";
import { generateStores } from "./store-generator.js";

/** What a simulation run will produce and hold, worked out before anything is generated. */
export interface RunEstimate {
  /** Records expected per entity over the whole run (reference entities once). */
  readonly rows: Readonly<Record<string, number>>;
  readonly totalRows: number;
  /** Records of the busiest hourly window: what a streaming writer holds at once. */
  readonly rowsPerWindow: number;
  /** Peak memory of a streaming `generate()` run, bytes (simulation state and one window). */
  readonly memoryBytes: number;
  /**
   * The part of `memoryBytes` on the JavaScript heap (bounded by Node's heap limit): with
   * threads, the largest thread's, each thread having a heap of its own.
   */
  readonly heapBytes: number;
  /** With `threads` > 1: what the largest generating thread adds to the process, bytes. */
  readonly threadBytes?: number;
}

/**
 * How a run is split: the lake writer's store groups, generated `threads` at a time, and the
 * lake writer's Parquet encode `workers` (for each generating thread; default 0, as the writer's).
 */
export interface RunEstimateOptions {
  readonly storeGroups?: number;
  readonly threads?: number;
  readonly workers?: number;
}

// Rough sizes, on purpose: they size a run, they do not budget it (docs/generators.md compares
// the estimate with measured runs).
const RECORD_BYTES = 700; // a built record object with its strings, while a window is encoded
// An encode worker: its own isolate and parquet-wasm's memory with the files it encodes, measured
// at 50 stores x 5 000 SKUs (peak RSS with 1 worker less with none: 63 MB; 49 MB with
// hyparquet-writer).
const ENCODE_WORKER_BYTES = 60 * 1024 * 1024;
const EVENT_BYTES = 48; // a sale line or movement in a store-day's event buffers
// Per store, arrays over the SKUs: the position, 2 kept days x 3, 3 recent openings,
// 4 checkpoints, 3 promotion-week plans.
const STOCK_ARRAYS = 17;
// Node, the encoders, GC headroom: calibrated on measured runs (docs/generators.md).
const BASE_BYTES = 300 * 1024 * 1024;
// A generating thread's own isolate, JIT code and encoder with its files in flight, on top of
// its store group's state and window: calibrated on measured runs (docs/generators.md).
const THREAD_BYTES = 90 * 1024 * 1024;
const POLICY_BYTES = 90; // a carried SKU's reorder policy object, per store
// The share of a day's events in its busiest hour (the intraday peak), and receipts per SKU a day.
const PEAK_HOUR_SHARE = 0.15;
const RECEIPTS_PER_SKU_DAY = 0.25;

/**
 * Estimates the records, the biggest window and the peak memory of a run from its config:
 * stores (each format's footfall, lines per ticket and share of the assortment) x SKUs x days.
 * Cheap (no store-day is simulated), so a CLI can say up front what a run needs and refuse what
 * cannot fit; accurate to a few tens of percent (compared with real runs in the tests).
 * @throws SimulationConfigError as `createRetailSimulation` does.
 * @example
 * estimateRun({ seed: 42, from: "2026-11-01", days: 7, stores: 20, products: 2000 }).totalRows;
 */
export function estimateRun(input: unknown, options: RunEstimateOptions = {}): RunEstimate {
  const config: SimulationConfig = parseSimulationConfig(input);
  const groups = options.storeGroups ?? 1;
  const threads = Math.min(options.threads ?? 1, groups);
  // writeSimulation runs no threads where a group would have no store (nor for a shard).
  const inThreads = threads > 1 && !config.shard && groups <= config.stores;
  // Encode workers are threads of their own, outside any generating thread's heap.
  const encoders = (options.workers ?? 0) * (inThreads ? threads : 1) * ENCODE_WORKER_BYTES;
  if (inThreads) {
    const threaded = threadedEstimate(config, groups, threads);
    return { ...threaded, memoryBytes: threaded.memoryBytes + encoders };
  }
  const first = dayNumber(config.from);
  const days = config.days;
  // Expected footfall is linear in size and traffic: sum each format's day factors (weekday,
  // season, Sunday closing, as the simulation draws them) once, then scale per store.
  const ticketsPerUnit = new Map<FormatProfile, number>();
  let lines = 0; // over the run
  let carried = 0; // SKUs carried, summed over stores
  let simulated = 0; // stores of the shard (all of them unsharded)
  for (const store of generateStores(config)) {
    if (!inShard(config, store.index)) continue;
    simulated++;
    let tickets = ticketsPerUnit.get(store.profile);
    if (tickets === undefined) {
      tickets = 0;
      for (let day = first; day < first + days; day++)
        tickets += expectedTickets(store.profile, 1, day, 1);
      ticketsPerUnit.set(store.profile, tickets);
    }
    lines += tickets * store.size * config.traffic * store.profile.lines;
    carried += Math.max(1, Math.round(config.products * store.profile.assortment));
  }
  const linesPerDay = lines / days;
  // Reference data is written by the first shard.
  const reference = !config.shard || config.shard.index === 1 ? 1 : 0;
  const rows = {
    store: config.stores * reference,
    product: config.products * reference,
    customer: config.customers * reference,
    sale_line: Math.round(lines),
    stock_movement: Math.round(lines + carried * (RECEIPTS_PER_SKU_DAY * days + 1)),
    stock_snapshot: carried * days,
  };
  const totalRows = Object.values(rows).reduce((sum, n) => sum + n, 0);
  const rowsPerWindow = Math.round(
    Math.max(
      2 * linesPerDay * PEAK_HOUR_SHARE + carried,
      config.products * reference,
      config.customers * reference,
    ),
  );
  const heapBytes =
    BASE_BYTES + carried * POLICY_BYTES + Math.min(rowsPerWindow, 500_000) * RECORD_BYTES;
  const memoryBytes =
    heapBytes +
    simulated * config.products * 4 * STOCK_ARRAYS +
    2 * 2 * linesPerDay * EVENT_BYTES +
    encoders;
  return { rows, totalRows, rowsPerWindow, memoryBytes, heapBytes };
}

/**
 * A run whose `groups` store groups are generated `threads` at a time (`writeSimulation`): the
 * records of the whole run, and the memory of the process while the `threads` largest groups
 * run together, each in a thread of its own (its group's estimate, less the process's base,
 * plus a thread's own). The heap is a thread's: each has its own.
 */
function threadedEstimate(config: SimulationConfig, groups: number, threads: number): RunEstimate {
  const whole = estimateRun(config);
  const parts = Array.from({ length: groups }, (_, i) =>
    estimateRun({ ...config, shard: { index: i + 1, count: groups } }),
  ).sort((a, b) => b.memoryBytes - a.memoryBytes);
  const threadBytes = (parts[0]?.memoryBytes ?? BASE_BYTES) - BASE_BYTES + THREAD_BYTES;
  const memoryBytes = parts
    .slice(0, threads)
    .reduce((sum, part) => sum + part.memoryBytes - BASE_BYTES + THREAD_BYTES, BASE_BYTES);
  const heapBytes = Math.max(...parts.map((part) => part.heapBytes - BASE_BYTES + THREAD_BYTES));
  return { ...whole, memoryBytes, heapBytes, threadBytes };
}
