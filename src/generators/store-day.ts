import {
  basketSize,
  customerOf,
  lineQuantity,
  paymentOf,
  RETURN_RATE,
  returnQuantity,
} from "./baskets.js";
import { type BusinessDay, businessDay, offsetAt, weekIndexOf } from "./calendar.js";
import { arrivalCdf, arrivalTime, expectedTickets, openingHours, searchCdf } from "./demand.js";
import { PURPOSE, streamFor, unitHash } from "./prng.js";
import type { ProductModel } from "./product-generator.js";
import { promotionOf } from "./promotions.js";
import { orderQuantity, type ReorderPolicy, SHORT_DELIVERY_RATE } from "./replenishment.js";
import type { StoreModel } from "./store-generator.js";

/** A supplier order in transit. */
export interface OpenOrder {
  readonly sku: number;
  readonly quantity: number;
  /** Day number it is received on. */
  readonly arrival: number;
  readonly po: string;
}

/** A store's stock position at the start of a business day. */
export interface StoreState {
  /** Day number this is the opening position of. */
  readonly day: number;
  /** Units on hand per product index (0 for products the store does not carry). */
  readonly onHand: Int32Array;
  readonly open: readonly OpenOrder[];
}

/** A sale or return line, compact until it is turned into a record. */
export interface SaleEvent {
  readonly t: number;
  readonly ticket: number;
  readonly line: number;
  readonly sku: number;
  readonly quantity: number;
  /** Cents. */
  readonly price: number;
  readonly discount: number;
  readonly customer: number;
  readonly payment: string;
}

export type MovementType = "receipt" | "sale" | "return" | "adjustment";

/** A stock movement; `seq` is its rank in the store-day by time, set once the day is done. */
export interface MovementEvent {
  readonly t: number;
  seq: number;
  readonly sku: number;
  readonly type: MovementType;
  readonly quantity: number;
  /** Ticket number for sales and returns, else a purchase order or note. */
  readonly ticket: number;
  readonly note: string | null;
}

/** Everything that happened in one store on one business day. */
export interface StoreDay {
  readonly store: number;
  readonly business: BusinessDay;
  readonly sales: readonly SaleEvent[];
  readonly movements: readonly MovementEvent[];
  /** Position at close, per product index. */
  readonly onHand: Int32Array;
  readonly onOrder: Int32Array;
  /** Opening position of the next day. */
  readonly next: StoreState;
}

/** What a store needs that does not change from day to day. */
export interface StoreContext {
  readonly seed: number;
  readonly model: StoreModel;
  readonly stores: number;
  readonly customers: number;
  readonly traffic: number;
  readonly products: readonly ProductModel[];
  /** Product indexes the store carries, ascending. */
  readonly carried: Int32Array;
  /** Reorder policy per product index (undefined when not carried). */
  readonly policies: readonly (ReorderPolicy | undefined)[];
  /** First business day (day number): the opening balance is booked on it. */
  readonly firstDay: number;
  /** Per promotion week: the cumulative pick weights over `carried`. */
  readonly pickCdfs: Map<number, Float64Array>;
}

const OPENING_NOTE = "opening-balance";
const SHRINK_NOTE = "shrinkage";

/** Opening stock of the first day: between the reorder point and the order-up-to level. */
export function openingState(ctx: StoreContext): StoreState {
  const onHand = new Int32Array(ctx.products.length);
  for (const p of ctx.carried) {
    const policy = ctx.policies[p] as ReorderPolicy;
    const u = unitHash(ctx.seed, PURPOSE.opening, ctx.model.index, p);
    // A few SKUs open empty: a supplier problem the chain starts the period with.
    onHand[p] =
      u < 0.02
        ? 0
        : policy.reorderPoint + Math.floor(u * (policy.orderUpTo - policy.reorderPoint + 1));
  }
  return { day: ctx.firstDay, onHand, open: [] };
}

