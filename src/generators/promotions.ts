import { PURPOSE, unitHash3, unitHashes3 } from "./prng.js";

/** A chain-wide promotion on one SKU for one week: a discount and the demand uplift it buys. */
export interface Promotion {
  /** Discount in basis points of the shelf price: 2500 = 25% off. */
  readonly discount: number;
  /** Demand multiplier while the promotion runs. */
  readonly uplift: number;
}

/** Share of SKUs on promotion in any week. */
export const PROMOTION_SHARE = 0.04;
const DISCOUNTS = [1000, 2000, 2500, 3000, 3400, 4000] as const;

/**
 * The promotion on `sku` in promotion week `week`, if any: a pure function of the seed, so
 * every store and every window agrees on it.
 * @example
 * promotionOf(42, 17, 2920); // { discount: 2500, uplift: 2 } or null
 */
export function promotionOf(seed: number, sku: number, week: number): Promotion | null {
  const discount = discountOf(unitHash3(seed, PURPOSE.promotion, week, sku));
  return discount === 0 ? null : { discount, uplift: 1 + (4 * discount) / 10_000 };
}

/** The discount of every product in a week (0 for none): `promotionOf` for all SKUs at once. */
export function weekDiscounts(seed: number, week: number, products: number): Int32Array {
  const draws = unitHashes3(seed, PURPOSE.promotion, week, products);
  const discounts = new Int32Array(products);
  for (let p = 0; p < products; p++) discounts[p] = discountOf(draws[p] as number);
  return discounts;
}

function discountOf(u: number): number {
  if (u >= PROMOTION_SHARE) return 0;
  return DISCOUNTS[Math.floor((u / PROMOTION_SHARE) * DISCOUNTS.length)] as number;
}

/** Discount in cents on `quantity` units at `price` cents, rounded half up to the cent. */
export function discountCents(quantity: number, price: number, discount: number): number {
  return Math.floor((quantity * price * discount + 5000) / 10_000);
}
