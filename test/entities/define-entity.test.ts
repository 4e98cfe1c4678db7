import { expect, expectTypeOf, test } from "vitest";
import { z } from "zod";
import {
  decimal,
  defineEntity,
  entities,
  isoDate,
  type SaleLine,
  saleLine,
  stockSnapshot,
  store,
  ValidationError,
} from "../../src/entities/index.js";

const line: SaleLine = {
  transaction_id: "T-S001-20261101-000001",
  line_no: 1,
  sold_at: "2026-11-01T08:15:30.123Z",
  store_id: "S001",
  sku: "P000001",
  customer_id: null,
  quantity: 2,
  unit_price: "1.99",
  discount_amount: "0.00",
  net_amount: "3.98",
  vat_amount: "0.66",
  payment_method: "card",
  channel: "store",
  currency: "EUR",
};

test("record types are inferred from the schema", () => {
  expectTypeOf<SaleLine["unit_price"]>().toEqualTypeOf<string>();
  expectTypeOf<SaleLine["customer_id"]>().toEqualTypeOf<string | null>();
  expectTypeOf<SaleLine["quantity"]>().toEqualTypeOf<number>();
  expectTypeOf<SaleLine["channel"]>().toEqualTypeOf<"store" | "web" | "drive">();
});

test("columns keep schema order and carry logical types", () => {
  expect(saleLine.columns.map((c) => c.name)).toEqual(Object.keys(line));
  const byName = Object.fromEntries(saleLine.columns.map((c) => [c.name, c]));
  expect(byName.unit_price?.type).toEqual({ kind: "decimal", precision: 12, scale: 2 });
  expect(byName.sold_at?.type).toEqual({ kind: "timestamp" });
  expect(byName.quantity).toMatchObject({ type: { kind: "int" }, min: -999, max: 999 });
  expect(byName.customer_id?.nullable).toBe(true);
  expect(byName.channel?.values).toEqual(["store", "web", "drive"]);
});

test("the entities have the column names downstream SQL depends on", () => {
  expect(
    Object.fromEntries(Object.values(entities).map((e) => [e.name, e.columns.map((c) => c.name)])),
  ).toMatchInlineSnapshot(`
      {
        "customer": [
          "customer_id",
          "first_name",
          "last_name",
          "email",
          "segment",
          "city",
          "country",
          "signup_on",
        ],
        "product": [
          "sku",
          "product_name",
          "category",
          "subcategory",
          "brand",
          "unit_cost",
          "list_price",
          "vat_rate",
          "is_perishable",
          "launched_on",
        ],
        "sale_line": [
          "transaction_id",
          "line_no",
          "sold_at",
          "store_id",
          "sku",
          "customer_id",
          "quantity",
          "unit_price",
          "discount_amount",
          "net_amount",
          "vat_amount",
          "payment_method",
          "channel",
          "currency",
        ],
        "stock_movement": [
          "movement_id",
          "moved_at",
          "store_id",
          "sku",
          "movement_type",
          "quantity",
          "reference",
        ],
        "stock_snapshot": [
          "snapshot_date",
          "store_id",
          "sku",
          "on_hand",
          "on_order",
          "reorder_point",
        ],
        "store": [
          "store_id",
          "store_name",
          "format",
          "city",
          "region",
          "country",
          "timezone",
          "opened_on",
          "surface_m2",
        ],
      }
    `);
});

test("PII columns are flagged", () => {
  const pii = Object.values(entities).flatMap((e) =>
    e.columns.filter((c) => c.pii).map((c) => `${e.name}.${c.name}`),
  );
  expect(pii).toEqual(["customer.first_name", "customer.last_name", "customer.email"]);
});

test("a valid record parses to itself", () => {
  expect(saleLine.parse(line)).toEqual(line);
});

