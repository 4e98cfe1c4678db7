import { fromUnits } from "../entities/decimal.js";
import {
  type Batch,
  type ColumnBatch,
  type ColumnValues,
  columnBatchRecords,
  customer,
  type Entity,
  isColumnBatch,
  product,
  saleLine,
  stockMovement,
  stockSnapshot,
  store,
} from "../entities/index.js";
import { businessDay, dateOf, dayNumber, localDayOf, weekdayOf, weekIndexOf } from "./calendar.js";
import {
  type ColumnDictionaries,
  columnDictionaries,
  type SnapshotRows,
  saleLineColumns,
  stockMovementColumns,
  stockSnapshotColumns,
} from "./column-builders.js";
import { customerAt } from "./customer-generator.js";
import {
  type EntityGenerator,
  type GeneratorContext,
  GeneratorWindowError,
  type StoreBusinessDay,
} from "./define-generator.js";
import { averageTickets } from "./demand.js";
import type { EventBuffer } from "./event-buffer.js";
import { hashString, PURPOSE, streamFor, unitHash3Below } from "./prng.js";
import { generateProducts, type ProductModel } from "./product-generator.js";
import { discountCents, promotionOf } from "./promotions.js";
import {
  saleLineRecord,
  stockMovementRecord,
  stockSnapshotRecord,
  storeDayTag,
} from "./record-builders.js";
import { type ReorderPolicy, reorderPolicy } from "./replenishment.js";
import {
  CHECKPOINT_BYTES_FORMAT,
  CHECKPOINT_FORMAT,
  decodeStoreState,
  encodeStoreState,
  parseSimulationCheckpoint,
  SIMULATION_MODEL_VERSION,
  type SimulationCheckpoint,
  SimulationCheckpointError,
  simulationFingerprint,
} from "./simulation-checkpoint.js";
import {
  inShard,
  parseSimulationConfig,
  type SimulationConfig,
  SimulationConfigError,
  type SimulationConfigInput,
} from "./simulation-config.js";
import {
  openingState,
  type StoreContext,
  type StoreDay,
  StoreDayRun,
  type StoreState,
} from "./store-day.js";
import { generateStores, type StoreModel } from "./store-generator.js";
import { parseInstant, parseTickWindow } from "./tick-window.js";
import { validateRecords } from "./validate-records.js";

/** Options of `createRetailSimulation` beyond its config. */
export interface SimulationOptions {
  /**
   * Generators of your own entities (`defineGenerator`), run for every window after the
   * built-in entities; their batches follow the window's built-in ones.
   */
  readonly generators?: readonly EntityGenerator[];
}

/** Options of `tick()` and `generate()`. */
export interface BatchOptions {
  /** Records per batch (default 10 000); the records are the same whatever the size. */
  readonly batchSize?: number;
  /**
   * Check every record against its entity schema, throwing `GeneratedRecordError` on the
   * first invalid one (default true). `false` is for a consumer that checks every record
   * itself and fails on an invalid one, as `writeSimulation`'s lake writer does: then each
   * record is checked once.
   */
  readonly validate?: boolean;
  /**
   * Yield the sale_line, stock_movement and stock_snapshot batches as `ColumnBatch`es, built
   * straight from the simulation's event buffers (default false): the same windows, batch
   * boundaries and rows (`columnBatchRecords` of each is the record batch it replaces), without
   * an object per row, for a consumer that takes columns, as the lake writer does. Reference
   * and custom generators' batches stay records. With `validate`, each column batch's records
   * are built to be checked, which costs what the columns save: pass `validate: false` to a
   * consumer that checks them itself.
   */
  readonly columnar?: boolean;
}

/** `BatchOptions` asking for column batches (`columnar: true`). */
export type ColumnarBatchOptions = BatchOptions & { readonly columnar: true };

/** Options of `checkpoint()`. */
export interface CheckpointOptions {
  /**
   * `"base64"` (default): columns as base64 text, a JSON-able value (format 2). `"values"`:
   * columns as `Int32Array`s, for `simulationCheckpointBytes` or `saveSimulationCheckpoint`
   * with no base64 on the way (not JSON: `JSON.stringify` would write each value as a key).
   */
  readonly columns?: "base64" | "values";
}

