import {
  customer,
  type Entity,
  product,
  saleLine,
  stockMovement,
  stockSnapshot,
  store,
} from "../entities/index.js";
import { defaultRules } from "./default-rules.js";
import { decimalUnits } from "./row-check.js";
import type { AnyRecord, Rule } from "./rule.js";
import { expressionIsTrue, isFresh, referencesKeyOf } from "./rule-builders.js";
import type { RuleSet } from "./rule-set.js";

// The rules that cannot be read off a schema: arithmetic between columns, signs, foreign keys.
// Kept in one place so the generator, the lake writer and the warehouse agree on them. To add
// rules to your own entity: `defaultRules(myEntity).with(expressionIsTrue(myEntity, {...}))`.

/** Units of a decimal column at a scale, or undefined when it is not a decimal text. */
const units = (r: AnyRecord, column: string, scale: number) => decimalUnits(r[column], scale);

// Numbers while all operands are exact numbers (the common case), bigints otherwise.
const big = (x: number | bigint): bigint => (typeof x === "bigint" ? x : BigInt(x));

const abs = (x: number | bigint): number | bigint => (x < 0 ? -x : x);
const sign = (x: bigint | number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);

const saleLineRules: readonly Rule[] = [
  expressionIsTrue(saleLine, {
    name: "sale_line_net_amount_is_quantity_x_unit_price_minus_discount",
    description: "net_amount must equal quantity x unit_price - discount_amount, to the cent",
    columns: ["quantity", "unit_price", "discount_amount", "net_amount"],
    predicate: (r) => {
      const price = units(r, "unit_price", 2);
      const discount = units(r, "discount_amount", 2);
      const net = units(r, "net_amount", 2);
      const q = r.quantity;
      if (price === undefined || discount === undefined || net === undefined) return false;
      if (typeof q !== "number" || !Number.isInteger(q)) return false;
      if (typeof price === "number" && typeof discount === "number" && typeof net === "number") {
        const gross = q * price;
        if (Number.isSafeInteger(gross)) return net === gross - discount;
      }
      return big(net) === BigInt(q) * big(price) - big(discount);
    },
    sql: "net_amount = quantity * unit_price - discount_amount",
  }),
  expressionIsTrue(saleLine, {
    name: "sale_line_net_amount_sign_follows_quantity",
    description:
      "a negative quantity (a return) has a negative net_amount, a positive one a positive net",
    columns: ["quantity", "net_amount"],
    predicate: (r) => {
      const net = units(r, "net_amount", 2);
      const q = r.quantity;
      if (net === undefined || typeof q !== "number") return false;
      return sign(net) === 0 || sign(net) === sign(q);
    },
    sql: "net_amount = 0 or sign(net_amount) = sign(quantity)",
  }),
  expressionIsTrue(saleLine, {
    name: "sale_line_vat_amount_within_net_amount",
    description: "vat_amount has the sign of net_amount and is not larger than it",
    columns: ["net_amount", "vat_amount"],
    predicate: (r) => {
      const net = units(r, "net_amount", 2);
      const vat = units(r, "vat_amount", 2);
      if (net === undefined || vat === undefined) return false;
      return sign(vat) * sign(net) >= 0 && abs(vat) <= abs(net);
    },
    sql: "sign(vat_amount) * sign(net_amount) >= 0 and abs(vat_amount) <= abs(net_amount)",
  }),
  referencesKeyOf(saleLine, "store_id", store),
  referencesKeyOf(saleLine, "sku", product),
  referencesKeyOf(saleLine, "customer_id", customer),
];

// Receipts, returns and transfers in add stock; sales and transfers out remove it.
const INBOUND = ["receipt", "return", "transfer_in"];
const OUTBOUND = ["sale", "transfer_out"];

const stockMovementRules: readonly Rule[] = [
  expressionIsTrue(stockMovement, {
    name: "stock_movement_quantity_sign_follows_movement_type",
    description:
      "receipt, return and transfer_in add units (> 0); sale and transfer_out remove them (< 0); no movement is zero",
    columns: ["movement_type", "quantity"],
    predicate: (r) => {
      const q = r.quantity;
      const type = r.movement_type;
      if (typeof q !== "number" || q === 0 || typeof type !== "string") return false;
      if (INBOUND.includes(type)) return q > 0;
      if (OUTBOUND.includes(type)) return q < 0;
      return true;
    },
    sql:
      "quantity <> 0 and (movement_type not in ('receipt', 'return', 'transfer_in') or quantity > 0) " +
      "and (movement_type not in ('sale', 'transfer_out') or quantity < 0)",
  }),
  referencesKeyOf(stockMovement, "store_id", store),
  referencesKeyOf(stockMovement, "sku", product),
];

// on_hand >= 0 comes from the schema (z.int32().min(0)) through the default range rule.
const stockSnapshotRules: readonly Rule[] = [
  referencesKeyOf(stockSnapshot, "store_id", store),
  referencesKeyOf(stockSnapshot, "sku", product),
];

/** Rules beyond the schema, per built-in entity. */
export const entityRules: Readonly<Record<string, readonly Rule[]>> = {
  sale_line: saleLineRules,
  stock_movement: stockMovementRules,
  stock_snapshot: stockSnapshotRules,
};

/**
 * The full rule set of an entity: its defaults plus the rules in `entityRules` for it.
 * @example
 * const rules = qualityRules(saleLine); // defaults + arithmetic, signs and foreign keys
 */
export function qualityRules<E extends Entity>(entity: E): RuleSet<E> {
  return defaultRules(entity).with(...(entityRules[entity.name] ?? []));
}

/**
 * The rules for a legacy flat-file feed: `qualityRules`, plus a warning for every record older
 * than the start of the window it arrived in (a late arrival; hourly entities only, whose
 * windows bound their event times). Late records are valid data, so they are flagged, not
 * rejected: the warehouse's look-back re-reads them.
 * @example
 * const rules = legacyFeedRules(saleLine); // + freshness_sale_line_sold_at (warn)
 */
export function legacyFeedRules<E extends Entity>(entity: E): RuleSet<E> {
  const rules = qualityRules(entity);
  if (entity.partition !== "hour" || !entity.eventTime) return rules;
  type C = Extract<keyof E["docs"], string>;
  return rules.with(
    isFresh(entity, entity.eventTime as C, { maxAgeSeconds: 0, reference: "window_start" }).warn(),
  );
}
