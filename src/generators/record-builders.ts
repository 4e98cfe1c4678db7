import type { SaleLine, StockMovement, StockSnapshot } from "../entities/index.js";
import { compactDate } from "./calendar.js";
import type { ProductModel } from "./product-generator.js";
import type { MovementEvent, SaleEvent, StoreDay } from "./store-day.js";
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
function customerId(index: number): string {
  let id = CUSTOMER_IDS.get(index);
  if (id === undefined) {
    id = `C${String(index + 1).padStart(7, "0")}`;
    if (CUSTOMER_IDS.size > 200_000) CUSTOMER_IDS.clear();
    CUSTOMER_IDS.set(index, id);
  }
  return id;
}

/** The prefix of ticket and movement numbers of a store-day: `S001-20261101`. */
export function storeDayTag(store: StoreModel, day: StoreDay): string {
  return `${store.record.store_id}-${compactDate(day.business.day)}`;
}

/** Ticket number of a store-day: `T-S001-20261101-000042`. */
export function transactionId(tag: string, ticket: number): string {
  return `T-${tag}-${String(ticket).padStart(6, "0")}`;
}

export function saleLineRecord(
  store: StoreModel,
  tag: string,
  product: ProductModel,
  e: SaleEvent,
): SaleLine {
  const net = e.quantity * e.price - e.discount;
  return {
    transaction_id: transactionId(tag, e.ticket),
    line_no: e.line,
    sold_at: new Date(e.t).toISOString(),
    store_id: store.record.store_id,
    sku: product.record.sku,
    customer_id: e.customer < 0 ? null : customerId(e.customer),
    quantity: e.quantity,
    unit_price: product.record.list_price,
    discount_amount: centsText(e.discount),
    net_amount: centsText(net),
    vat_amount: centsText(vatCents(net, product.vat)),
    payment_method: e.payment as SaleLine["payment_method"],
    channel: store.profile.channel,
    currency: "EUR",
  };
}

export function stockMovementRecord(
  store: StoreModel,
  tag: string,
  product: ProductModel,
  e: MovementEvent,
): StockMovement {
  return {
    movement_id: `M-${tag}-${String(e.seq).padStart(6, "0")}`,
    moved_at: new Date(e.t).toISOString(),
    store_id: store.record.store_id,
    sku: product.record.sku,
    movement_type: e.type,
    quantity: e.quantity,
    reference: e.type === "sale" || e.type === "return" ? transactionId(tag, e.ticket) : e.note,
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
    sku: product.record.sku,
    on_hand: day.onHand[product.index] as number,
    on_order: day.onOrder[product.index] as number,
    reorder_point: reorderPoint,
  };
}
