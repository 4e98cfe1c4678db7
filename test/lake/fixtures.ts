import {
  customer,
  type Entity,
  product,
  type RecordOf,
  saleLine,
  stockMovement,
  stockSnapshot,
  store,
} from "../../src/entities/index.js";

// Valid records of every entity, chosen to hit the edges of each encoding: quotes and
// delimiters in text, non-ASCII, nulls, negative and extreme decimals, microsecond timestamps.

export const stores: RecordOf<typeof store>[] = [
  {
    store_id: "S001",
    store_name: 'Paris "Bastille", Halles',
    format: "hypermarket",
    city: "Paris",
    region: "Île-de-France",
    country: "FR",
    timezone: "Europe/Paris",
    opened_on: "1999-12-31",
    surface_m2: 12000,
  },
  {
    store_id: "S002",
    store_name: "Web; shop",
    format: "online",
    city: "Lyon",
    region: "Auvergne-Rhône-Alpes",
    country: "FR",
    timezone: "Europe/Paris",
    opened_on: "2024-02-29",
    surface_m2: null,
  },
];

export const products: RecordOf<typeof product>[] = [
  {
    sku: "P000001",
    product_name: "Crème brûlée 2×100 g",
    category: "Dairy",
    subcategory: "Desserts",
    brand: "Maison",
    unit_cost: "0.00",
    list_price: "0.01",
    vat_rate: "0.0550",
    is_perishable: true,
    launched_on: "1970-01-01",
  },
  {
    sku: "P000002",
    product_name: 'TV 55" OLED',
    category: "Electronics",
    subcategory: "TV",
    brand: "Brand, Inc.",
    unit_cost: "9999.99",
    list_price: "10000.00",
    vat_rate: "0.2000",
    is_perishable: false,
    launched_on: "2026-11-01",
  },
];

export const customers: RecordOf<typeof customer>[] = [
  {
    customer_id: "C0000001",
    first_name: "Zoë",
    last_name: "O'Brien",
    email: "zoe@example.com",
    segment: "vip",
    city: "Nantes",
    country: "FR",
    signup_on: "2020-01-15",
  },
  {
    customer_id: "C0000002",
    first_name: "Li",
    last_name: "Wei",
    email: "li.wei@example.org",
    segment: "standard",
    city: "Lille",
    country: "FR",
    signup_on: "1969-12-31",
  },
];

export const saleLines: RecordOf<typeof saleLine>[] = [
  {
    transaction_id: "T-S001-20261101-000001",
    line_no: 1,
    sold_at: "2026-11-01T08:15:30.123Z",
    store_id: "S001",
    sku: "P000001",
    customer_id: "C0000001",
    quantity: 3,
    unit_price: "1.99",
    discount_amount: "0.50",
    net_amount: "5.47",
    vat_amount: "0.29",
    payment_method: "card",
    channel: "store",
    currency: "EUR",
  },
  {
    transaction_id: "T-S001-20261101-000002",
    line_no: 1,
    sold_at: "2026-11-01T08:59:59.999999Z",
    store_id: "S001",
    sku: "P000002",
    customer_id: null,
    quantity: -1,
    unit_price: "10000.00",
    discount_amount: "-1000000.00",
    net_amount: "-1000000.00",
    vat_amount: "-166666.67",
    payment_method: "gift_card",
    channel: "web",
    currency: "EUR",
  },
  {
    transaction_id: "T-S002-20261101-000003",
    line_no: 999,
    sold_at: "2026-11-01T09:00:00.000Z",
    store_id: "S002",
    sku: "P000001",
    customer_id: "C0000002",
    quantity: 999,
    unit_price: "0.00",
    discount_amount: "0.00",
    net_amount: "1000000.00",
    vat_amount: "0.01",
    payment_method: "paypal",
    channel: "drive",
    currency: "EUR",
  },
];

export const stockMovements: RecordOf<typeof stockMovement>[] = [
  {
    movement_id: "M-S001-20261101-000001",
    moved_at: "2026-11-01T23:59:59.000001Z",
    store_id: "S001",
    sku: "P000001",
    movement_type: "receipt",
    quantity: 100000,
    reference: 'PO "42", urgent',
  },
  {
    movement_id: "M-S001-20261102-000002",
    moved_at: "2026-11-02T00:00:00.000Z",
    store_id: "S001",
    sku: "P000002",
    movement_type: "transfer_out",
    quantity: -100000,
    reference: null,
  },
];

export const stockSnapshots: RecordOf<typeof stockSnapshot>[] = [
  {
    snapshot_date: "2026-11-01",
    store_id: "S001",
    sku: "P000001",
    on_hand: 0,
    on_order: 2147483647,
    reorder_point: 12,
  },
  {
    snapshot_date: "2026-11-02",
    store_id: "S002",
    sku: "P000002",
    on_hand: 5,
    on_order: 0,
    reorder_point: 0,
  },
];

/** Every built-in entity with its sample records. */
export const samples: { entity: Entity; records: Record<string, unknown>[] }[] = [
  { entity: store, records: stores },
  { entity: product, records: products },
  { entity: customer, records: customers },
  { entity: saleLine, records: saleLines },
  { entity: stockMovement, records: stockMovements },
  { entity: stockSnapshot, records: stockSnapshots },
];

/** `count` valid sale lines spread over one hour, for rolling and throughput. */
export function manySaleLines(count: number, hour = "08"): RecordOf<typeof saleLine>[] {
  return Array.from({ length: count }, (_, i) => ({
    transaction_id: `T-S001-20261101-${String(i + 1).padStart(6, "0")}`,
    line_no: (i % 5) + 1,
    sold_at: `2026-11-01T${hour}:${String(Math.floor((i % 3600) / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}.${String(i % 1000).padStart(3, "0")}Z`,
    store_id: `S00${(i % 9) + 1}`,
    sku: `P${String((i * 7919) % 1_000_000).padStart(6, "0")}`,
    customer_id: i % 3 === 0 ? null : `C${String(i % 100_000).padStart(7, "0")}`,
    quantity: (i % 7) - 1 || 1,
    unit_price: `${(i % 500) + 1}.${String(i % 100).padStart(2, "0")}`,
    discount_amount: "0.00",
    net_amount: "1.00",
    vat_amount: "0.17",
    payment_method: (["card", "cash", "mobile"] as const)[i % 3] as "card",
    channel: "store",
    currency: "EUR",
  }));
}
