import { z } from "zod";
import { currencyCode, customerId, sku, storeId } from "./codes.js";
import { defineEntity } from "./define-entity.js";
import { decimal, utcTimestamp } from "./field-types.js";

const money = () => decimal(12, 2, { min: "-1000000.00", max: "1000000.00" });

/** One line of a till receipt or web order. A negative quantity is a return. */
export const saleLine = defineEntity({
  name: "sale_line",
  description:
    "One line of a ticket. net_amount = quantity x unit_price - discount_amount, to the cent; " +
    "prices include VAT and vat_amount is the VAT part of net_amount.",
  partition: "hour",
  eventTime: "sold_at",
  key: ["transaction_id", "line_no"],
  schema: z.object({
    transaction_id: z.string().regex(/^T[0-9A-Z-]{4,40}$/, {
      error: 'expected a transaction id like "T-S001-20261101-000001"',
    }),
    line_no: z.int32().min(1).max(999),
    sold_at: utcTimestamp(),
    store_id: storeId,
    sku,
    customer_id: customerId.nullable(),
    quantity: z.int32().min(-999).max(999),
    unit_price: decimal(12, 2, { min: "0.00", max: "10000.00" }),
    discount_amount: money(),
    net_amount: money(),
    vat_amount: money(),
    payment_method: z.enum(["card", "cash", "gift_card", "mobile", "paypal"]),
    channel: z.enum(["store", "web", "drive"]),
    currency: currencyCode,
  }),
  docs: {
    transaction_id: { description: "Ticket or order number; with line_no, the natural key." },
    line_no: { description: "Line number within the ticket, from 1." },
    sold_at: { description: "Instant of the sale, UTC." },
    store_id: { description: "Store where the sale happened." },
    sku: { description: "Product sold." },
    customer_id: { description: "Loyalty customer; null for an anonymous ticket." },
    quantity: { description: "Units sold; negative for a return." },
    unit_price: { description: "Price per unit charged, including VAT." },
    discount_amount: { description: "Promotion discount on the line, including VAT." },
    net_amount: { description: "quantity x unit_price - discount_amount, including VAT." },
    vat_amount: { description: "VAT included in net_amount." },
    payment_method: { description: "Tender: card, cash, gift_card, mobile or paypal." },
    channel: { description: "Sales channel: store, web or drive." },
    currency: { description: "ISO 4217 currency of the amounts." },
  },
});
