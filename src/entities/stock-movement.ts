import { z } from "zod";
import { sku, storeId } from "./codes.js";
import { defineEntity } from "./define-entity.js";
import { utcTimestamp } from "./field-types.js";

/** A change to the units on hand of one SKU in one store. */
export const stockMovement = defineEntity({
  name: "stock_movement",
  description:
    "A signed change of units on hand. For every store, sku and day, " +
    "on_hand(d) = on_hand(d-1) + the sum of that day's movements.",
  partition: "hour",
  eventTime: "moved_at",
  key: ["movement_id"],
  schema: z.object({
    movement_id: z.string().regex(/^M[0-9A-Z-]{4,40}$/, {
      error: 'expected a movement id like "M-S001-20261101-000001"',
    }),
    moved_at: utcTimestamp(),
    store_id: storeId,
    sku,
    movement_type: z.enum([
      "receipt",
      "sale",
      "return",
      "adjustment",
      "transfer_in",
      "transfer_out",
    ]),
    quantity: z.int32().min(-100_000).max(100_000),
    reference: z.string().min(1).max(60).nullable(),
  }),
  docs: {
    movement_id: { description: "Movement number, the natural key." },
    moved_at: { description: "Instant of the movement, UTC." },
    store_id: { description: "Store whose stock moved." },
    sku: { description: "Product whose stock moved." },
    movement_type: {
      description: "receipt, sale, return, adjustment, transfer_in or transfer_out.",
    },
    quantity: { description: "Signed units: positive adds to on hand, negative removes." },
    reference: { description: "Transaction or purchase order behind the movement, if any." },
  },
});
