import {
  basketSize,
  customerOf,
  lineQuantity,
  paymentOf,
  RETURN_RATE,
  returnQuantity,
} from "./baskets.js";
import { type BusinessDay, businessDay, compactDate, offsetAt, weekIndexOf } from "./calendar.js";
import {
  arrivalCdf,
  arrivalTime,
  cdfGuide,
  expectedTickets,
  openingHours,
  searchGuided,
} from "./demand.js";
import { EventBuffer, MOVE, SALE } from "./event-buffer.js";
import { PURPOSE, Rng, streamFor, unitHash3 } from "./prng.js";
import type { ProductModel } from "./product-generator.js";
import { discountCents, weekDiscounts } from "./promotions.js";
import { orderQuantity, type ReorderPolicy, SHORT_DELIVERY_RATE } from "./replenishment.js";
import type { StoreModel } from "./store-generator.js";

/**
 * Supplier orders in transit, as columns: a store has thousands open at once, carried from day
 * to day and in every checkpoint (as objects they were most of a resume's allocations).
 */
export interface OpenOrders {
  readonly sku: Int32Array;
  readonly quantity: Int32Array;
  /** Day number each is received on. */
  readonly arrival: Int32Array;
  /** Day number each was placed on (at that day's close), and its rank among that day's. */
  readonly ordered: Int32Array;
  readonly rank: Int32Array;
}

export const NO_ORDERS: OpenOrders = {
  sku: new Int32Array(0),
  quantity: new Int32Array(0),
  arrival: new Int32Array(0),
  ordered: new Int32Array(0),
  rank: new Int32Array(0),
};

/** The purchase order number of an order: `PO-S001-20261101-0007` (the 7th of that close). */
export function purchaseOrderOf(storeId: string, ordered: number, rank: number): string {
  return `PO-${storeId}-${compactDate(ordered)}-${String(rank).padStart(4, "0")}`;
}

/**
 * Where a store-day stood at an instant inside it: with the stock on hand then (`StoreState`),
 * all a fresh process needs to go on with the day from that instant instead of its opening.
 */
export interface DayPosition {
  /** Events before this instant (epoch ms) are booked; none at or after it. */
  readonly at: number;
  /** The store-day's random stream after them (`Rng.position()`). */
  readonly rng: readonly [number, number, number, number];
  /**
   * The rest of the day's plan, drawn at its opening: arrival times (ms after `at`, in order) of
   * the tickets not served yet, and the scheduled movements (deliveries, shrinkage) not applied
   * yet. Carried rather than drawn again, which would cost the whole day's draws and sorts; as
   * offsets, so that a resumed run reads them in place from a checkpoint's bytes.
   */
  readonly times: Int32Array;
  readonly scheduled: readonly Scheduled[];
  /** The last ticket number given (a ticket whose lines all met stock-outs gets none). */
  readonly ticketNo: number;
  /** Movements booked so far: the next one's rank in the day is this + 1. */
  readonly movements: number;
  // No notes: a movement's note is an index into its run's own list, which only names text
  // (purchase orders, reasons), so a run resumed with none books the same records. Carried,
  // the morning's purchase order numbers were a sixth of a checkpoint and most of reading it.
}

/** A store's stock position at the start of a business day, or at an instant inside it. */
export interface StoreState {
  /** Day number this is a position of. */
  readonly day: number;
  /** Units on hand per product index (0 for products the store does not carry). */
  readonly onHand: Int32Array;
  /** Orders open at the day's opening (those arriving that day included). */
  readonly open: OpenOrders;
  /** Set when the position is inside the day (`onHand` is then the stock at `within.at`). */
  readonly within?: DayPosition;
}

