import { z } from "zod";
import { sku } from "./codes.js";
import { defineEntity } from "./define-entity.js";
import { decimal, isoDate, text } from "./field-types.js";

/** An item of the assortment, with its cost, price and VAT rate. */
export const product = defineEntity({
  name: "product",
  description: "An item of the assortment, identified by its SKU.",
  partition: "none",
  key: ["sku"],
  schema: z.object({
    sku,
    product_name: text(200),
    category: text(60),
    subcategory: text(60),
    brand: text(60),
    unit_cost: decimal(12, 2, { min: "0.00", max: "10000.00" }),
    list_price: decimal(12, 2, { min: "0.01", max: "10000.00" }),
    vat_rate: decimal(5, 4, { min: "0.0000", max: "0.3000" }),
    is_perishable: z.boolean(),
    launched_on: isoDate(),
  }),
  docs: {
    sku: { description: "Stock-keeping unit, the natural key." },
    product_name: { description: "Name as printed on the shelf label." },
    category: { description: "Top level of the merchandise hierarchy." },
    subcategory: { description: "Second level of the merchandise hierarchy." },
    brand: { description: "Brand or private label." },
    unit_cost: { description: "Purchase cost per unit, excluding VAT." },
    list_price: { description: "Regular shelf price per unit, including VAT." },
    vat_rate: { description: "VAT rate applied to the price, as a fraction (0.2000 = 20%)." },
    is_perishable: { description: "True for fresh products with a short shelf life." },
    launched_on: { description: "Date the product entered the assortment." },
  },
});
