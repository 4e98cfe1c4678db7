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
import { EventBuffer, MOVE, SALE } from "./event-buffer.js";
import { PURPOSE, streamFor, unitHash } from "./prng.js";
import type { ProductModel } from "./product-generator.js";
import { discountCents, promotionOf } from "./promotions.js";
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

/** Everything that happened in one store on one business day. */
export interface StoreDay {
  readonly store: number;
  readonly business: BusinessDay;
  /** Sale lines in time order (fields: `SALE`). */
  readonly sales: EventBuffer;
  /** Movements in time order (fields: `MOVE`); `seq` is the rank in the day. */
  readonly movements: EventBuffer;
  /** Purchase orders and notes the movements refer to. */
  readonly notes: readonly string[];
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
  /** Per promotion week: pick weights and discounts, built on first use. */
  readonly weeks: Map<number, WeekPlan>;
}

const OPENING_NOTE = "opening-balance";
/** The largest quantity of one stock movement (`stock_movement.quantity` is within +-100,000). */
const MAX_MOVEMENT_UNITS = 100_000;
/** Promotion-week plans kept per store. */
const WEEKS_KEPT = 3;
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
  const movements = new EventBuffer(MOVE.stride, 64);
  const sales = new EventBuffer(SALE.stride, 64);
  const notes: string[] = [];
  const noteIndex = new Map<string, number>();
  const noteOf = (note: string) => {
    let i = noteIndex.get(note);
    if (i === undefined) {
      i = notes.push(note) - 1;
      noteIndex.set(note, i);
    }
    return i;
  };
  const move = (
    t: number,
    sku: number,
    type: number,
    quantity: number,
    ticket: number,
    note: number,
  ) => {
    // A quantity past what one movement may carry (a tiny assortment takes a whole store's
    // demand) is booked as several movements at the same instant, as pallets are received.
    for (let left = quantity; left !== 0; ) {
      const part = Math.sign(left) * Math.min(Math.abs(left), MAX_MOVEMENT_UNITS);
      const i = movements.add(t);
      movements.set(i, MOVE.seq, i + 1);
      movements.set(i, MOVE.sku, sku);
      movements.set(i, MOVE.type, type);
      movements.set(i, MOVE.quantity, part);
      movements.set(i, MOVE.ticket, ticket);
      movements.set(i, MOVE.note, note);
      left -= part;
    }
  };
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
        move(business.start, p, 3, q, 0, noteOf(OPENING_NOTE));
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
  // Room for the expected lines, plus the opening balance and scheduled movements.
  const expectedLines = Math.ceil(ticketCount * profile.lines * 1.1) + 16;
  sales.reserve(expectedLines);
  movements.reserve(movements.length + expectedLines + scheduled.length);
  const times = new Float64Array(ticketCount);
  if (hours) {
    const cdf = arrivalCdf(profile, hours);
    for (let i = 0; i < ticketCount; i++)
      times[i] = toUtc(arrivalTime(cdf, hours, rng.float(), rng.float()));
    times.sort();
  }
  const week = weekIndexOf(day);
  const { cdf: pick, discounts: promos } = weekPlan(ctx, week);
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
        const promo = promos[sku] as number;
        if (promo > 0) discount = discountCents(quantity, product.price, promo);
      }
      if (line === 0) ticketNo++;
      line++;
      onHand[sku] = (onHand[sku] as number) - quantity;
      const e = sales.add(t);
      sales.set(e, SALE.ticket, ticketNo);
      sales.set(e, SALE.line, line);
      sales.set(e, SALE.sku, sku);
      sales.set(e, SALE.quantity, quantity);
      sales.set(e, SALE.price, product.price);
      sales.set(e, SALE.discount, discount);
      sales.set(e, SALE.customer, customer);
      sales.set(e, SALE.payment, payment);
      move(t, sku, isReturn ? 2 : 1, -quantity, ticketNo, -1);
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

  // Movements were booked in time order (opening, then deliveries and shrinkage interleaved
  // with tickets), so their index is already their rank in the day.
  sales.trim();
  movements.trim();
  return {
    store: model.index,
    business,
    sales,
    movements,
    notes,
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
    move(m.t, m.sku, quantity > 0 ? 0 : 3, quantity, 0, noteOf(m.note));
  }
}

interface Scheduled {
  readonly t: number;
  readonly sku: number;
  readonly quantity: number;
  readonly note: string;
}

/**
 * A week's pick weights over the carried SKUs (popularity x promotion uplift, cumulative) and
 * the promotion discount of every product that week (0 for none).
 */
function weekPlan(ctx: StoreContext, week: number): WeekPlan {
  let plan = ctx.weeks.get(week);
  if (plan) return plan;
  const cdf = new Float64Array(ctx.carried.length);
  const discounts = new Int32Array(ctx.products.length);
  let total = 0;
  for (let i = 0; i < ctx.carried.length; i++) {
    const p = ctx.carried[i] as number;
    const promo = promotionOf(ctx.seed, p, week);
    if (promo) discounts[p] = promo.discount;
    total += (ctx.products[p] as ProductModel).popularity * (promo ? promo.uplift : 1);
    cdf[i] = total;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] as number) / total;
  // A window spans at most two business days, so two weeks at most are in use: each plan holds
  // arrays over the assortment, per store, so more would be memory for nothing.
  if (ctx.weeks.size >= WEEKS_KEPT) ctx.weeks.delete(ctx.weeks.keys().next().value as number);
  plan = { cdf, discounts };
  ctx.weeks.set(week, plan);
  return plan;
}

/** What a store sells in a promotion week. */
export interface WeekPlan {
  readonly cdf: Float64Array;
  readonly discounts: Int32Array;
}