/** Everything that happened in one store on one business day (up to `at` while it runs). */
export interface StoreDay {
  readonly store: number;
  readonly business: BusinessDay;
  /** Sale lines in time order (fields: `SALE`). */
  readonly sales: EventBuffer;
  /** Movements in time order (fields: `MOVE`); `seq` is the rank in the day. */
  readonly movements: EventBuffer;
  /** Purchase orders and notes the movements refer to. */
  readonly notes: readonly string[];
  /** Position at close, per product index (once closed). */
  readonly onHand: Int32Array;
  readonly onOrder: Int32Array;
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
  /**
   * Per promotion week, the discount of every product (0 for none): promotions are chain-wide,
   * so one map serves every store of a simulation.
   */
  readonly promotions: Map<number, Int32Array>;
}

const OPENING_NOTE = "opening-balance";
/** The largest quantity of one stock movement (`stock_movement.quantity` is within +-100,000). */
const MAX_MOVEMENT_UNITS = 100_000;
/** Promotion-week plans kept per store. */
const WEEKS_KEPT = 3;
const SHRINK_NOTE = "shrinkage";
const HOUR_MS = 3_600_000;

/** Opening stock of the first day: between the reorder point and the order-up-to level. */
export function openingState(ctx: StoreContext): StoreState {
  const onHand = new Int32Array(ctx.products.length);
  for (const p of ctx.carried) {
    const policy = ctx.policies[p] as ReorderPolicy;
    const u = unitHash3(ctx.seed, PURPOSE.opening, ctx.model.index, p);
    // A few SKUs open empty: a supplier problem the chain starts the period with.
    onHand[p] =
      u < 0.02
        ? 0
        : policy.reorderPoint + Math.floor(u * (policy.orderUpTo - policy.reorderPoint + 1));
  }
  return { day: ctx.firstDay, onHand, open: NO_ORDERS };
}

/**
 * One business day of one store, simulated from a position (its opening, or an instant inside
 * it) as far as asked: receipts, tickets in time order against the stock actually there,
 * shrinkage, then the close (snapshot and orders). Deterministic in (seed, store, day, state),
 * and the same events whatever instants it is advanced to on the way, so a window costs the
 * events up to its end, and a process resumed inside a day costs only what follows.
 */
export class StoreDayRun implements StoreDay {
  readonly store: number;
  readonly business: BusinessDay;
  readonly sales = new EventBuffer(SALE.stride, 64);
  readonly movements = new EventBuffer(MOVE.stride, 64);
  readonly notes: string[] = [];
  /** Stock on hand at `at` (at the close once closed). */
  readonly onHand: Int32Array;
  onOrder: Int32Array = new Int32Array(0);
  /** The next day's opening position, once closed. */
  next: StoreState | undefined;
  /** The buffers hold every event of the day at or after this instant. */
  readonly since: number;
  /** Events before this instant are booked. */
  at: number;

  private readonly ctx: StoreContext;
  private readonly day: number;
  private readonly open: OpenOrders;
  private readonly scheduled: readonly Scheduled[];
  /** Ticket arrival times, as ms after `timeBase` (the day's start, or a resumed position's). */
  private readonly times: Int32Array;
  private readonly timeBase: number;
  private readonly pick: Float64Array;
  private readonly guide: Int32Array;
  private readonly promos: Int32Array;
  private readonly noteIndex = new Map<string, number>();
  private rng: Rng;
  private tickets = 0;
  private ticketNo = 0;
  private nextScheduled = 0;
  // Movements booked before the buffer's first, by a process this day was resumed from.
  private movementBase = 0;

  constructor(ctx: StoreContext, state: StoreState) {
    const { model } = ctx;
    const tz = model.record.timezone;
    const day = state.day;
    this.ctx = ctx;
    this.day = day;
    this.store = model.index;
    this.open = state.open;
    const business = businessDay(tz, day);
    this.business = business;
    this.onHand = new Int32Array(state.onHand);
    const within = state.within;
    this.since = within ? within.at : Number.NEGATIVE_INFINITY;
    this.at = this.since;

    const { cdf: pick, guide, discounts: promos } = weekPlan(ctx, weekIndexOf(day));
    this.pick = pick;
    this.guide = guide;
    this.promos = promos;
    if (within) {
      this.rng = Rng.at(within.rng);
      this.times = within.times;
      this.timeBase = within.at;
      this.scheduled = within.scheduled;
      this.ticketNo = within.ticketNo;
      this.movementBase = within.movements;
    } else {
      this.rng = streamFor(ctx.seed, PURPOSE.storeDay, model.index, day);
      const plan = dayPlan(ctx, state, business, this.rng);
      this.times = plan.times;
      this.timeBase = business.start;
      this.scheduled = plan.scheduled;
      if (day === ctx.firstDay) {
        for (const p of ctx.carried) {
          const q = this.onHand[p] as number;
          if (q > 0) this.move(business.start, p, 3, q, 0, this.noteOf(OPENING_NOTE));
        }
      }
    }
  }

