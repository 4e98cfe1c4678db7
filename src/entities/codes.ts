import { z } from "zod";

// Codes shared by several entities, so a foreign key has exactly the shape of its key.

/** Store code, `S001`. */
export const storeId = z
  .string()
  .regex(/^S\d{3,5}$/, { error: 'expected a store code like "S001"' });
/** Stock-keeping unit, `P000123`. */
export const sku = z.string().regex(/^P\d{6}$/, { error: 'expected a SKU like "P000123"' });
/** Loyalty customer number, `C0000042`. */
export const customerId = z
  .string()
  .regex(/^C\d{7}$/, { error: 'expected a customer id like "C0000042"' });
/** ISO 3166-1 alpha-2 country, `FR`. */
export const countryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, { error: 'expected an ISO 3166-1 alpha-2 country like "FR"' });
/** ISO 4217 currency, `EUR`. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency like "EUR"' });
