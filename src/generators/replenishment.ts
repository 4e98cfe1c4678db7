import type { ProductModel } from "./product-generator.js";
import type { FormatProfile } from "./store-formats.js";

/**
 * Periodic-review replenishment: at each close, a SKU whose position (on hand + on order) is at
 * or below its reorder point is ordered up to its order-up-to level, in whole cases, and arrives
 * after the lead time. Safety stock is thin on purpose, so busy days and promotions cause real
 * stock-outs.
 */
export interface ReorderPolicy {
  readonly reorderPoint: number;
  readonly orderUpTo: number;
  readonly leadTime: number;
  readonly casePack: number;
}

/** Share of deliveries that arrive short (40-90% of the order), another source of stock-outs. */
export const SHORT_DELIVERY_RATE = 0.06;

/**
 * The policy of one SKU in one store, from its expected daily unit demand.
 * @example
 * reorderPolicy(product, FORMATS.supermarket, 3.2).reorderPoint; // 11
 */
export function reorderPolicy(
  product: ProductModel,
  profile: FormatProfile,
  dailyDemand: number,
): ReorderPolicy {
  const leadTime = product.perishable ? 1 : profile.leadTime;
  const reviewDays = product.perishable ? 2 : 6;
  const reorderPoint = Math.ceil(dailyDemand * (leadTime + 0.8));
  const orderUpTo = reorderPoint + Math.max(product.casePack, Math.ceil(dailyDemand * reviewDays));
  return { reorderPoint, orderUpTo, leadTime, casePack: product.casePack };
}

/** Units to order at close, in whole cases, or 0 when the position is above the reorder point. */
export function orderQuantity(policy: ReorderPolicy, onHand: number, onOrder: number): number {
  const position = onHand + onOrder;
  if (position > policy.reorderPoint) return 0;
  const need = policy.orderUpTo - position;
  return Math.ceil(need / policy.casePack) * policy.casePack;
}
