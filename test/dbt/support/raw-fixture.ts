// A small deterministic retail dataset written straight into the RAW schema of a DuckDB file,
// shaped exactly like the local pipe's contract: raw.<entity> with the entity's types plus
// _source_file, _source_row, _loaded_at, and raw.<entity>_legacy with every column as text.
import { DuckDBInstance } from "@duckdb/node-api";
import { physicalType } from "../../../src/dbt/index.js";
import { type Entity, entities } from "../../../src/entities/index.js";
import {
  addDays,
  dayNumber,
  localToUtc as zonedInstant,
} from "../../../src/generators/calendar.js";

/** A RAW row: entity columns as text (null for SQL null) plus the load metadata. */
export type RawRow = Record<string, string | null>;

/** Rows per RAW table name (`sale_line`, `sale_line_legacy`...). */
export type RawTables = Record<string, RawRow[]>;

export interface FixtureOptions {
  /** First business day, ISO. */
  readonly start?: string;
  readonly days?: number;
  readonly stores?: number;
  readonly skus?: number;
  readonly seed?: number;
  /** Also write a legacy feed carrying every defect the legacy files are known for. */
  readonly legacy?: boolean;
}

const ZONES = ["Europe/Paris", "America/New_York", "Europe/London", "Asia/Tokyo"];

/** Mulberry32: tiny, seeded, and the same sequence on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const cents = (c: number) => {
  const sign = c < 0 ? "-" : "";
  const a = Math.abs(c);
  return `${sign}${Math.floor(a / 100)}.${pad(a % 100, 2)}`;
};
/** The UTC instant of a local wall-clock time in `zone`, as `YYYY-MM-DD HH:MM:SS`. */
const localToUtc = (day: string, hour: number, minute: number, zone: string) =>
  new Date(zonedInstant(zone, dayNumber(day), (hour * 60 + minute) * 60_000))
    .toISOString()
    .replace("T", " ")
    .slice(0, 19);
const loadedAt = (day: string, lateDays = 0) => `${addDays(day, 1 + lateDays)} 02:00:00`;