/**
 * Simulates one business day of one store from its opening position: receipts, tickets in time
 * order against the stock actually there, shrinkage, then the close (snapshot and orders).
 * Deterministic in (seed, store, day, state).
 */
export function simulateStoreDay(ctx: StoreContext, state: StoreState): StoreDay {
  const { model } = ctx;
  const { profile } = model;
  const day = state.day;
  const business = businessDay(model.record.timezone, day);
  const rng = streamFor(ctx.seed, PURPOSE.storeDay, model.index, day);
  const onHand = new Int32Array(state.onHand);
  const movements: MovementEvent[] = [];
  const sales: SaleEvent[] = [];
  const storeTag = `${model.record.store_id}-${business.date.replace(/-/g, "")}`;

  // Wall-clock ms after local midnight -> UTC. DST switches happen before 04:00 local.
  const offMidnight = offsetAt(model.record.timezone, business.start);
  const offMorning = offsetAt(model.record.timezone, business.start + 5 * 3_600_000);
  const toUtc = (ms: number) =>
    ms < 4 * 3_600_000 ? business.start + ms : business.start + ms - (offMorning - offMidnight);

  if (day === ctx.firstDay) {
    for (const p of ctx.carried) {
      const q = onHand[p] as number;
      if (q > 0) {
        movements.push({
          t: business.start,
          seq: 0,
          sku: p,
          type: "adjustment",
          quantity: q,
          ticket: 0,
          note: OPENING_NOTE,
        });
      }
    }
  }

  // Scheduled movements, applied in time order between tickets so that stock is never
  // negative at any instant: deliveries between 05:00 and 07:00 (some short), and shrinkage
  // (breakage, theft, spoilage) counted around close.
  const hours = openingHours(profile, day);
  const scheduled: Scheduled[] = [];
  const stillOpen: OpenOrder[] = [];
  for (const order of state.open) {
    if (order.arrival > day) {
      stillOpen.push(order);
      continue;
    }
    const short = rng.chance(SHORT_DELIVERY_RATE);
    const quantity = short
      ? Math.max(1, Math.floor(order.quantity * (0.4 + 0.5 * rng.float())))
      : order.quantity;
    scheduled.push({
      t: toUtc(5 * 3_600_000 + rng.int(2 * 3_600_000)),
      sku: order.sku,
      quantity,
      note: order.po,
    });
  }
  const closeMs = ((hours ?? profile.hours)[1] - 0.25) * 3_600_000;
  for (const p of ctx.carried) {
    const perishable = (ctx.products[p] as ProductModel).perishable;
    if (!rng.chance(perishable ? 0.01 : 0.002)) continue;
    scheduled.push({
      t: toUtc(closeMs + rng.int(600_000)),
      sku: p,
      quantity: -rng.between(1, 3),
      note: SHRINK_NOTE,
    });
  }
  scheduled.sort((a, b) => a.t - b.t || a.sku - b.sku);

  // Tickets: count from footfall with day noise, times from the intraday profile, in order.
  const expected = expectedTickets(profile, model.size, day, ctx.traffic);
  const ticketCount =
    hours && expected > 0 ? Math.max(0, Math.round(expected * Math.exp(0.08 * rng.normal()))) : 0;
  const times = new Float64Array(ticketCount);
  if (hours) {
    const cdf = arrivalCdf(profile, hours);
    for (let i = 0; i < ticketCount; i++)
      times[i] = toUtc(arrivalTime(cdf, hours, rng.float(), rng.float()));
    times.sort();
  }
  const week = weekIndexOf(day);
  const pick = pickCdf(ctx, week);
  const carried = ctx.carried;
  let nextScheduled = 0;
  let ticketNo = 0;
  for (let i = 0; i < ticketCount; i++) {
    const t = times[i] as number;
    while (nextScheduled < scheduled.length && (scheduled[nextScheduled] as Scheduled).t <= t) {
      apply(scheduled[nextScheduled++] as Scheduled);
    }
    const size = basketSize(rng, profile);
    const customer = customerOf(rng, profile, model.index, ctx.stores, ctx.customers);
    const payment = paymentOf(rng, profile);
    let line = 0;
    for (let l = 0; l < size; l++) {
      const isReturn = rng.chance(RETURN_RATE);
      const sku = carried[searchCdf(pick, rng.float())] as number;
      const product = ctx.products[sku] as ProductModel;
      let quantity: number;
      let discount = 0;
      if (isReturn) {
        quantity = returnQuantity(rng);
      } else {
        const wanted = lineQuantity(rng, profile);
        const available = onHand[sku] as number;
        if (available <= 0) continue; // stock-out: the sale is lost
        quantity = Math.min(wanted, available);
        const promo = promotionOf(ctx.seed, sku, week);
        if (promo)
          discount = Math.floor((quantity * product.price * promo.discount + 5000) / 10_000);
      }
      if (line === 0) ticketNo++;
      line++;
      onHand[sku] = (onHand[sku] as number) - quantity;
      sales.push({
        t,
        ticket: ticketNo,
        line,
        sku,
        quantity,
        price: product.price,
        discount,
        customer,
        payment,
      });
      movements.push({
        t,
        seq: 0,
        sku,
        type: isReturn ? "return" : "sale",
        quantity: -quantity,
        ticket: ticketNo,
        note: null,
      });
    }
  }
  while (nextScheduled < scheduled.length) apply(scheduled[nextScheduled++] as Scheduled);

  // Close: order what fell to its reorder point.
  const onOrder = new Int32Array(ctx.products.length);
  for (const o of stillOpen) onOrder[o.sku] = (onOrder[o.sku] as number) + o.quantity;
  let poNo = 0;
  for (const p of carried) {
    const policy = ctx.policies[p] as ReorderPolicy;
    const q = orderQuantity(policy, onHand[p] as number, onOrder[p] as number);
    if (q <= 0) continue;
    poNo++;
    stillOpen.push({
      sku: p,
      quantity: q,
      arrival: day + policy.leadTime,
      po: `PO-${storeTag}-${String(poNo).padStart(4, "0")}`,
    });
    onOrder[p] = (onOrder[p] as number) + q;
  }

  movements.sort((a, b) => a.t - b.t);
  for (let i = 0; i < movements.length; i++) (movements[i] as MovementEvent).seq = i + 1;
  return {
    store: model.index,
    business,
    sales,
    movements,
    onHand,
    onOrder,
    next: { day: day + 1, onHand: new Int32Array(onHand), open: stillOpen },
  };

  function apply(m: Scheduled) {
    const have = onHand[m.sku] as number;
    // Shrinkage cannot take more than is there; a receipt always lands whole.
    const quantity = m.quantity < 0 ? -Math.min(have, -m.quantity) : m.quantity;
    if (quantity === 0) return;
    onHand[m.sku] = have + quantity;
    movements.push({
      t: m.t,
      seq: 0,
      sku: m.sku,
      type: quantity > 0 ? "receipt" : "adjustment",
      quantity,
      ticket: 0,
      note: m.note,
    });
  }
}

interface Scheduled {
  readonly t: number;
  readonly sku: number;
  readonly quantity: number;
  readonly note: string;
}

/** Cumulative pick weights over the carried SKUs for a week: popularity x promotion uplift. */
function pickCdf(ctx: StoreContext, week: number): Float64Array {
  let cdf = ctx.pickCdfs.get(week);
  if (cdf) return cdf;
  cdf = new Float64Array(ctx.carried.length);
  let total = 0;
  for (let i = 0; i < ctx.carried.length; i++) {
    const p = ctx.carried[i] as number;
    const promo = promotionOf(ctx.seed, p, week);
    total += (ctx.products[p] as ProductModel).popularity * (promo ? promo.uplift : 1);
    cdf[i] = total;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] as number) / total;
  if (ctx.pickCdfs.size > 8) ctx.pickCdfs.clear();
  ctx.pickCdfs.set(week, cdf);
  return cdf;
}
