import type { ConfigInput } from "./config-schema.js";

/**
 * Types a `retail-mds.config.ts` (or `.mjs`) file; the config is checked against its schema when
 * a command loads it. Every key is optional; paths are relative to the config file.
 * @example
 * // retail-mds.config.ts
 * import { defineConfig } from "retail-mds/config";
 * import { priceChange } from "./entities/price-change.js";
 * export default defineConfig({
 *   entities: [priceChange],
 *   lake: { path: "./lake" },
 *   simulation: { seed: 7, days: 14 },
 * });
 */
export function defineConfig<const C extends ConfigInput>(config: C): C {
  return config;
}