test("a bad record names the entity, file, row, field and value", () => {
  const bad = { ...line, unit_price: "1,99" };
  expect(() =>
    saleLine.parse(bad, { file: "sale_line/dt=2026-11-01/a.csv", row: 12 }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[ValidationError: sale_line in sale_line/dt=2026-11-01/a.csv row 12: field "unit_price" expected decimal(12,2) text like "12.34" (got "1,99")]`,
  );
  const result = saleLine.check(bad, { row: 3 });
  expect(result.ok).toBe(false);
  if (!result.ok) {
    expect(result.error).toBeInstanceOf(ValidationError);
    expect(result.error.field).toBe("unit_price");
    expect(result.error.row).toBe(3);
  }
});

test("every failing field is reported, including unknown columns", () => {
  const result = saleLine.check({ ...line, store_id: "S001 ", sold_at: "01/11/2026", extra: 1 });
  expect(result.ok ? [] : result.error.issues.map((i) => i.field).sort()).toEqual([
    "extra",
    "sold_at",
    "store_id",
  ]);
});

test("decimal bounds, trimmed text and time zones are enforced", () => {
  expect(saleLine.check({ ...line, unit_price: "99999.99" }).ok).toBe(false);
  expect(saleLine.check({ ...line, unit_price: "01.99" }).ok).toBe(false);
  const paris = {
    store_id: "S001",
    store_name: "Paris Bastille",
    format: "supermarket",
    city: "Paris",
    region: "Ile-de-France",
    country: "FR",
    timezone: "Europe/Paris",
    opened_on: "2001-03-15",
    surface_m2: 1800,
  };
  expect(store.check(paris).ok).toBe(true);
  expect(store.check({ ...paris, store_name: "Paris Bastille " }).ok).toBe(false);
  expect(store.check({ ...paris, store_name: "Caf\uFFFD de Paris" }).ok).toBe(false);
  expect(store.check({ ...paris, timezone: "Mars/Olympus" }).ok).toBe(false);
});

test("keyOf joins the natural key", () => {
  expect(saleLine.keyOf(line)).toBe("T-S001-20261101-000001|1");
  expect(stockSnapshot.key).toEqual(["snapshot_date", "store_id", "sku"]);
});

test("JSON Schema is derived from the same schema", () => {
  const schema = saleLine.jsonSchema() as {
    properties: Record<string, { pattern?: string }>;
    required: string[];
  };
  expect(schema.required).toContain("unit_price");
  expect(schema.properties.unit_price?.pattern).toBe("^-?(0|[1-9]\\d{0,9})\\.\\d{2}$");
});

test("a new entity is one definition, and mistakes in it are caught", () => {
  const promo = defineEntity({
    name: "promotion",
    description: "A price promotion.",
    partition: "day",
    eventTime: "starts_on",
    key: ["promo_id"],
    schema: z.object({ promo_id: z.string(), starts_on: isoDate(), discount: decimal(5, 4) }),
    docs: {
      promo_id: { description: "Promotion code." },
      starts_on: { description: "First day." },
      discount: { description: "Discount rate." },
    },
  });
  expect(promo.columns.map((c) => c.type.kind)).toEqual(["string", "date", "decimal"]);
  const docs = { x: { description: "x" } };
  expect(() =>
    defineEntity({
      name: "Bad-Name",
      description: "",
      partition: "none",
      key: ["x"],
      schema: z.object({ x: z.string() }),
      docs,
    }),
  ).toThrow(/snake_case/);
  expect(() =>
    defineEntity({
      name: "f",
      description: "",
      partition: "none",
      key: ["x"],
      schema: z.object({ x: z.number() }),
      docs,
    }),
  ).toThrow(/floats are not exact/);
  expect(() =>
    defineEntity({
      name: "h",
      description: "",
      partition: "hour",
      eventTime: "x",
      key: ["x"],
      schema: z.object({ x: isoDate() }),
      docs,
    }),
  ).toThrow(/hourly partitions need a timestamp/);
  const undocumented = {
    name: "u",
    description: "",
    partition: "none",
    key: ["x"],
    schema: z.object({ x: z.string(), y: z.string() }),
    docs,
  } as const;
  expect(() => defineEntity(undocumented as unknown as Parameters<typeof defineEntity>[0])).toThrow(
    /column "y" has no description/,
  );
});
