import {
  createRetailSimulation,
  parseSimulationConfig,
  type RetailSimulation,
  type SimulationConfig,
  SimulationConfigError,
  type SimulationConfigInput,
  type SimulationOptions,
} from "../generators/index.js";
import { UsageError } from "./usage-error.js";

// Every config field is set by the option of the same name (`from` by `--from`).
function asUsageError(error: unknown): unknown {
  return error instanceof SimulationConfigError
    ? new UsageError(`--${error.field}: ${error.reason}; got ${JSON.stringify(error.value)}`)
    : error;
}

/** The simulation the options describe, or a `UsageError` naming the option at fault. */
export function simulationOption(
  config: SimulationConfigInput,
  options: SimulationOptions = {},
): RetailSimulation {
  try {
    return createRetailSimulation(config, options);
  } catch (error) {
    throw asUsageError(error);
  }
}

/** Checks the simulation options without building the simulation; a `UsageError` if wrong. */
export function simulationConfigOption(config: unknown): SimulationConfig {
  try {
    return parseSimulationConfig(config);
  } catch (error) {
    throw asUsageError(error);
  }
}