/** A batch of a reference entity: store, product or customer. */
export type ReferenceBatch = Batch<typeof store> | Batch<typeof product> | Batch<typeof customer>;

/**
 * A batch the simulation yields: one of the built-in entities' (narrow it with
 * `isBatchOf(batch, saleLine)`), or of a custom generator's entity.
 */
export type SimulationBatch =
  | ReferenceBatch
  | Batch<typeof saleLine>
  | Batch<typeof stockMovement>
  | Batch<typeof stockSnapshot>
  | Batch;

/** A batch of the simulation's events as columns: what `columnar: true` yields instead. */
export type SimulationColumnBatch =
  | ColumnBatch<typeof saleLine>
  | ColumnBatch<typeof stockMovement>
  | ColumnBatch<typeof stockSnapshot>;

/** A deterministic retail simulation over a period; see `createRetailSimulation`. */
export interface RetailSimulation {
  readonly config: SimulationConfig;
  /** `[start, end)` of the period in UTC: from the first store's opening day to the last close. */
  readonly period: { readonly from: string; readonly to: string };
  /** Store, product and customer batches. */
  reference(options?: BatchOptions): ReferenceBatch[];
  /**
   * The sale lines and stock movements whose event time is in `[from, to)`, and the stock
   * snapshots of every business day whose close (local midnight) is in `(from, to]`: a day
   * closing exactly at `to` is complete when the window is. Both rules partition time, so
   * consecutive windows have no gap and no overlap. Stateless: any window, in any order,
   * from any process, gives the same records. With `columnar: true`, the event batches are
   * `ColumnBatch`es.
   */
  tick(
    from: string,
    to: string,
    options: ColumnarBatchOptions,
  ): Iterable<SimulationBatch | SimulationColumnBatch>;
  tick(
    from: string,
    to: string,
    options?: BatchOptions & { readonly columnar?: false },
  ): Iterable<SimulationBatch>;
  tick(
    from: string,
    to: string,
    options?: BatchOptions,
  ): Iterable<SimulationBatch | SimulationColumnBatch>;
  /**
   * Reference batches, then the whole period as hourly windows, streaming. With
   * `columnar: true`, the event batches are `ColumnBatch`es.
   */
  generate(options: ColumnarBatchOptions): Iterable<SimulationBatch | SimulationColumnBatch>;
  generate(options?: BatchOptions & { readonly columnar?: false }): Iterable<SimulationBatch>;
  generate(options?: BatchOptions): Iterable<SimulationBatch | SimulationColumnBatch>;
  /**
   * What a fresh process needs to `resume` windows starting at or after `at` (an instant)
   * instead of replaying from `from`: each store's position at `at` in the first business day
   * closing after it (its opening when `at` is before the day starts; otherwise the stock, the
   * random stream and the counters at `at`, so a resumed process simulates only what follows).
   * Cheap right after a window ending at `at`; other instants are replayed from the nearest
   * known position.
   * @throws TickWindowError when `at` is not an instant.
   */
  checkpoint(at: string, options?: CheckpointOptions): SimulationCheckpoint;
  /**
   * The business day (`YYYY-MM-DD`) of each store that `checkpoint(at)` would hold, in store
   * order, without building it: to tell whether a checkpoint kept earlier still fits.
   * @throws TickWindowError when `at` is not an instant.
   */
  checkpointDays(at: string): string[];
  /**
   * Starts every store from a checkpoint (of this config and model: see
   * `simulationFingerprint`), so windows from its instant on cost the events since that instant,
   * not the history. Output is unchanged: the same records as a replay from `from` (a window
   * starting before the instant is replayed).
   * @throws SimulationCheckpointError when it is malformed or from another simulation.
   */
  resume(checkpoint: SimulationCheckpoint): void;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;
const DEFAULT_BATCH = 10_000;
// Per store, the weekly opening positions kept to rewind to, and the store-days kept hot.
const CHECKPOINT_EVERY = 7;
// Checkpoints kept per store at most: each holds a stock array of every SKU, so keeping all of
// them grew a 10-year run of 999 stores past 2 GB. Past the cap every other one is dropped (the
// opening stays), so the kept ones thin out over the past and a rewind replays a little more.
const MAX_CHECKPOINTS = 4;
// Two: an hourly window touches at most the day it is in and the day closing at its start.
const RESULTS_KEPT = 2;
const RECENT_OPENINGS = 3;

interface Cursor {
  /** The latest opening position known (none before the first is needed: a resumed process). */
  state: StoreState | undefined;
  readonly checkpoints: Map<number, StoreState>;
  /** The last few opening positions, so a checkpoint of yesterday needs no replay. */
  readonly recent: Map<number, StoreState>;
  /** The store-days in progress or just closed, as far as windows asked for them. */
  readonly results: Map<number, StoreDayRun>;
  /** A position inside a day that `resume` was given: that day's run starts there. */
  within: StoreState | undefined;
}

function remember<V>(map: Map<number, V>, key: number, value: V, keep: number): void {
  map.set(key, value);
  if (map.size > keep) map.delete(map.keys().next().value as number);
}

/**
 * Creates a seeded retail simulation: stores of several formats and time zones, a Zipf-popular
 * assortment with category price bands, intraday/weekday/seasonal footfall, weekly promotions
 * with uplift, baskets, ~2% returns, ~60% loyalty tickets, and stock replenished at a reorder
 * point with a lead time, so stock-outs are real.
 *
 * Windows are computed by replaying each store from `config.from` to the window's day (stock
 * is path-dependent); one instance caches weekly checkpoints, so consecutive windows are cheap.
 * A fresh process pays one replay, unless it `resume`s from a `checkpoint` kept from an
 * earlier one (`saveSimulationCheckpoint` / `latestSimulationCheckpoint` keep them in a lake).
 * @throws SimulationConfigError naming the bad field.
 * @example
 * const sim = createRetailSimulation({ seed: 42, from: "2026-11-01", days: 7, stores: 20, products: 2000 });
 * for (const batch of sim.tick("2026-11-02T08:00:00Z", "2026-11-02T08:05:00Z")) {
 *   console.log(batch.entity.name, batch.records.length);
 * }
 */
export function createRetailSimulation(
  input: SimulationConfigInput,
  options: SimulationOptions = {},
): RetailSimulation {
  const config = parseSimulationConfig(input);
  const generators = options.generators ?? [];
  if (config.shard && generators.length > 0) {
    // A custom generator reads the whole chain's window (ctx.sales, ctx.movements): a shard
    // holds only its stores' events, so its output would not be its part of one run's.
    throw new SimulationConfigError(
      "shard",
      "cannot be combined with custom generators, which read every store's window",
      config.shard,
    );
  }
  const firstDay = dayNumber(config.from);
  const lastDay = firstDay + config.days - 1;
  const stores = generateStores(config);
  const products = generateProducts(config);
  const fingerprint = simulationFingerprint(config);
  // The stores this instance simulates: all of them, or its shard's. A store-day depends only on
  // its own opening position and streams keyed by (seed, store, day), so a shard's events are
  // exactly the whole chain's events of its stores. Other stores get neither context nor cursor.
  const simulated = stores.filter((model) => inShard(config, model.index));
  const promotions = new Map<number, Int32Array>();
  const contexts: StoreContext[] = [];
  const cursors: Cursor[] = [];
  for (const model of simulated) {
    contexts[model.index] = storeContext(config, model, products, firstDay, promotions);
    cursors[model.index] = {
      state: undefined,
      checkpoints: new Map(),
      recent: new Map(),
      results: new Map(),
      within: undefined,
    };
  }
  const periodStart = Math.min(
    ...stores.map((s) => businessDay(s.record.timezone, firstDay).start),
  );
  const periodEnd = Math.max(...stores.map((s) => businessDay(s.record.timezone, lastDay).end));
  const period = {
    from: new Date(periodStart).toISOString(),
    to: new Date(periodEnd).toISOString(),
  };

  // The run of a store's day holding every event from `from` on, advanced to `until`.
  function storeDay(index: number, day: number, from: number, until: number): StoreDayRun {
    const cursor = cursors[index] as Cursor;
    let run = cursor.results.get(day);
    if (!run || run.since > from) {
      run = startRun(index, day, from);
      remember(cursor.results, day, run, RESULTS_KEPT);
    }
    run.advance(until);
    return run;
  }

  // A new run of a store's day, for events from `from` on: from the resumed position inside
  // that day when it is early enough, else from the day's opening.
  function startRun(index: number, day: number, from: number): StoreDayRun {
    const within = (cursors[index] as Cursor).within;
    const ctx = contexts[index] as StoreContext;
    if (within?.within && within.day === day && within.within.at <= from) {
      return new StoreDayRun(ctx, within);
    }
    return new StoreDayRun(ctx, opening(index, day));
  }

  // Closes a run and keeps the next day's opening.
  function close(index: number, run: StoreDayRun): StoreState {
    if (run.next) return run.next;
    const cursor = cursors[index] as Cursor;
    const next = run.finish();
    cursor.state = next;
    remember(cursor.recent, next.day, next, RECENT_OPENINGS);
    return next;
  }

  // The opening position of a store's day: from the latest known position at or before it
  // (the cursor, a recent opening, a weekly checkpoint or a resumed one), replayed forward.
  function opening(index: number, day: number): StoreState {
    const cursor = cursors[index] as Cursor;
    let state = cursor.state;
    for (const known of [cursor.checkpoints, cursor.recent]) {
      for (const [d, position] of known) {
        if (d <= day && (!state || state.day > day || d > state.day)) state = position;
      }
    }
    const ctx = contexts[index] as StoreContext;
    // The first day's opening, built when first needed (a resumed process may never need it).
    if (!state || state.day > day) {
      state = cursor.checkpoints.get(firstDay) ?? openingState(ctx);
      cursor.checkpoints.set(firstDay, state);
    }
    const within = cursor.within;
    // A resumed position inside an earlier day is nearer: its day, closed, opens the next.
    if (within && within.day >= state.day && within.day < day) {
      state = close(index, cursor.results.get(within.day) ?? new StoreDayRun(ctx, within));
    }
    for (;;) {
      if ((state.day - firstDay) % CHECKPOINT_EVERY === 0) keepCheckpoint(cursor, state);
      if (state.day === day) return state;
      const hot = cursor.results.get(state.day);
      state = hot ? close(index, hot) : new StoreDayRun(ctx, state).finish();
    }
  }

  // Each store's position at `t`, inside the first business day it reads from `t` on.
  function positionAt(model: StoreModel, t: number): StoreState {
    const day = firstDayRead(model, t);
    const business = businessDay(model.record.timezone, day);
    if (t <= business.start || t >= business.end) return opening(model.index, day);
    let run = (cursors[model.index] as Cursor).results.get(day);
    if (!run || run.since > t || run.at > t) run = startRun(model.index, day, t);
    run.advance(t);
    return run.position();
  }

  // The first business day of a store that a window starting at `t` reads: the first whose
  // close is after `t` (a window reads the days it overlaps and those closing inside it).
  function firstDayRead(model: StoreModel, t: number): number {
    const tz = model.record.timezone;
    let day = Math.min(lastDay, Math.max(firstDay, localDayOf(tz, t) - 1));
    while (day < lastDay && businessDay(tz, day).end <= t) day++;
    return day;
  }

  // Dictionaries of every store and SKU, made on the first columnar window.
  let dicts: ColumnDictionaries | undefined;
  const dictionaries = () => (dicts ??= columnDictionaries(stores, products));

  // The window's stock snapshots: every carried SKU of each day closed in it, in close order.
  function snapshotRows(closes: readonly StoreDay[]): SnapshotRows {
    let length = 0;
    for (const close of closes) length += (contexts[close.store] as StoreContext).carried.length;
    const day = new Int32Array(length);
    const sku = new Int32Array(length);
    const reorderPoint = new Int32Array(length);
    let n = 0;
    closes.forEach((close, d) => {
      const ctx = contexts[close.store] as StoreContext;
      const policies = ctx.policies;
      for (const p of ctx.carried) {
        day[n] = d;
        sku[n] = p;
        reorderPoint[n] = policies[p]?.reorderPoint ?? 0;
        n++;
      }
    });
    return { days: closes, day, sku, reorderPoint };
  }

  function* window(
    from: number,
    to: number,
    batching: Batching,
  ): Generator<Batch | SimulationColumnBatch> {
    const win = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const saleRuns: Run[] = [];
    const moveRuns: Run[] = [];
    const closes: StoreDay[] = [];
    for (const model of simulated) {
      const tz = model.record.timezone;
      // Every day that may overlap the window or close inside it: an instant's local day is
      // within one of its UTC day (offsets are under a day), so this costs no time zone lookup
      // (Intl, a few percent of a run at two a store a window); the checks below keep the days
      // that do.
      const lo = Math.max(firstDay, Math.floor(from / DAY) - 2);
      const hi = Math.min(lastDay, Math.floor((to - 1) / DAY) + 1);
      for (let d = lo; d <= hi; d++) {
        const bd = businessDay(tz, d);
        const overlaps = bd.start < to && bd.end > from;
        const closesInside = bd.end > from && bd.end <= to;
        if (!overlaps && !closesInside) continue;
        const day = storeDay(model.index, d, from, to);
        if (overlaps) {
          pushRun(saleRuns, day, day.sales, from, to);
          pushRun(moveRuns, day, day.movements, from, to);
        }
        if (closesInside) {
          close(model.index, day);
          closes.push(day);
        }
      }
    }
    closes.sort((a, b) => a.business.end - b.business.end || a.store - b.store);
    // Days closed by the end of this window have given all their events: let them go now, so a
    // streaming run holds about one day per store (the runs below keep what this window needs).
    for (const model of simulated) {
      const cursor = cursors[model.index] as Cursor;
      for (const [d, result] of cursor.results)
        if (result.business.end <= to) cursor.results.delete(d);
    }

    // Only a custom generator needs the window's records kept past their batch.
    const kept =
      generators.length > 0 ? { sales: [] as unknown[], movements: [] as unknown[] } : undefined;
    const tags = new Map<StoreDay, string>();
    const tagOf = (day: StoreDay) => {
      let tag = tags.get(day);
      if (!tag) {
        tag = storeDayTag(stores[day.store] as StoreModel, day);
        tags.set(day, tag);
      }
      return tag;
    };
    const saleDays = saleRuns.map((r) => r.day);
    const saleTags = saleDays.map(tagOf);
    const sales = mergeRuns(saleRuns);
    const moveDays = moveRuns.map((r) => r.day);
    const moveTags = moveDays.map(tagOf);
    const snapshots = snapshotRows(closes);
    if (batching.columnar) {
      const dicts = dictionaries();
      yield* keep(
        kept?.sales,
        columnChunks(saleLine, sales.length, batching, win, (start, end) =>
          saleLineColumns(dicts, products, saleDays, saleTags, sales, start, end),
        ),
      );
      const moves = mergeRuns(moveRuns);
      yield* keep(
        kept?.movements,
        columnChunks(stockMovement, moves.length, batching, win, (start, end) =>
          stockMovementColumns(dicts, moveDays, moveTags, moves, start, end),
        ),
      );
      yield* columnChunks(stockSnapshot, snapshots.day.length, batching, win, (start, end) =>
        stockSnapshotColumns(dicts, snapshots, start, end),
      );
    } else {
      yield* keep(
        kept?.sales,
        chunks(saleLine, sales.length, batching, win, (i) => {
          const r = sales.run[i] as number;
          const day = saleDays[r] as StoreDay;
          return saleLineRecord(
            stores[day.store] as StoreModel,
            saleTags[r] as string,
            products,
            day.sales,
            sales.index[i] as number,
          );
        }),
      );
      const moves = mergeRuns(moveRuns);
      yield* keep(
        kept?.movements,
        chunks(stockMovement, moves.length, batching, win, (i) => {
          const r = moves.run[i] as number;
          const day = moveDays[r] as StoreDay;
          return stockMovementRecord(
            stores[day.store] as StoreModel,
            moveTags[r] as string,
            products,
            day,
            moves.index[i] as number,
          );
        }),
      );
      yield* chunks(stockSnapshot, snapshots.day.length, batching, win, (i) => {
        const day = snapshots.days[snapshots.day[i] as number] as StoreDay;
        const sku = snapshots.sku[i] as number;
        return stockSnapshotRecord(
          stores[day.store] as StoreModel,
          products[sku] as ProductModel,
          day,
          snapshots.reorderPoint[i] as number,
        );
      });
    }
    if (!kept) return;
    const context = generatorContext(win, from, to, kept.sales, kept.movements);
    for (const generator of generators) {
      const records = customRecords(generator, context(generator.entity.name), from, to);
      yield* chunks(generator.entity, records.length, batching, win, (i) => records[i]);
    }
  }

  // What custom generators read: built on their first window, not by every new simulation.
  let lists:
    | {
        stores: StoreModel["record"][];
        products: ProductModel["record"][];
        bySku: Map<string, ProductModel>;
      }
    | undefined;
  const referenceLists = () =>
    (lists ??= {
      stores: stores.map((s) => s.record),
      products: products.map((p) => p.record),
      bySku: new Map(products.map((p) => [p.record.sku, p])),
    });

  function generatorContext(
    win: { from: string; to: string },
    from: number,
    to: number,
    sales: unknown[],
    movements: unknown[],
  ): (entity: string) => GeneratorContext {
    const businessDays: StoreBusinessDay[] = [];
    for (const model of stores) {
      const tz = model.record.timezone;
      const lo = Math.max(firstDay, localDayOf(tz, from) - 1);
      const hi = Math.min(lastDay, localDayOf(tz, to - 1));
      for (let d = lo; d <= hi; d++) {
        const bd = businessDay(tz, d);
        if (bd.start >= to || bd.end <= from) continue;
        businessDays.push({
          store_id: model.record.store_id,
          date: bd.date,
          weekday: weekdayOf(d),
          start: new Date(bd.start).toISOString(),
          end: new Date(bd.end).toISOString(),
        });
      }
    }
    const { stores: storeList, products: productList, bySku } = referenceLists();
    return (entity) => ({
      config,
      window: win,
      stores: storeList,
      products: productList,
      sales: sales as GeneratorContext["sales"],
      movements: movements as GeneratorContext["movements"],
      businessDays,
      promotion(sku, date) {
        const model = bySku.get(sku);
        if (!model) return null;
        const promo = promotionOf(config.seed, model.index, weekIndexOf(dayNumber(date)));
        if (!promo) return null;
        return {
          discount: promo.discount,
          shelfPrice: model.record.list_price,
          promotedPrice: fromUnits(model.price - discountCents(1, model.price, promo.discount), 2),
        };
      },
      rng: (...keys) =>
        streamFor(
          config.seed,
          PURPOSE.custom,
          hashString(entity),
          ...keys.map((k) => (typeof k === "number" ? k : hashString(k))),
        ),
    });
  }

  // Lazy, so that `generate()` streams a large customer base instead of building it all first.
  function* referenceBatches(batching: Batching): Generator<ReferenceBatch> {
    yield* chunks(store, stores.length, batching, period, (i) => (stores[i] as StoreModel).record);
    yield* chunks(
      product,
      products.length,
      batching,
      period,
      (i) => (products[i] as ProductModel).record,
    );
    yield* chunks(customer, config.customers, batching, period, (i) => customerAt(config, i));
  }

  function reference(options: BatchOptions = {}): ReferenceBatch[] {
    return [...referenceBatches(batchingOf(options))];
  }

  function tick(from: string, to: string, options: BatchOptions = {}) {
    const batching = batchingOf(options);
    const w = parseTickWindow(from, to);
    return window(w.from, w.to, batching);
  }

  function* generate(options: BatchOptions = {}): Generator<Batch | SimulationColumnBatch> {
    const batching = batchingOf(options);
    // Reference data belongs to no store: of n shards, the first writes it.
    if (!config.shard || config.shard.index === 1) yield* referenceBatches(batching);
    const start = Math.floor(periodStart / HOUR) * HOUR;
    for (let t = start; t < periodEnd; t += HOUR) yield* window(t, t + HOUR, batching);
  }

  return {
    config,
    period,
    reference,
    // The overloads only narrow what a caller that does not ask for columns gets.
    tick: tick as RetailSimulation["tick"],
    generate: generate as RetailSimulation["generate"],
    checkpoint(at, options = {}) {
      const t = parseInstant("at", at);
      const values = options.columns === "values";
      return {
        kind: "retail-mds/simulation-checkpoint",
        model: SIMULATION_MODEL_VERSION,
        format: values ? CHECKPOINT_BYTES_FORMAT : CHECKPOINT_FORMAT,
        fingerprint,
        at: new Date(t).toISOString(),
        stores: simulated.map((model) => encodeStoreState(positionAt(model, t), values)),
      };
    },
    checkpointDays(at) {
      const t = parseInstant("at", at);
      return simulated.map((model) => dateOf(firstDayRead(model, t)));
    },
    resume(input) {
      const checkpoint = parseSimulationCheckpoint(input);
      if (checkpoint.fingerprint !== fingerprint) {
        throw new SimulationCheckpointError(
          `checkpoint ${checkpoint.fingerprint} was taken from another simulation config or model (this one is ${fingerprint})`,
        );
      }
      if (checkpoint.stores.length !== simulated.length) {
        throw new SimulationCheckpointError(
          `checkpoint holds ${checkpoint.stores.length} stores; the simulation has ${simulated.length}`,
        );
      }
      const at = Date.parse(checkpoint.at);
      const states = checkpoint.stores.map((encoded, i) => {
        const storeId = (simulated[i] as StoreModel).record.store_id;
        const state = decodeStoreState(encoded, products.length, at, storeId, `stores.${i}`);
        if (state.day < firstDay || state.day > lastDay) {
          throw new SimulationCheckpointError(
            `checkpoint day ${encoded.day} is outside the simulated days ${config.from}..${dateOf(lastDay)}`,
          );
        }
        return state;
      });
      simulated.forEach((model, index) => {
        const cursor = cursors[model.index] as Cursor;
        const state = states[index] as StoreState;
        cursor.results.clear();
        if (state.within) {
          cursor.within = state;
          return;
        }
        cursor.checkpoints.set(state.day, state);
        if (!cursor.state || cursor.state.day < state.day) cursor.state = state;
      });
    },
  };
}

function keepCheckpoint(cursor: Cursor, state: StoreState): void {
  cursor.checkpoints.set(state.day, state);
  if (cursor.checkpoints.size <= MAX_CHECKPOINTS) return;
  const days = [...cursor.checkpoints.keys()].sort((a, b) => a - b);
  // Keep the opening (days[0]) and the newest; drop every other one in between.
  for (let i = days.length - 2; i >= 1; i -= 2) cursor.checkpoints.delete(days[i] as number);
}

/** The events of one store-day inside a window: `events[start..end)`, sorted by time. */
interface Run {
  readonly day: StoreDay;
  readonly events: EventBuffer;
  readonly start: number;
  readonly end: number;
}

function pushRun(runs: Run[], day: StoreDay, events: EventBuffer, from: number, to: number) {
  const start = firstAtOrAfter(events, from);
  const end = firstAtOrAfter(events, to);
  if (end > start) runs.push({ day, events, start, end });
}

function firstAtOrAfter(events: EventBuffer, t: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events.t(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Merges per-store-day runs (each already in time order) into one order by (time, store), as two
 * index arrays: no per-event allocation and no comparison sort. The run heads sit in a binary
 * heap keyed by (time, store, run), so each event costs log(runs) comparisons, not one per run.
 */
function mergeRuns(runs: readonly Run[]): { length: number; run: Int32Array; index: Int32Array } {
  let length = 0;
  for (const r of runs) length += r.end - r.start;
  const run = new Int32Array(length);
  const index = new Int32Array(length);
  const heads = Int32Array.from(runs, (r) => r.start);
  const headTime = new Float64Array(runs.length);
  const heap = new Int32Array(runs.length);
  let size = 0;
  const before = (a: number, b: number): boolean => {
    const ta = headTime[a] as number;
    const tb = headTime[b] as number;
    if (ta !== tb) return ta < tb;
    const sa = (runs[a] as Run).day.store;
    const sb = (runs[b] as Run).day.store;
    return sa !== sb ? sa < sb : a < b;
  };
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      const child =
        right < size && before(heap[right] as number, heap[left] as number) ? right : left;
      if (!before(heap[child] as number, heap[i] as number)) return;
      const swap = heap[i] as number;
      heap[i] = heap[child] as number;
      heap[child] = swap;
      i = child;
    }
  };
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k] as Run;
    if (r.start >= r.end) continue;
    headTime[k] = r.events.t(r.start);
    heap[size++] = k;
  }
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let n = 0; n < length; n++) {
    const best = heap[0] as number;
    const r = runs[best] as Run;
    const h = heads[best] as number;
    run[n] = best;
    index[n] = h;
    heads[best] = h + 1;
    if (h + 1 < r.end) headTime[best] = r.events.t(h + 1);
    else heap[0] = heap[--size] as number;
    siftDown(0);
  }
  return { length, run, index };
}