/** Builds the dataset in memory; `writeRawTables` puts it in a DuckDB file. */
export function buildRetailFixture(options: FixtureOptions = {}): RawTables {
  const {
    start = "2026-11-02",
    days = 7,
    stores = 3,
    skus = 8,
    seed = 42,
    legacy = false,
  } = options;
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const tables: RawTables = {};
  const push = (table: string, row: RawRow, file: string, loaded: string) => {
    const rows = tables[table] ?? [];
    tables[table] = rows;
    rows.push({
      ...row,
      _source_file: file,
      _source_row: String(rows.length + 1),
      _loaded_at: loaded,
    });
  };
  const refLoad = `${addDays(start, -1)} 01:00:00`;

  const storeRows = Array.from({ length: stores }, (_, i) => {
    const online = i === stores - 1 && stores > 2;
    return {
      store_id: `S${pad(i + 1, 3)}`,
      store_name: online ? "Web Shop" : `Store ${i + 1}`,
      format: online ? "online" : i % 2 ? "hypermarket" : "supermarket",
      city: online ? "Paris" : `City ${i + 1}`,
      region: `Region ${(i % 2) + 1}`,
      country: "FR",
      timezone: ZONES[i % ZONES.length] as string,
      opened_on: "2020-03-01",
      surface_m2: online ? null : String(1500 + i * 700),
    };
  });
  for (const s of storeRows) push("store", s, "store/store-0.csv", refLoad);

  const productRows = Array.from({ length: skus }, (_, i) => {
    const price = 150 + i * 137;
    return {
      sku: `P${pad(i + 1, 6)}`,
      product_name: `Product ${i + 1}`,
      category: i % 2 ? "Food" : "Home",
      subcategory: i % 3 ? "Dry" : "Fresh",
      brand: `Brand ${(i % 3) + 1}`,
      unit_cost: cents(Math.round(price * 0.6)),
      list_price: cents(price),
      vat_rate: i % 2 ? "0.0550" : "0.2000",
      is_perishable: i % 3 ? "false" : "true",
      launched_on: "2024-01-15",
    };
  });
  for (const p of productRows) push("product", p, "product/product-0.csv", refLoad);

  const customerRows = Array.from({ length: 12 }, (_, i) => ({
    customer_id: `C${pad(i + 1, 7)}`,
    first_name: `First${i + 1}`,
    last_name: `Last${i + 1}`,
    email: `c${i + 1}@example.com`,
    segment: pick(["standard", "premium", "vip"]),
    city: `City ${(i % 3) + 1}`,
    country: "FR",
    signup_on: "2025-06-01",
  }));
  for (const c of customerRows) push("customer", c, "customer/customer-0.csv", refLoad);

  const onHand = new Map<string, number>();
  const onOrder = new Map<string, number>();
  let movementSeq = 0;
  for (let d = 0; d < days; d++) {
    const day = addDays(start, d);
    for (const s of storeRows) {
      let ticket = 0;
      const moves: RawRow[] = [];
      const sold = new Map<string, number>();
      // Receipts first: yesterday's orders arrive at opening.
      for (const p of productRows) {
        const key = `${s.store_id}|${p.sku}`;
        if (!onHand.has(key)) onHand.set(key, 6 + Math.floor(rand() * 6));
        const arriving = onOrder.get(key) ?? 0;
        if (arriving > 0) {
          onHand.set(key, (onHand.get(key) ?? 0) + arriving);
          onOrder.set(key, 0);
          moves.push({
            movement_id: `M-${s.store_id}-${day.replaceAll("-", "")}-${pad(++movementSeq, 6)}`,
            moved_at: localToUtc(day, 7, 0, s.timezone),
            store_id: s.store_id,
            sku: p.sku,
            movement_type: "receipt",
            quantity: String(arriving),
            reference: `PO-${key}-${day}`,
          });
        }
      }
      const tickets = 4 + Math.floor(rand() * 4);
      for (let t = 0; t < tickets; t++) {
        ticket++;
        const txn = `T-${s.store_id}-${day.replaceAll("-", "")}-${pad(ticket, 6)}`;
        // Late evening tickets in New York fall on the next UTC day: the business day is local.
        const hour = t === tickets - 1 ? 21 : 9 + Math.floor(rand() * 11);
        const soldAt = localToUtc(day, hour, Math.floor(rand() * 60), s.timezone);
        const customer = rand() < 0.3 ? null : pick(customerRows).customer_id;
        const lines = 1 + Math.floor(rand() * 3);
        const lateDays = d > 0 && t === 0 && s.store_id === "S001" && d % 3 === 0 ? 2 : 0;
        for (let l = 1; l <= lines; l++) {
          const p = productRows[
            (t * 3 + l * 5 + d) % productRows.length
          ] as (typeof productRows)[number];
          const key = `${s.store_id}|${p.sku}`;
          const isReturn = rand() < 0.06;
          const available = onHand.get(key) ?? 0;
          const wanted = 1 + Math.floor(rand() * 3);
          const qty = isReturn ? -1 : Math.min(wanted, available);
          if (qty === 0) continue;
          const priceC = Math.round(Number(p.list_price) * 100);
          const discountC = !isReturn && rand() < 0.2 ? Math.round(priceC * 0.1) : 0;
          const netC = qty * priceC - discountC;
          const vat = Number(p.vat_rate);
          const vatC = Math.round((netC * vat) / (1 + vat));
          onHand.set(key, available - qty);
          if (qty > 0) sold.set(key, (sold.get(key) ?? 0) + qty);
          push(
            "sale_line",
            {
              transaction_id: txn,
              line_no: String(l),
              sold_at: soldAt,
              store_id: s.store_id,
              sku: p.sku,
              customer_id: customer,
              quantity: String(qty),
              unit_price: p.list_price,
              discount_amount: cents(discountC),
              net_amount: cents(netC),
              vat_amount: cents(vatC),
              payment_method: pick(["card", "cash", "gift_card", "mobile", "paypal"]),
              channel: s.format === "online" ? "web" : rand() < 0.1 ? "drive" : "store",
              currency: "EUR",
            },
            `sale_line/dt=${day}/sale_line-${s.store_id}.csv`,
            loadedAt(day, lateDays),
          );
          moves.push({
            movement_id: `M-${s.store_id}-${day.replaceAll("-", "")}-${pad(++movementSeq, 6)}`,
            moved_at: soldAt,
            store_id: s.store_id,
            sku: p.sku,
            movement_type: qty > 0 ? "sale" : "return",
            quantity: String(-qty),
            reference: txn,
          });
        }
      }
      for (const m of moves) {
        push(
          "stock_movement",
          m,
          `stock_movement/dt=${day}/stock_movement-${s.store_id}.csv`,
          loadedAt(day),
        );
      }
      // One string per store and day, shared by its rows: a year of a large chain is millions.
      const snapshotFile = `stock_snapshot/dt=${day}/stock_snapshot-${s.store_id}.csv`;
      const snapshotLoad = loadedAt(day);
      for (const p of productRows) {
        const key = `${s.store_id}|${p.sku}`;
        const reorderPoint = 3;
        const level = onHand.get(key) ?? 0;
        if (level <= reorderPoint && (onOrder.get(key) ?? 0) === 0) onOrder.set(key, 10);
        push(
          "stock_snapshot",
          {
            snapshot_date: day,
            store_id: s.store_id,
            sku: p.sku,
            on_hand: String(level),
            on_order: String(onOrder.get(key) ?? 0),
            reorder_point: String(reorderPoint),
          },
          snapshotFile,
          snapshotLoad,
        );
      }
    }
  }
  for (const entity of Object.values(entities)) tables[entity.name] ??= [];
  if (legacy) Object.assign(tables, legacyFeed(tables));
  for (const entity of Object.values(entities)) tables[`${entity.name}_legacy`] ??= [];
  return tables;
}

