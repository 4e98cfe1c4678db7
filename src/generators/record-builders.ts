import type { SaleLine, StockMovement, StockSnapshot } from "../entities/index.js";
import { compactDate } from "./calendar.js";
import { customerIdOf } from "./customer-generator.js";
import { type EventBuffer, MOVE, MOVEMENT_TYPES, SALE } from "./event-buffer.js";
import type { ProductModel } from "./product-generator.js";
import type { StoreDay } from "./store-day.js";
import type { StoreModel } from "./store-generator.js";

/**
 * Turns the simulation's compact events into entity records. Kept apart from the simulation so
 * records are only built for what a window emits, not for the days replayed to reach it.
 */

/** Canonical decimal(…,2) text of a whole number of cents, without going through BigInt. */
export function centsText(cents: number): string {
  const negative = cents < 0;
  const digits = String(negative ? -cents : cents).padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** VAT included in a VAT-inclusive amount, rounded half away from zero to the cent. */
export function vatCents(net: number, vatBp: number): number {
  const n = Math.abs(net) * vatBp;
  const d = 10_000 + vatBp;
  const q = Math.floor((2 * n + d) / (2 * d));
  return net < 0 ? -q : q;
}

const CUSTOMER_IDS = new Map<number, string>();
/** `customerIdOf(index)`, memoised: a loyal customer buys many lines, often in one window. */
export function customerIdAt(index: number): string {
  let id = CUSTOMER_IDS.get(index);
  if (id === undefined) {
    id = customerIdOf(index);
    if (CUSTOMER_IDS.size > 200_000) CUSTOMER_IDS.clear();
    CUSTOMER_IDS.set(index, id);
  }
  return id;
}

/** The prefix of ticket and movement numbers of a store-day: `S001-20261101`. */
export function storeDayTag(store: StoreModel, day: StoreDay): string {
  return `${store.record.store_id}-${compactDate(day.business.day)}`;
}

// Zero-padded numbers below this are made once each: a ticket or movement number is then its
// store-day's prefix and one of them, one string join a row instead of the four of a template
// with `padStart` (ids are most of what a run allocates, and so of its garbage collection).
const CACHED_NUMBERS = 100_000;
const SIX_DIGITS: (string | undefined)[] = new Array(CACHED_NUMBERS).fill(undefined);

/** `String(n).padStart(6, "0")`. */
export function sixDigits(n: number): string {
  if (!((n | 0) === n && n >= 0 && n < CACHED_NUMBERS)) return String(n).padStart(6, "0");
  let text = SIX_DIGITS[n];
  if (text === undefined) {
    text = String(n).padStart(6, "0");
    SIX_DIGITS[n] = text;
  }
  return text;
}

/** What a store-day's ticket numbers start with: `T-S001-20261101-`. */
export function ticketPrefix(tag: string): string {
  return `T-${tag}-`;
}

/** What a store-day's movement numbers start with: `M-S001-20261101-`. */
export function movementPrefix(tag: string): string {
  return `M-${tag}-`;
}

// Lines of a ticket and their movements share an instant and a ticket number: one-entry memos
// save building the same strings again for every line.
let lastTag = "";
let lastTicket = -1;
let lastTransaction = "";
/** Ticket number of a store-day: `T-S001-20261101-000042`. */
export function transactionId(tag: string, ticket: number): string {
  if (ticket !== lastTicket || tag !== lastTag) {
    lastTag = tag;
    lastTicket = ticket;
    lastTransaction = ticketPrefix(tag) + sixDigits(ticket);
  }
  return lastTransaction;
}

/**
 * Ticket numbers of a batch's runs (store-days `tags[run]`), as `(run, ticket) => id`: each
 * run's prefix built once, and a ticket's lines and movements, which come one after another,
 * share one string.
 */
export function transactionIdsOf(tags: readonly string[]): (run: number, ticket: number) => string {
  const prefixes = tags.map(ticketPrefix);
  let lastRun = -1;
  let lastTicketOfRun = -1;
  let last = "";
  return (run, ticket) => {
    if (ticket !== lastTicketOfRun || run !== lastRun) {
      lastRun = run;
      lastTicketOfRun = ticket;
      last = (prefixes[run] as string) + sixDigits(ticket);
    }
    return last;
  };
}

let lastInstant = Number.NaN;
let lastIso = "";
/** `toISOString()` of an epoch-ms instant. */
export function isoInstant(t: number): string {
  if (t !== lastInstant) {
    lastInstant = t;
    lastIso = new Date(t).toISOString();
  }
  return lastIso;
}

/** The sale line record of event `i` of a store-day. */
export function saleLineRecord(
  store: StoreModel,
  tag: string,
  products: readonly ProductModel[],
  sales: EventBuffer,
  i: number,
): SaleLine {
  const product = products[sales.get(i, SALE.sku)] as ProductModel;
  const quantity = sales.get(i, SALE.quantity);
  const discount = sales.get(i, SALE.discount);
  const customer = sales.get(i, SALE.customer);
  const net = quantity * sales.get(i, SALE.price) - discount;
  const payment = store.profile.payments[sales.get(i, SALE.payment)] as readonly [string, number];
  return {
    transaction_id: transactionId(tag, sales.get(i, SALE.ticket)),
    line_no: sales.get(i, SALE.line),
    sold_at: isoInstant(sales.t(i)),
    store_id: store.record.store_id,
    sku: product.sku,
    customer_id: customer < 0 ? null : customerIdAt(customer),
    quantity,
    unit_price: product.listPrice,
    discount_amount: centsText(discount),
    net_amount: centsText(net),
    vat_amount: centsText(vatCents(net, product.vat)),
    payment_method: payment[0] as SaleLine["payment_method"],
    channel: store.profile.channel,
    currency: "EUR",
  };
}

/** The stock movement record of event `i` of a store-day. */
export function stockMovementRecord(
  store: StoreModel,
  tag: string,
  products: readonly ProductModel[],
  day: StoreDay,
  i: number,
): StockMovement {
  const moves = day.movements;
  const type = MOVEMENT_TYPES[moves.get(i, MOVE.type)] as StockMovement["movement_type"];
  const note = moves.get(i, MOVE.note);
  return {
    movement_id: movementPrefix(tag) + sixDigits(moves.get(i, MOVE.seq)),
    moved_at: isoInstant(moves.t(i)),
    store_id: store.record.store_id,
    sku: (products[moves.get(i, MOVE.sku)] as ProductModel).sku,
    movement_type: type,
    quantity: moves.get(i, MOVE.quantity),
    reference:
      type === "sale" || type === "return"
        ? transactionId(tag, moves.get(i, MOVE.ticket))
        : note < 0
          ? null
          : (day.notes[note] as string),
  };
}

export function stockSnapshotRecord(
  store: StoreModel,
  product: ProductModel,
  day: StoreDay,
  reorderPoint: number,
): StockSnapshot {
  return {
    snapshot_date: day.business.date,
    store_id: store.record.store_id,
    sku: product.sku,
    on_hand: day.onHand[product.index] as number,
    on_order: day.onOrder[product.index] as number,
    reorder_point: reorderPoint,
  };
}
