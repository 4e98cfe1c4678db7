import type {
  Entity,
  Product,
  RecordOf,
  SaleLine,
  StockMovement,
  Store,
  TimeWindow,
} from "../entities/index.js";
import type { Rng } from "./prng.js";
import type { SimulationConfig } from "./simulation-config.js";

/** A business day of one store: local midnight to local midnight, as UTC instants. */
export interface StoreBusinessDay {
  readonly store_id: string;
  /** The local date, `2026-11-02`. */
  readonly date: string;
  /** Day of the week, 0 = Monday ... 6 = Sunday. */
  readonly weekday: number;
  readonly start: string;
  readonly end: string;
}

/** The chain-wide weekly promotion on a SKU, as the simulation prices it. */
export interface SimulatedPromotion {
  /** Discount in basis points of the shelf price: 2500 = 25% off. */
  readonly discount: number;
  /** Regular shelf price, including VAT: the product's `list_price`. */
  readonly shelfPrice: string;
  /** Price of one unit while the promotion runs, including VAT. */
  readonly promotedPrice: string;
}

/** What a custom generator is given for one window of the simulation. */
export interface GeneratorContext {
  readonly config: SimulationConfig;
  /** The window `[from, to)`: every record returned must have its event time in it. */
  readonly window: TimeWindow;
  /** The reference data of the whole run. */
  readonly stores: readonly Store[];
  readonly products: readonly Product[];
  /** The window's sale lines, in the order the simulation yields them. */
  readonly sales: readonly SaleLine[];
  /** The window's stock movements; `receipt`s are the replenishments arriving. */
  readonly movements: readonly StockMovement[];
  /** Every store's business days overlapping the window. */
  readonly businessDays: readonly StoreBusinessDay[];
  /** The promotion on `sku` in the week of local date `date` (weeks start on Monday), or null. */
  promotion(sku: string, date: string): SimulatedPromotion | null;
  /**
   * A deterministic stream keyed by what the draw is about (`rng(storeId, sku, date)`), never by
   * call order: the same keys give the same draws in any window split and any process.
   */
  rng(...keys: readonly (string | number)[]): Rng;
}

/** A generator of one custom entity, run by the simulation for every window. */
export interface EntityGenerator<E extends Entity = Entity> {
  readonly entity: E;
  readonly generate: (ctx: GeneratorContext) => Iterable<RecordOf<E>>;
}

/**
 * Defines how the simulation generates records of your own entity. The function is called once
 * per window (`tick`, and each hourly window of `generate`) with the window's events and must
 * return the records whose event time falls in the window, derived only from the context (draw
 * randomness from `ctx.rng(...)` keyed by the record): then seed, batch size and window splits
 * change nothing, as for the built-in entities. Records are validated against the entity and
 * sorted by key; one outside the window is an error.
 * @example
 * export const priceChanges = defineGenerator(priceChange, function* (ctx) {
 *   for (const day of ctx.businessDays) {
 *     if (day.weekday !== 0 || day.start < ctx.window.from || day.start >= ctx.window.to) continue;
 *     for (const p of ctx.products) {
 *       const promo = ctx.promotion(p.sku, day.date);
 *       if (promo) yield { sku: p.sku, store_id: day.store_id, changed_at: day.start,
 *         old_price: promo.shelfPrice, new_price: promo.promotedPrice, reason: "promotion_start" };
 *     }
 *   }
 * });
 */
export function defineGenerator<E extends Entity>(
  entity: E,
  generate: (ctx: GeneratorContext) => Iterable<RecordOf<E>>,
): EntityGenerator<E> {
  if (!entity.eventTime) {
    throw new TypeError(
      `defineGenerator: entity "${entity.name}" has no eventTime; the simulation generates records by window of event time`,
    );
  }
  if (typeof generate !== "function") {
    throw new TypeError(`defineGenerator: the generator of "${entity.name}" must be a function`);
  }
  return Object.freeze({ entity, generate });
}

/** A generator returned a record outside its window: it would be lost or doubled by other splits. */
export class GeneratorWindowError extends Error {
  override readonly name = "GeneratorWindowError";
  constructor(
    readonly entity: string,
    readonly eventTime: string,
    readonly window: TimeWindow,
  ) {
    super(
      `the generator of ${entity} returned a record at ${eventTime}, outside its window [${window.from}, ${window.to}): return only the window's records`,
    );
  }
}