  /** Books every event before `until` (epoch ms) not booked yet. */
  advance(until: number): void {
    if (until <= this.at || this.next) return;
    const { ctx, rng, onHand, sales, times, timeBase, scheduled, pick, guide, promos } = this;
    const { profile, index: storeIndex } = ctx.model;
    const carried = ctx.carried;
    // Room for the rest of the day (its tickets' expected lines, its scheduled movements) when
    // asked for an hour or more of it: a replay asks for all of it, a streaming run an hour at a
    // time, a resumed day its first window. The buffers then grow once a day, not by doubling
    // (copying every event booked so far) nearly every hourly window, which was a sixth of a
    // streaming run's CPU. A shorter window (a tick of minutes) grows them by doubling.
    if (until - this.at >= HOUR_MS) {
      const rest = Math.ceil((times.length - this.tickets) * profile.lines * 1.1) + 16;
      sales.reserve(sales.length + rest);
      this.movements.reserve(this.movements.length + rest + scheduled.length - this.nextScheduled);
    }
    let i = this.tickets;
    let ticketNo = this.ticketNo;
    let nextScheduled = this.nextScheduled;
    for (; i < times.length; i++) {
      const t = timeBase + (times[i] as number);
      if (!(t < until)) break;
      while (nextScheduled < scheduled.length && (scheduled[nextScheduled] as Scheduled).t <= t) {
        this.apply(scheduled[nextScheduled++] as Scheduled);
      }
      const size = basketSize(rng, profile);
      const customer = customerOf(rng, profile, storeIndex, ctx.stores, ctx.customers);
      const payment = paymentOf(rng, profile);
      let line = 0;
      for (let l = 0; l < size; l++) {
        const isReturn = rng.chance(RETURN_RATE);
        const sku = carried[searchGuided(pick, guide, rng.float())] as number;
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
        sales.addSale(t, ticketNo, line, sku, quantity, product.price, discount, customer, payment);
        this.move(t, sku, isReturn ? 2 : 1, -quantity, ticketNo, -1);
      }
    }
    // Scheduled movements before `until` with no ticket after them yet: the loop above would
    // apply them before the next ticket, which is at or after `until`, so the order is the same.
    while (nextScheduled < scheduled.length && (scheduled[nextScheduled] as Scheduled).t < until) {
      this.apply(scheduled[nextScheduled++] as Scheduled);
    }
    this.tickets = i;
    this.ticketNo = ticketNo;
    this.nextScheduled = nextScheduled;
    this.at = until;
  }

