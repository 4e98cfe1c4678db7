/**
 * dbt: renders the dbt sources of the reference project (dbt/) from the entities, so the RAW
 * tables, their types and their docs are stated once. See docs/dbt.md.
 * @module
 */

export { type DbtLayerFiles, type DbtLayersOptions, renderDbtLayers } from "./render-dbt-layers.js";
export { rejectedColumns, renderEntityModels } from "./render-dbt-models.js";
export { renderDbtProjectFiles } from "./render-dbt-project-files.js";
export {
  DbtSourceNameError,
  type DbtSourcesOptions,
  type FreshnessHours,
  loadMetadataColumns,
  physicalType,
  renderDbtSources,
} from "./render-dbt-sources.js";
export {
  type LegacyModelsOptions,
  renderLegacyLayoutModels,
} from "./render-legacy-layout-models.js";
export {
  LEGACY_SALE_LINES_MODEL,
  renderMigrationReconciliationModels,
} from "./render-migration-reconciliation.js";
