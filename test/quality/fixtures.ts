import { type DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { Customer, Entity, Product, SaleLine, Store } from "../../src/entities/index.js";

export const stores: Store[] = [
  {
    store_id: "S001",
    store_name: "Paris Bastille",
    format: "supermarket",
    city: "Paris",
    region: "Ile-de-France",
    country: "FR",
    timezone: "Europe/Paris",
    opened_on: "2010-03-01",
    surface_m2: 1800,
  },
  {
    store_id: "S900",
    store_name: "Web",
    format: "online",
    city: "Paris",
    region: "Ile-de-France",
    country: "FR",
    timezone: "Europe/Paris",
    opened_on: "2015-01-01",
    surface_m2: null,
  },
];

export const products: Product[] = [
  {
    sku: "P000001",
    product_name: "Baguette",
    category: "Bakery",
    subcategory: "Bread",
    brand: "Maison",
    unit_cost: "0.40",
    list_price: "1.10",
    vat_rate: "0.0550",
    is_perishable: true,
    launched_on: "2020-01-01",
  },
  {
    sku: "P000002",
    product_name: "Coffee 1kg",
    category: "Grocery",
    subcategory: "Coffee",
    brand: "Arabica Co",
    unit_cost: "8.00",
    list_price: "14.99",
    vat_rate: "0.0550",
    is_perishable: false,
    launched_on: "2021-05-01",
  },
];

export const customers: Customer[] = [
  {
    customer_id: "C0000001",
    first_name: "Ana",
    last_name: "Lopez",
    email: "ana@example.com",
    segment: "premium",
    city: "Paris",
    country: "FR",
    signup_on: "2022-02-02",
  },
];

/** A valid sale line; `n` varies the key, overrides break it on purpose. */
export function line(
  n: number,
  overrides: Partial<Record<keyof SaleLine, unknown>> = {},
): SaleLine {
  return {
    transaction_id: `T-S001-20261101-${String(n).padStart(6, "0")}`,
    line_no: 1,
    sold_at: "2026-11-01T08:15:30.123Z",
    store_id: "S001",
    sku: "P000002",
    customer_id: n % 2 ? "C0000001" : null,
    quantity: 2,
    unit_price: "14.99",
    discount_amount: "1.00",
    net_amount: "28.98",
    vat_amount: "1.51",
    payment_method: "card",
    channel: "store",
    currency: "EUR",
    ...overrides,
  } as SaleLine;
}

export const references = {
  store: stores.map((s) => s.store_id),
  product: products.map((p) => p.sku),
  customer: customers.map((c) => c.customer_id),
};

const DUCK_TYPES = {
  string: "varchar",
  int: "integer",
  boolean: "boolean",
  date: "date",
  timestamp: "timestamp",
} as const;

/** DuckDB's column type for an entity column, for tests that load records as typed tables. */
export function duckType(column: Entity["columns"][number]): string {
  const { type } = column;
  return type.kind === "decimal"
    ? `decimal(${type.precision},${type.scale})`
    : DUCK_TYPES[type.kind];
}

function sqlValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** Creates a typed table named after the entity and inserts the records. */
export async function loadTable(
  conn: DuckDBConnection,
  entity: Entity,
  records: readonly object[],
): Promise<void> {
  const cols = entity.columns;
  await conn.run(
    `create or replace table "${entity.name}" (${cols.map((c) => `"${c.name}" ${duckType(c)}`).join(", ")})`,
  );
  for (let i = 0; i < records.length; i += 500) {
    const rows = records
      .slice(i, i + 500)
      .map(
        (r) => `(${cols.map((c) => sqlValue((r as Record<string, unknown>)[c.name])).join(", ")})`,
      );
    await conn.run(`insert into "${entity.name}" values ${rows.join(", ")}`);
  }
}

export async function duckdb(): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(":memory:");
  return db.connect();
}

// Type-valid lines (they load into typed DuckDB columns) that break rules in many ways.
const defects: Record<string, unknown>[] = [
  {},
  { sku: null },
  { sku: "P00002" },
  { channel: "fax" },
  { payment_method: "CARD" },
  { unit_price: "10000.00", net_amount: "19999.00" },
  { unit_price: "10000.01", net_amount: "19999.02" },
  { quantity: -2, net_amount: "-30.98", vat_amount: "-1.61" },
  { quantity: -2, net_amount: "30.98" },
  { quantity: 1000, net_amount: "14989.00" },
  { net_amount: "28.99" },
  { vat_amount: "29.00" },
  { vat_amount: "-0.01" },
  { store_id: "S777" },
  { store_id: "S001 " },
  { currency: "eur" },
  { customer_id: "C0000099" },
  { sold_at: "2026-10-31T08:15:30.123Z" },
  { sold_at: "2026-10-01T00:00:00.000001Z" },
  { discount_amount: "-0.01", net_amount: "28.99" },
  { transaction_id: "TX1" },
  { customer_id: "c0000001" },
  { discount_amount: "-1000000.01", net_amount: "1000029.99" },
  { net_amount: "1000000.01" },
  { vat_amount: "-1000000.01" },
];
export const records = Array.from({ length: 150 }, (_, i) =>
  line(i % 100, { line_no: 1 + (i % 3 === 0 ? 1 : 0), ...defects[i % defects.length] }),
);
