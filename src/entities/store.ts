import { z } from "zod";
import { countryCode, storeId } from "./codes.js";
import { defineEntity } from "./define-entity.js";
import { isoDate, text } from "./field-types.js";

// Zones Intl has accepted: building a DateTimeFormat per store record was 1% of `generate`'s
// profile. Only accepted zones are kept, so the set stays as small as the IANA list.
const knownZones = new Set<string>();
const ianaTimeZone = z.string().refine(
  (zone) => {
    if (knownZones.has(zone)) return true;
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
    } catch {
      return false;
    }
    if (!zone.includes("/") && zone !== "UTC") return false;
    knownZones.add(zone);
    return true;
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