  /** Books the rest of the day and closes it: orders what fell to its reorder point. */
  finish(): StoreState {
    if (this.next) return this.next;
    this.advance(Number.POSITIVE_INFINITY);
    const { ctx, onHand, open, day } = this;
    const onOrder = new Int32Array(ctx.products.length);
    // The orders still open after today's receipts, then today's, in that order.
    const kept: number[] = [];
    for (let i = 0; i < open.sku.length; i++) {
      if ((open.arrival[i] as number) <= day) continue;
      kept.push(i);
      const sku = open.sku[i] as number;
      onOrder[sku] = (onOrder[sku] as number) + (open.quantity[i] as number);
    }
    const placed: number[] = [];
    for (const p of ctx.carried) {
      const policy = ctx.policies[p] as ReorderPolicy;
      const q = orderQuantity(policy, onHand[p] as number, onOrder[p] as number);
      if (q <= 0) continue;
      placed.push(p, q, day + policy.leadTime);
      onOrder[p] = (onOrder[p] as number) + q;
    }
    const n = kept.length + placed.length / 3;
    const next = {
      sku: new Int32Array(n),
      quantity: new Int32Array(n),
      arrival: new Int32Array(n),
      ordered: new Int32Array(n),
      rank: new Int32Array(n),
    };
    kept.forEach((from, i) => {
      next.sku[i] = open.sku[from] as number;
      next.quantity[i] = open.quantity[from] as number;
      next.arrival[i] = open.arrival[from] as number;
      next.ordered[i] = open.ordered[from] as number;
      next.rank[i] = open.rank[from] as number;
    });
    for (let k = 0, i = kept.length; k < placed.length; k += 3, i++) {
      next.sku[i] = placed[k] as number;
      next.quantity[i] = placed[k + 1] as number;
      next.arrival[i] = placed[k + 2] as number;
      next.ordered[i] = day;
      next.rank[i] = k / 3 + 1;
    }
    // Movements were booked in time order (opening, then deliveries and shrinkage interleaved
    // with tickets), so their index is already their rank in the day.
    this.sales.trim();
    this.movements.trim();
    this.onOrder = onOrder;
    this.next = { day: day + 1, onHand: new Int32Array(onHand), open: next };
    return this.next;
  }

  /** The position at `at`, for a process to go on from (`new StoreDayRun(ctx, position)`). */
  position(): StoreState {
    return {
      day: this.day,
      onHand: new Int32Array(this.onHand),
      open: this.open,
      within: {
        at: this.at,
        rng: this.rng.position(),
        times: this.timesAfter(this.at),
        scheduled: this.scheduled.slice(this.nextScheduled),
        ticketNo: this.ticketNo,
        movements: this.movementBase + this.movements.length,
      },
    };
  }

  // The arrival times of the tickets not served yet, as ms after `at`.
  private timesAfter(at: number): Int32Array {
    const rest = this.times.subarray(this.tickets);
    const shift = this.timeBase - at;
    const times = new Int32Array(rest.length);
    for (let i = 0; i < rest.length; i++) times[i] = (rest[i] as number) + shift;
    return times;
  }

  private noteOf(note: string): number {
    let i = this.noteIndex.get(note);
    if (i === undefined) {
      i = this.notes.push(note) - 1;
      this.noteIndex.set(note, i);
    }
    return i;
  }

  private move(
    t: number,
    sku: number,
    type: number,
    quantity: number,
    ticket: number,
    note: number,
  ) {
    const movements = this.movements;
    // A quantity past what one movement may carry (a tiny assortment takes a whole store's
    // demand) is booked as several movements at the same instant, as pallets are received.
    for (let left = quantity; left !== 0; ) {
      const part = Math.sign(left) * Math.min(Math.abs(left), MAX_MOVEMENT_UNITS);
      const seq = this.movementBase + movements.length + 1;
      movements.addMovement(t, seq, sku, type, part, ticket, note);
      left -= part;
    }
  }

  private apply(m: Scheduled): void {
    const have = this.onHand[m.sku] as number;
    // Shrinkage cannot take more than is there; a receipt always lands whole.
    const quantity = m.quantity < 0 ? -Math.min(have, -m.quantity) : m.quantity;
    if (quantity === 0) return;
    this.onHand[m.sku] = have + quantity;
    this.move(m.t, m.sku, quantity > 0 ? 0 : 3, quantity, 0, this.noteOf(m.note));
  }
}

/**
 * The day's plan, drawn from its stream before any ticket: deliveries between 05:00 and 07:00
 * (some short) and shrinkage (breakage, theft, spoilage) counted around close, to apply in time
 * order between tickets so that stock is never negative at any instant; then the tickets' count
 * (footfall with day noise) and arrival times (the intraday profile), in order.
 */
