import { z } from "zod";
import { dayNumber, LAST_DATE } from "./calendar.js";

/**
 * The business days a run may cover. A store's day runs local midnight to midnight, up to a few
 * hours either side of UTC (Guadeloupe is 4 h behind, Paris up to 2 h ahead), and every instant
 * of the period must be a timestamp of years 1-9999: so the day before the first and the day
 * after the last representable date stay out.
 */
export const FIRST_BUSINESS_DAY = "0001-01-02";
export const LAST_BUSINESS_DAY = "9999-12-30";

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
    /**
     * Simulate only the stores of shard `index` of `count` (1-based): the stores whose 0-based
     * index modulo `count` is `index - 1` (`S001` in shard 1, `S002` in shard 2, ...). The
     * shard's events are exactly the whole chain's events of its stores; `generate()` yields the
     * reference data in shard 1 only. See docs/generators.md, "Sharded generation".
     */
    shard: z
      .strictObject({ index: z.int().min(1).max(999), count: z.int().min(1).max(999) })
      .optional(),
  })
  .strict();

// The period's bounds, on top of each field's range. Kept off `simulationConfigSchema` itself,
// which stays a plain object schema that a project config can make partial.
const periodCheckedSchema = simulationConfigSchema.superRefine((config, context) => {
  if (config.shard && config.shard.index > config.shard.count) {
    context.addIssue({
      code: "custom",
      path: ["shard"],
      message: `index must be 1..count (${config.shard.count})`,
    });
  } else if (config.shard && config.shard.count > config.stores) {
    context.addIssue({
      code: "custom",
      path: ["shard"],
      message: `count must be at most stores (${config.stores}): a shard needs a store`,
    });
  }
  if (config.from < FIRST_BUSINESS_DAY) {
    context.addIssue({
      code: "custom",
      path: ["from"],
      message: `must be ${FIRST_BUSINESS_DAY} or later (the first day starts before year 1 in UTC otherwise)`,
    });
    return;
  }
  const most = dayNumber(LAST_BUSINESS_DAY) - dayNumber(config.from) + 1;
  if (most < 1) {
    context.addIssue({
      code: "custom",
      path: ["from"],
      message: `must be ${LAST_BUSINESS_DAY} or earlier (the period must end by ${LAST_DATE} in UTC)`,
    });
  } else if (config.days > most) {
    context.addIssue({
      code: "custom",
      path: ["days"],
      message: `must be at most ${most} from ${config.from}: the last business day allowed is ${LAST_BUSINESS_DAY} (the period must end by ${LAST_DATE} in UTC)`,
    });
  }
});

/** Whether the store at `storeIndex` (0-based) is simulated by the config's shard, if any. */
export function inShard(config: Pick<SimulationConfig, "shard">, storeIndex: number): boolean {
  return !config.shard || storeIndex % config.shard.count === config.shard.index - 1;
}

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
  const result = periodCheckedSchema.safeParse(input);
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