// Passes batches through, keeping their records when asked (for the custom generators).
function* keep<B extends Batch | ColumnBatch>(
  into: unknown[] | undefined,
  batches: Iterable<B>,
): Generator<B> {
  for (const batch of batches) {
    if (into) {
      const records = isColumnBatch(batch) ? columnBatchRecords(batch) : batch.records;
      for (const r of records) into.push(r);
    }
    yield batch;
  }
}

// A generator's records for one window: each inside the window, in key order, so the output
// does not depend on the order the generator produced them in.
function customRecords(
  generator: EntityGenerator,
  ctx: GeneratorContext,
  from: number,
  to: number,
): unknown[] {
  const { entity } = generator;
  const eventTime = entity.eventTime as string;
  const records = [...generator.generate(ctx)] as Record<string, unknown>[];
  for (const record of records) {
    const at = String(record[eventTime]);
    const t = Date.parse(at);
    if (!(t >= from && t < to)) throw new GeneratorWindowError(entity.name, at, ctx.window);
  }
  const keyed = records.map((r) => [entity.keyOf(r), r] as const);
  keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return keyed.map(([, r]) => r);
}

/** How a call cuts and checks its batches: its `BatchOptions`, checked once. */
interface Batching {
  readonly size: number;
  readonly validate: boolean;
  readonly columnar: boolean;
}

