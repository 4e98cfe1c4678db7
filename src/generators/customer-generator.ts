import type { Customer } from "../entities/index.js";
import { daysBefore } from "./calendar.js";
import { PURPOSE, streamFor } from "./prng.js";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLACES } from "./reference-data.js";
import type { SimulationConfig } from "./simulation-config.js";

/** Loyalty number of the customer at `index` (0-based): `C0000001`. */
export function customerIdOf(index: number): string {
  return `C${String(index + 1).padStart(7, "0")}`;
}

/**
 * One loyalty customer, a pure function of (seed, index): the simulation only needs the count,
 * so records are built when `reference()` asks for them.
 * @example
 * customerAt({ seed: 1, from: "2026-11-01" }, 0).customer_id; // "C0000001"
 */
export function customerAt(
  config: Pick<SimulationConfig, "seed" | "from">,
  index: number,
): Customer {
  const rng = streamFor(config.seed, PURPOSE.customer, index);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const roll = rng.float();
  const place = rng.pick(PLACES);
  const local = `${ascii(first)}.${ascii(last)}${index + 1}`.toLowerCase();
  return {
    customer_id: customerIdOf(index),
    first_name: first,
    last_name: last,
    email: `${local}@${rng.pick(EMAIL_DOMAINS)}`,
    segment: roll < 0.05 ? "vip" : roll < 0.25 ? "premium" : "standard",
    city: place.city,
    country: place.country,
    signup_on: daysBefore(config.from, rng.between(1, 8 * 365)),
  };
}

// E-mail local parts are ASCII: strip accents and anything else an address cannot hold.
function ascii(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/œ/g, "oe")
    .replace(/[^A-Za-z0-9]/g, "");
}
