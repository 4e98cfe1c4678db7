import { z } from "zod";
import { countryCode, storeId } from "./codes.js";
import { defineEntity } from "./define-entity.js";
import { isoDate, text } from "./field-types.js";

const ianaTimeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return zone.includes("/") || zone === "UTC";
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA time zone like "Europe/Paris"' },
);

/** A shop, drive or web site: where sales happen and stock is held. */
export const store = defineEntity({
  name: "store",
  description: "A point of sale: a physical shop, a drive (click and collect) or the web shop.",
  partition: "none",
  key: ["store_id"],
  schema: z.object({
    store_id: storeId,
    store_name: text(100),
    format: z.enum(["hypermarket", "supermarket", "convenience", "online", "drive"]),
    city: text(80),
    region: text(80),
    country: countryCode,
    timezone: ianaTimeZone,
    opened_on: isoDate(),
    surface_m2: z.int32().min(1).max(50_000).nullable(),
  }),
  docs: {
    store_id: { description: "Store code, the natural key." },
    store_name: { description: "Trading name of the store." },
    format: {
      description: "Store format: hypermarket, supermarket, convenience, online or drive.",
    },
    city: { description: "City the store is in." },
    region: { description: "Administrative region of the store." },
    country: { description: "ISO 3166-1 alpha-2 country code." },
    timezone: { description: "IANA time zone; a business day is the local calendar date here." },
    opened_on: { description: "Local date the store opened." },
    surface_m2: { description: "Sales area in square metres; null for the online store." },
  },
});
