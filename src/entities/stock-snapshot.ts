import { z } from "zod";
import { sku, storeId } from "./codes.js";
import { defineEntity } from "./define-entity.js";
import { isoDate } from "./field-types.js";

/** End-of-day stock position of one SKU in one store. */
export const stockSnapshot = defineEntity({
  name: "stock_snapshot",
  description: "Units on hand and on order at the close of a store's business day.",
  partition: "day",
  eventTime: "snapshot_date",
  key: ["snapshot_date", "store_id", "sku"],
  schema: z.object({
    snapshot_date: isoDate(),
    store_id: storeId,
    sku,
    on_hand: z.int32().min(0),
    on_order: z.int32().min(0),
    reorder_point: z.int32().min(0),
  }),
  docs: {
    snapshot_date: { description: "Local business day the position closes." },
    store_id: { description: "Store holding the stock." },
    sku: { description: "Product held." },
    on_hand: { description: "Units on hand at close, never negative." },
    on_order: { description: "Units ordered from suppliers and not yet received." },
    reorder_point: { description: "On-hand level at or below which a replenishment is ordered." },
  },
});
