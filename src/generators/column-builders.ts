import type { ColumnValues } from "../entities/index.js";
import { saleLine, stockMovement } from "../entities/index.js";
import { type EventBuffer, MOVE, MOVEMENT_TYPES, SALE } from "./event-buffer.js";
import type { ProductModel } from "./product-generator.js";
import {
  customerIdAt,
  movementPrefix,
  sixDigits,
  transactionIdsOf,
  vatCents,
} from "./record-builders.js";
import type { StoreDay } from "./store-day.js";
import type { StoreModel } from "./store-generator.js";

/**
 * Builds the simulation's events as columns (`ColumnBatch`), the columnar twin of
 * record-builders.ts: numbers straight from the event buffers into typed arrays, the few
 * distinct strings (store, SKU, enums) as codes into dictionaries made once per simulation,
 * and only the truly per-row strings (ticket and movement numbers, references, customers) as
 * strings. No object per row, so nothing for the GC to trace between the simulation and the lake.
 */

/** What a simulation's column batches share: dictionaries and per-store codes into them. */
export interface ColumnDictionaries {
  /** Every store's id, by store index (a shard's batches use some of them). */
  readonly storeIds: readonly string[];
  /** Every SKU of the assortment, by product index. */
  readonly skus: readonly string[];
  readonly payments: readonly string[];
  /** Per store index: the code of each payment of its profile (`profile.payments` order). */
  readonly paymentCodes: readonly Int32Array[];
  readonly channels: readonly string[];
  /** Per store index: the code of its channel. */
  readonly channelCodes: Int32Array;
}

const PAYMENTS: readonly string[] = saleLine.schema.shape.payment_method.options;
const CHANNELS: readonly string[] = saleLine.schema.shape.channel.options;
const MOVEMENTS: readonly string[] = stockMovement.schema.shape.movement_type.options;
const CURRENCIES: readonly string[] = ["EUR"];

// `MOVE.type` numbers the movement types in MOVEMENT_TYPES' order: the codes are the numbers
// themselves when that list opens the entity's enum, as it does.
if (MOVEMENT_TYPES.some((type, i) => MOVEMENTS[i] !== type)) {
  throw new Error("MOVEMENT_TYPES must open stock_movement.movement_type's values, in order");
}

/** The dictionaries of a simulation's stores and assortment. */
export function columnDictionaries(
  stores: readonly StoreModel[],
  products: readonly ProductModel[],
): ColumnDictionaries {
  const codeOf = (list: readonly string[], value: string, what: string) => {
    const code = list.indexOf(value);
    if (code < 0) throw new Error(`${what} ${JSON.stringify(value)} is not in ${list.join(", ")}`);
    return code;
  };
  return {
    storeIds: stores.map((s) => s.record.store_id),
    skus: products.map((p) => p.sku),
    payments: PAYMENTS,
    paymentCodes: stores.map((s) =>
      Int32Array.from(s.profile.payments, ([name]) => codeOf(PAYMENTS, name, "payment method")),
    ),
    channels: CHANNELS,
    channelCodes: Int32Array.from(stores, (s) => codeOf(CHANNELS, s.profile.channel, "channel")),
  };
}

/** A window's events of one entity in emission order: `days[run[i]]`'s event `index[i]`. */
export interface MergedEvents {
  readonly run: Int32Array;
  readonly index: Int32Array;
}

const dictionary = (values: readonly string[], codes: Int32Array): ColumnValues => ({
  kind: "dictionary",
  dictionary: values,
  codes,
});