function batchingOf(options: BatchOptions): Batching {
  const size = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`batchSize must be a whole number >= 1; got ${size}`);
  }
  return { size, validate: options.validate ?? true, columnar: options.columnar === true };
}

function* chunks<E extends Entity>(
  entity: E,
  count: number,
  { size, validate }: Batching,
  window: { from: string; to: string },
  build: (i: number) => unknown,
): Generator<Batch<E>> {
  for (let start = 0; start < count; start += size) {
    const end = Math.min(count, start + size);
    const records: unknown[] = new Array(end - start);
    for (let i = start; i < end; i++) records[i - start] = build(i);
    if (validate) validateRecords(entity, records);
    yield { entity, records, window } as Batch<E>;
  }
}

// As `chunks`, for a batch whose columns `build(start, end)` makes.
function* columnChunks<E extends Entity>(
  entity: E,
  count: number,
  { size, validate }: Batching,
  window: { from: string; to: string },
  build: (start: number, end: number) => ColumnValues[],
): Generator<ColumnBatch<E>> {
  for (let start = 0; start < count; start += size) {
    const end = Math.min(count, start + size);
    const batch: ColumnBatch<E> = {
      entity,
      window,
      length: end - start,
      columns: build(start, end),
    };
    if (validate) validateRecords(entity, columnBatchRecords(batch));
    yield batch;
  }
}

