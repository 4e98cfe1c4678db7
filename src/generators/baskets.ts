import type { Rng } from "./prng.js";
import type { FormatProfile } from "./store-formats.js";

/** Share of sale lines that are returns (negative quantity, negative net amount). */
export const RETURN_RATE = 0.02;

/** Lines on a ticket: 1 + Poisson(mean - 1), capped so a line number fits in 3 digits. */
export function basketSize(rng: Rng, profile: FormatProfile): number {
  return Math.min(120, 1 + rng.poisson(profile.lines - 1));
}

/** Units on a sale line: mostly one, sometimes a few; bulk channels buy more. */
export function lineQuantity(rng: Rng, profile: FormatProfile): number {
  const u = rng.float();
  const bulk = profile.channel !== "store" ? 0.1 : 0;
  if (u < 0.72 - bulk) return 1;
  if (u < 0.88 - bulk / 2) return 2;
  if (u < 0.95) return 3;
  return rng.between(4, 8);
}

/** Units given back on a return line. */
export function returnQuantity(rng: Rng): number {
  return rng.chance(0.85) ? -1 : -2;
}

/** Payment method, as an index into `profile.payments`, drawn by their shares. */
export function paymentOf(rng: Rng, profile: FormatProfile): number {
  let u = rng.float();
  for (let i = 0; i < profile.payments.length; i++) {
    u -= (profile.payments[i] as readonly [string, number])[1];
    if (u < 0) return i;
  }
  return 0;
}

/**
 * The loyalty customer on a ticket (0-based index), or -1 for an anonymous ticket. Shoppers of
 * a physical store come from its own catchment (customer index = store + k * stores), with a
 * Zipf-like skew so regulars come back often; web and drive orders may come from anyone.
 */
export function customerOf(
  rng: Rng,
  profile: FormatProfile,
  storeIndex: number,
  stores: number,
  customers: number,
): number {
  if (!rng.chance(profile.identified)) return -1;
  const skew = rng.float() ** 2;
  if (profile.channel !== "store" || customers < stores * 2) {
    return Math.floor(skew * customers);
  }
  const catchment = Math.floor((customers - 1 - storeIndex) / stores) + 1;
  return storeIndex + stores * Math.floor(skew * catchment);
}