/** The sale_line columns of merged events `[start, end)`. */
export function saleLineColumns(
  dicts: ColumnDictionaries,
  products: readonly ProductModel[],
  days: readonly StoreDay[],
  tags: readonly string[],
  merged: MergedEvents,
  start: number,
  end: number,
): ColumnValues[] {
  const n = end - start;
  const transaction = new Array<string>(n);
  const line = new Int32Array(n);
  const soldAt = new Float64Array(n);
  const store = new Int32Array(n);
  const sku = new Int32Array(n);
  const customer = new Array<string | null>(n);
  const quantity = new Int32Array(n);
  const unitPrice = new Float64Array(n);
  const discount = new Float64Array(n);
  const net = new Float64Array(n);
  const vat = new Float64Array(n);
  const payment = new Int32Array(n);
  const channel = new Int32Array(n);
  const transactionId = transactionIdsOf(tags);
  for (let k = 0; k < n; k++) {
    const r = merged.run[start + k] as number;
    const i = merged.index[start + k] as number;
    const day = days[r] as StoreDay;
    const sales: EventBuffer = day.sales;
    const s = day.store;
    const p = sales.get(i, SALE.sku);
    const q = sales.get(i, SALE.quantity);
    const price = sales.get(i, SALE.price);
    const d = sales.get(i, SALE.discount);
    const who = sales.get(i, SALE.customer);
    const amount = q * price - d;
    transaction[k] = transactionId(r, sales.get(i, SALE.ticket));
    line[k] = sales.get(i, SALE.line);
    soldAt[k] = sales.t(i);
    store[k] = s;
    sku[k] = p;
    customer[k] = who < 0 ? null : customerIdAt(who);
    quantity[k] = q;
    unitPrice[k] = price;
    discount[k] = d;
    net[k] = amount;
    vat[k] = vatCents(amount, (products[p] as ProductModel).vat);
    payment[k] = (dicts.paymentCodes[s] as Int32Array)[sales.get(i, SALE.payment)] as number;
    channel[k] = dicts.channelCodes[s] as number;
  }
  return [
    { kind: "string", values: transaction },
    { kind: "int", values: line },
    { kind: "timestamp", values: soldAt },
    dictionary(dicts.storeIds, store),
    dictionary(dicts.skus, sku),
    { kind: "string", values: customer },
    { kind: "int", values: quantity },
    { kind: "decimal", values: unitPrice },
    { kind: "decimal", values: discount },
    { kind: "decimal", values: net },
    { kind: "decimal", values: vat },
    dictionary(dicts.payments, payment),
    dictionary(dicts.channels, channel),
    dictionary(CURRENCIES, new Int32Array(n)), // code 0: EUR
  ];
}

/** The stock_movement columns of merged events `[start, end)`. */
export function stockMovementColumns(
  dicts: ColumnDictionaries,
  days: readonly StoreDay[],
  tags: readonly string[],
  merged: MergedEvents,
  start: number,
  end: number,
): ColumnValues[] {
  const n = end - start;
  const id = new Array<string>(n);
  const movedAt = new Float64Array(n);
  const store = new Int32Array(n);
  const sku = new Int32Array(n);
  const type = new Int32Array(n);
  const quantity = new Int32Array(n);
  const reference = new Array<string | null>(n);
  const movements = tags.map(movementPrefix); // each run's prefix once a batch
  const transactionId = transactionIdsOf(tags);
  for (let k = 0; k < n; k++) {
    const r = merged.run[start + k] as number;
    const i = merged.index[start + k] as number;
    const day = days[r] as StoreDay;
    const moves = day.movements;
    const kind = moves.get(i, MOVE.type);
    const note = moves.get(i, MOVE.note);
    id[k] = (movements[r] as string) + sixDigits(moves.get(i, MOVE.seq));
    movedAt[k] = moves.t(i);
    store[k] = day.store;
    sku[k] = moves.get(i, MOVE.sku);
    type[k] = kind;
    quantity[k] = moves.get(i, MOVE.quantity);
    // Types 1 and 2 (sale, return) refer to their ticket; the others to a note, if any.
    if (kind === 1 || kind === 2) reference[k] = transactionId(r, moves.get(i, MOVE.ticket));
    else reference[k] = note < 0 ? null : (day.notes[note] as string);
  }
  return [
    { kind: "string", values: id },
    { kind: "timestamp", values: movedAt },
    dictionary(dicts.storeIds, store),
    dictionary(dicts.skus, sku),
    dictionary(MOVEMENTS, type),
    { kind: "int", values: quantity },
    { kind: "string", values: reference },
  ];
}

/** A window's stock snapshots: row i is product `sku[i]` at the close of `days[day[i]]`. */
export interface SnapshotRows {
  readonly days: readonly StoreDay[];
  readonly day: Int32Array;
  readonly sku: Int32Array;
  /** Reorder point of row i's product in its store. */
  readonly reorderPoint: Int32Array;
}

/** The stock_snapshot columns of snapshot rows `[start, end)`. */
export function stockSnapshotColumns(
  dicts: ColumnDictionaries,
  rows: SnapshotRows,
  start: number,
  end: number,
): ColumnValues[] {
  const n = end - start;
  const date = new Int32Array(n);
  const store = new Int32Array(n);
  const onHand = new Int32Array(n);
  const onOrder = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const day = rows.days[rows.day[start + k] as number] as StoreDay;
    const p = rows.sku[start + k] as number;
    date[k] = day.business.day;
    store[k] = day.store;
    onHand[k] = day.onHand[p] as number;
    onOrder[k] = day.onOrder[p] as number;
  }
  return [
    { kind: "date", values: date },
    dictionary(dicts.storeIds, store),
    dictionary(dicts.skus, rows.sku.slice(start, end)),
    { kind: "int", values: onHand },
    { kind: "int", values: onOrder },
    { kind: "int", values: rows.reorderPoint.slice(start, end) },
  ];
}