function storeContext(
  config: SimulationConfig,
  model: StoreModel,
  products: readonly ProductModel[],
  firstDay: number,
  promotions: Map<number, Int32Array>,
): StoreContext {
  const drawn = unitHash3Below(
    config.seed,
    PURPOSE.assortment,
    model.index,
    products.length,
    model.profile.assortment,
  );
  const carried = drawn.length === 0 ? Int32Array.of(0) : drawn;
  let policies: ReorderPolicy[] | undefined;
  return {
    seed: config.seed,
    model,
    stores: config.stores,
    customers: config.customers,
    traffic: config.traffic,
    products,
    carried,
    // Read only when a day opens its first stock or closes: a resumed instance whose window
    // closes no day never builds them.
    get policies() {
      policies ??= reorderPolicies(config, model, products, carried);
      return policies;
    },
    firstDay,
    weeks: new Map(),
    promotions,
  };
}

function reorderPolicies(
  config: SimulationConfig,
  model: StoreModel,
  products: readonly ProductModel[],
  carried: Int32Array,
): ReorderPolicy[] {
  let popularity = 0;
  for (const p of carried) popularity += (products[p] as ProductModel).popularity;
  // Expected units a day: tickets x lines x ~1.5 units a line, shared by popularity.
  const unitsPerDay =
    averageTickets(model.profile, model.size, config.traffic) * model.profile.lines * 1.5;
  const policies = new Array<ReorderPolicy>(products.length);
  for (const p of carried) {
    const pm = products[p] as ProductModel;
    policies[p] = reorderPolicy(pm, model.profile, (unitsPerDay * pm.popularity) / popularity);
  }
  return policies;
}
