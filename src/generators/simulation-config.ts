import { z } from "zod";

/** The configuration of a retail simulation, validated before anything is generated. */
export const simulationConfigSchema = z
  .object({
    /** Any whole number: the same seed and config give the same records. */
    seed: z.int().min(0).max(4_294_967_295),
    /** First business day, local to each store. */
    from: z.iso.date({ error: 'expected an ISO date like "2026-11-01"' }),
    /** Number of business days simulated. */
    days: z.int().min(1).max(3660),
    stores: z.int().min(1).max(999),
    products: z.int().min(1).max(99_999),
    /** Loyalty members; defaults to 300 per store. */
    customers: z.int().min(1).max(9_999_999).optional(),
    /** Multiplies every store's footfall: 0.1 for light test data, 5 for load tests. */
    traffic: z.number().positive().max(100).default(1),
  })
  .strict();

/** What a caller passes to `createRetailSimulation`. */
export type SimulationConfigInput = z.input<typeof simulationConfigSchema>;
/** The validated configuration, with defaults filled in. */
export type SimulationConfig = z.output<typeof simulationConfigSchema> & { customers: number };

/** A simulation config field was missing or out of range. */
export class SimulationConfigError extends Error {
  override readonly name = "SimulationConfigError";
  constructor(
    /** The offending field, `"days"`. */
    readonly field: string,
    readonly reason: string,
    readonly value: unknown,
  ) {
    super(`simulation config: "${field}" ${reason} (got ${JSON.stringify(value) ?? "nothing"})`);
  }
}

/**
 * Validates a simulation config and fills its defaults.
 * @throws SimulationConfigError naming the first bad field.
 * @example
 * parseSimulationConfig({ seed: 42, from: "2026-11-01", days: 7, stores: 20, products: 2000 });
 */
export function parseSimulationConfig(input: unknown): SimulationConfig {
  const result = simulationConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field =
      issue?.code === "unrecognized_keys"
        ? String(issue.keys[0])
        : String(issue?.path[0] ?? "(config)");
    const value =
      input !== null && typeof input === "object"
        ? (input as Record<string, unknown>)[field]
        : input;
    const reason =
      issue?.code === "unrecognized_keys" ? "is not a config field" : (issue?.message ?? "invalid");
    throw new SimulationConfigError(field, reason, value);
  }
  const config = result.data;
  return { ...config, customers: config.customers ?? Math.max(50, config.stores * 300) };
}
