import type { Store } from "../entities/index.js";
import { daysBefore } from "./calendar.js";
import { PURPOSE, streamFor } from "./prng.js";
import { DISTRICTS, PLACES } from "./reference-data.js";
import type { SimulationConfig } from "./simulation-config.js";
import { FORMATS, type FormatProfile, formatOfIndex } from "./store-formats.js";

/** A store as the simulation sees it: its record plus how it trades. */
export interface StoreModel {
  readonly index: number;
  readonly record: Store;
  readonly profile: FormatProfile;
  /** Footfall multiplier from the sales area (1 for a median store of its format). */
  readonly size: number;
}

const LABELS: Record<Store["format"], string> = {
  hypermarket: "Hypermarché",
  supermarket: "Supermarché",
  convenience: "Proxi",
  drive: "Drive",
  online: "Boutique en ligne",
};

/** Store code of the store at `index` (0-based): `S001`. */
export function storeIdOf(index: number): string {
  return `S${String(index + 1).padStart(3, "0")}`;
}

/**
 * The chain's stores: a format mix, places across several time zones, sizes within the
 * format's range. Pure function of (seed, stores).
 * @example
 * generateStores({ seed: 1, stores: 3, from: "2026-11-01" })[0]?.record.store_id; // "S001"
 */
export function generateStores(
  config: Pick<SimulationConfig, "seed" | "stores" | "from">,
): StoreModel[] {
  const models: StoreModel[] = [];
  for (let i = 0; i < config.stores; i++) {
    const rng = streamFor(config.seed, PURPOSE.store, i);
    const format = formatOfIndex(i, config.stores);
    const profile = FORMATS[format];
    // The first stores take the first places, so small configs still span time zones.
    const place =
      format === "online"
        ? (PLACES[0] as (typeof PLACES)[0])
        : (PLACES[i % PLACES.length] as (typeof PLACES)[0]);
    let surface: number | null = null;
    let size = 1;
    if (profile.surface) {
      const [lo, hi] = profile.surface;
      surface = Math.round(rng.between(lo, hi) / 10) * 10;
      size = surface / ((lo + hi) / 2);
    }
    const name =
      format === "online"
        ? `${LABELS[format]} ${storeIdOf(i)}`
        : `${LABELS[format]} ${place.city} ${rng.pick(DISTRICTS)}`;
    models.push({
      index: i,
      profile,
      size,
      record: {
        store_id: storeIdOf(i),
        store_name: name,
        format,
        city: place.city,
        region: place.region,
        country: place.country,
        timezone: place.timezone,
        opened_on: daysBefore(config.from, rng.between(30, 30 * 365)),
        surface_m2: surface,
      },
    });
  }
  return models;
}