function dayPlan(
  ctx: StoreContext,
  state: StoreState,
  business: BusinessDay,
  rng: Rng,
): { times: Int32Array; scheduled: Scheduled[] } {
  const { model } = ctx;
  const { profile } = model;
  const tz = model.record.timezone;
  const day = state.day;
  // Wall-clock ms after local midnight -> UTC. DST switches happen before 04:00 local.
  const offMidnight = offsetAt(tz, business.start);
  const offMorning = offsetAt(tz, business.start + 5 * HOUR_MS);
  const toUtc = (ms: number) =>
    ms < 4 * HOUR_MS ? business.start + ms : business.start + ms - (offMorning - offMidnight);
  const hours = openingHours(profile, day);
  const scheduled: Scheduled[] = [];
  const { open } = state;
  for (let i = 0; i < open.sku.length; i++) {
    if ((open.arrival[i] as number) > day) continue;
    const ordered = open.quantity[i] as number;
    const short = rng.chance(SHORT_DELIVERY_RATE);
    const quantity = short ? Math.max(1, Math.floor(ordered * (0.4 + 0.5 * rng.float()))) : ordered;
    scheduled.push({
      t: toUtc(5 * HOUR_MS + rng.int(2 * HOUR_MS)),
      sku: open.sku[i] as number,
      quantity,
      note: purchaseOrderOf(
        model.record.store_id,
        open.ordered[i] as number,
        open.rank[i] as number,
      ),
    });
  }
  const closeMs = ((hours ?? profile.hours)[1] - 0.25) * HOUR_MS;
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
  const expected = expectedTickets(profile, model.size, day, ctx.traffic);
  const ticketCount =
    hours && expected > 0 ? Math.max(0, Math.round(expected * Math.exp(0.08 * rng.normal()))) : 0;
  // As ms after the day's start: whole ms within a day of at most 25 hours.
  const times = new Int32Array(ticketCount);
  if (hours) {
    const cdf = arrivalCdf(profile, hours);
    for (let i = 0; i < ticketCount; i++)
      times[i] = toUtc(arrivalTime(cdf, hours, rng.float(), rng.float())) - business.start;
    times.sort();
  }
  return { times, scheduled };
}

/** A delivery or shrinkage movement of the day's plan. */
export interface Scheduled {
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
  const discounts = chainDiscounts(ctx, week);
  let total = 0;
  for (let i = 0; i < ctx.carried.length; i++) {
    const p = ctx.carried[i] as number;
    // `promotionOf`'s uplift, 1 without a promotion (the same double either way).
    total +=
      (ctx.products[p] as ProductModel).popularity * (1 + (4 * (discounts[p] as number)) / 10_000);
    cdf[i] = total;
  }
  for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] as number) / total;
  // A window spans at most two business days, so two weeks at most are in use: each plan holds
  // arrays over the assortment, per store, so more would be memory for nothing.
  if (ctx.weeks.size >= WEEKS_KEPT) ctx.weeks.delete(ctx.weeks.keys().next().value as number);
  plan = { cdf, guide: cdfGuide(cdf), discounts };
  ctx.weeks.set(week, plan);
  return plan;
}

function chainDiscounts(ctx: StoreContext, week: number): Int32Array {
  let discounts = ctx.promotions.get(week);
  if (discounts) return discounts;
  discounts = weekDiscounts(ctx.seed, week, ctx.products.length);
  // Stores are replayed one after the other, each through every week: a few more weeks than a
  // store keeps spare most of the recomputing (4 bytes a product a week).
  if (ctx.promotions.size >= 2 * WEEKS_KEPT) {
    ctx.promotions.delete(ctx.promotions.keys().next().value as number);
  }
  ctx.promotions.set(week, discounts);
  return discounts;
}

/** What a store sells in a promotion week. */
export interface WeekPlan {
  readonly cdf: Float64Array;
  /** `cdfGuide(cdf)`: where each draw's search starts. */
  readonly guide: Int32Array;
  readonly discounts: Int32Array;
}