const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const frTimestamp = (ts: string) => `${frDate(ts.slice(0, 10))} ${ts.slice(11, 19)}`;
const comma = (v: string | null) => (v === null ? null : v.replace(".", ","));

/**
 * The legacy flat-file feed: the same kind of records, written the legacy way and carrying
 * each known defect at least once, at a known place, so a test can find it downstream.
 */
function legacyFeed(clean: RawTables): RawTables {
  const out: RawTables = {};
  const push = (table: string, row: RawRow, loaded: string) => {
    const rows = out[table] ?? [];
    out[table] = rows;
    rows.push({
      ...row,
      _source_file: `legacy/${table}.txt`,
      _source_row: String(rows.length + 1),
      _loaded_at: loaded,
    });
  };
  const sales = clean.sale_line ?? [];
  const last = sales[sales.length - 1];
  const lastDay = (last?.sold_at ?? "2026-11-02 10:00:00").slice(0, 10);
  const legacyLoad = `${addDays(lastDay, 1)} 05:00:00`;
  const base = (n: number, over: RawRow = {}): RawRow => {
    const day = addDays(lastDay, -1);
    const row: RawRow = {
      transaction_id: `TLEG-${pad(n, 6)}`,
      line_no: "1",
      sold_at: frTimestamp(`${day} 10:${pad(n % 60, 2)}:00`),
      store_id: "S001",
      sku: "P000001",
      customer_id: null,
      quantity: "2",
      unit_price: "1,50",
      discount_amount: "0,00",
      net_amount: "3,00",
      vat_amount: "0,50",
      payment_method: "cash",
      channel: "store",
      currency: "EUR",
    };
    return { ...row, ...over };
  };
  // Clean legacy lines (formatted the legacy way): these must reach silver and gold.
  push("sale_line_legacy", base(1, { store_id: "S001   ", sku: " P000001" }), legacyLoad);
  // Exact duplicate, reloaded later: silver keeps one, the latest load.
  push("sale_line_legacy", base(2), legacyLoad);
  push("sale_line_legacy", base(2, { payment_method: "card" }), `${addDays(lastDay, 2)} 05:00:00`);
  // Null key.
  push("sale_line_legacy", base(3, { transaction_id: null }), legacyLoad);
  push("sale_line_legacy", base(4, { line_no: "  " }), legacyLoad);
  // Unknown store and unknown SKU: kept as orphans, mapped to the unknown members in gold.
  push("sale_line_legacy", base(5, { store_id: "S999" }), legacyLoad);
  push("sale_line_legacy", base(6, { sku: "P999999" }), legacyLoad);
  // The 99999.99 price bug.
  push("sale_line_legacy", base(7, { unit_price: "99999,99", net_amount: "3,00" }), legacyLoad);
  // Unmarked return: negative quantity, positive amounts.
  push(
    "sale_line_legacy",
    base(8, { quantity: "-2", net_amount: "3,00", vat_amount: "0,50" }),
    legacyLoad,
  );
  // Unparseable values.
  push("sale_line_legacy", base(9, { sold_at: "31/02/2026 10:00:00" }), legacyLoad);
  push("sale_line_legacy", base(10, { quantity: "two" }), legacyLoad);
  // Late-arriving: sold three days before the last day, loaded two days after it.
  push(
    "sale_line_legacy",
    base(11, { sold_at: frTimestamp(`${addDays(lastDay, -3)} 11:00:00`) }),
    `${addDays(lastDay, 2)} 05:00:00`,
  );

  const firstProduct = clean.product?.[0];
  if (firstProduct) {
    push(
      "product_legacy",
      {
        ...firstProduct,
        sku: "P000900",
        product_name: "Caf\uFFFD moulu  ",
        unit_cost: comma("2.10"),
        list_price: comma("3.50"),
        vat_rate: comma("0.0550"),
        is_perishable: "N",
        launched_on: "01/02/2025",
        _source_file: null,
        _source_row: null,
        _loaded_at: null,
      },
      legacyLoad,
    );
    push("product_legacy", { ...firstProduct, sku: null, launched_on: "01/02/2025" }, legacyLoad);
  }
  const firstStore = clean.store?.[0];
  if (firstStore) {
    push(
      "store_legacy",
      {
        ...firstStore,
        store_id: "S900",
        store_name: "Old Town  ",
        opened_on: "15/06/1998",
        surface_m2: "800",
      },
      legacyLoad,
    );
  }
  push(
    "stock_snapshot_legacy",
    {
      snapshot_date: frDate(addDays(lastDay, -1)),
      store_id: "S001 ",
      sku: "P000001",
      on_hand: "oops",
      on_order: "0",
      reorder_point: "3",
    },
    legacyLoad,
  );
  push(
    "stock_movement_legacy",
    {
      movement_id: null,
      moved_at: frTimestamp(`${lastDay} 09:00:00`),
      store_id: "S001",
      sku: "P000001",
      movement_type: "receipt",
      quantity: "5",
      reference: null,
    },
    legacyLoad,
  );
  push(
    "customer_legacy",
    {
      customer_id: "C0000900",
      first_name: "Ren\uFFFDe",
      last_name: "Dupont ",
      email: "r.dupont@example.com",
      segment: "standard",
      city: "Lyon",
      country: "FR",
      signup_on: "03/04/2021",
    },
    legacyLoad,
  );
  return out;
}

