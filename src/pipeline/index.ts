/**
 * pipeline: the local pipeline as a library function. `runLocalPipeline` runs generate ->
 * quality -> lake -> pipe -> dbt -> report with typed progress events and an AbortSignal;
 * `retail-mds demo` and examples/local-pipeline are thin shells over it. See docs/pipeline.md.
 * @module
 */

export { configPipelineOptions } from "./config-options.js";
export {
  DEFAULT_LEGACY_LAYOUT,
  LEGACY_CSV_FEED,
  type LegacyLayoutOption,
  legacyLayoutProblem,
} from "./parallel-feed.js";
export type {
  DbtOutcome,
  LandCounts,
  PipelineEvent,
  PipelineRunControl,
  PipelineStage,
  RefreshCounts,
} from "./pipeline-event.js";
export { LOCAL_PIPELINE_DEFAULTS, type LocalPipelineOptions } from "./pipeline-options.js";
export type { LegacySummary } from "./report-stage.js";
export { type LocalPipelineResult, runLocalPipeline } from "./run-local-pipeline.js";
