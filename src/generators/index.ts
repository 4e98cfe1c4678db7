/**
 * generators: a seeded, deterministic retail simulation (stores, assortment, footfall,
 * promotions, baskets, returns, loyalty, replenishment) yielding validated entity batches, a
 * stateless `tick()` for continuous windows, and a legacy-feed converter that injects declared
 * defects with a side manifest. See docs/generators.md.
 * @module
 */
export {
  type CheckpointStore,
  checkpointFolder,
  latestSimulationCheckpoint,
  saveSimulationCheckpoint,
} from "./checkpoint-store.js";
export {
  DEFECT_KINDS,
  type DefectEntry,
  type DefectKind,
  PRICE_BUG,
} from "./defect-kind.js";
export {
  defineGenerator,
  type EntityGenerator,
  type GeneratorContext,
  GeneratorWindowError,
  type SimulatedPromotion,
  type StoreBusinessDay,
} from "./define-generator.js";
export {
  createLegacyFeed,
  type LegacyBatch,
  type LegacyFeed,
  type LegacyFeedOptions,
  LegacyFeedOptionsError,
  latin1AsUtf8,
  toLegacyFeed,
} from "./legacy-feed.js";
export { hashString, Rng, streamFor } from "./prng.js";
export {
  type BatchOptions,
  type CheckpointOptions,
  type ColumnarBatchOptions,
  createRetailSimulation,
  type ReferenceBatch,
  type RetailSimulation,
  type SimulationBatch,
  type SimulationColumnBatch,
  type SimulationOptions,
} from "./retail-simulation.js";
export { estimateRun, type RunEstimate, type RunEstimateOptions } from "./run-estimate.js";
export {
  parseSimulationCheckpoint,
  SIMULATION_MODEL_VERSION,
  type SimulationCheckpoint,
  SimulationCheckpointError,
  simulationCheckpointBytes,
  simulationCheckpointSchema,
  simulationFingerprint,
} from "./simulation-checkpoint.js";
export {
  parseSimulationConfig,
  type SimulationConfig,
  SimulationConfigError,
  type SimulationConfigInput,
  simulationConfigSchema,
} from "./simulation-config.js";
export { parseTextRow, type TextRow, toTextRow } from "./text-row.js";
export { TickWindowError } from "./tick-window.js";
export { GeneratedRecordError } from "./validate-records.js";
export {
  type SimulationProgress,
  type SimulationWriteResult,
  type WriteSimulationOptions,
  writeSimulation,
} from "./write-simulation.js";