/** SQL DDL of the RAW table of an entity, or of its legacy twin. */
export function rawTableDdl(entity: Entity, legacy: boolean): string {
  const cols = entity.columns.map((c) => `${c.name} ${legacy ? "varchar" : physicalType(c)}`);
  const name = legacy ? `${entity.name}_legacy` : entity.name;
  return `create table if not exists raw.${name} (${[...cols, "_source_file varchar", "_source_row integer", "_loaded_at timestamp"].join(", ")})`;
}

/**
 * Creates every RAW table (empty ones too) in the DuckDB file at `path` and appends `tables`,
 * optionally only the rows loaded in `(after, upTo]`, which is how a test replays loads day by day.
 */
export async function writeRawTables(
  path: string,
  tables: RawTables,
  window: { after?: string; upTo?: string } = {},
): Promise<number> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  let written = 0;
  try {
    await connection.run("create schema if not exists raw");
    for (const entity of Object.values(entities)) {
      for (const legacy of [false, true]) {
        await connection.run(rawTableDdl(entity, legacy));
        const name = legacy ? `${entity.name}_legacy` : entity.name;
        const rows = (tables[name] ?? []).filter(
          (r) =>
            (window.after === undefined || (r._loaded_at ?? "") > window.after) &&
            (window.upTo === undefined || (r._loaded_at ?? "") <= window.upTo),
        );
        if (rows.length === 0) continue;
        const columns = [
          ...entity.columns.map((c) => c.name),
          "_source_file",
          "_source_row",
          "_loaded_at",
        ];
        await connection.run(
          `create or replace temp table staging (${columns.map((c) => `${c} varchar`).join(", ")})`,
        );
        const appender = await connection.createAppender("staging");
        for (const row of rows) {
          for (const c of columns) {
            const value = row[c];
            if (value === null || value === undefined) appender.appendNull();
            else appender.appendVarchar(value);
          }
          appender.endRow();
        }
        appender.closeSync();
        await connection.run(`insert into raw.${name} select ${columns.join(", ")} from staging`);
        written += rows.length;
      }
    }
    await connection.run("checkpoint");
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return written;
}
