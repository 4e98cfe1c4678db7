import { dirname, join } from "node:path";
import { type EntitiesOption, isBuiltInEntity, registeredEntities } from "../entities/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import { renderDbtLayers } from "./render-dbt-layers.js";
import { renderEntityModels } from "./render-dbt-models.js";
import { renderDbtSources } from "./render-dbt-sources.js";
import { renderLegacyLayoutModels } from "./render-legacy-layout-models.js";
import { renderMigrationReconciliationModels } from "./render-migration-reconciliation.js";

/**
 * Every generated file of the dbt project, keyed by path: the sources at `sourcesPath`, the
 * bronze and silver property files in the `bronze/` and `silver/` folders beside it, and the
 * bronze and silver SQL models of each entity that is not built in (`renderEntityModels`), and
 * the models of each legacy layout under `legacy/<layout>/` (`renderLegacyLayoutModels`) with,
 * when there are layouts, the legacy side of the migration reconciliation
 * (`gold/fct_legacy_sale_lines.sql`, `renderMigrationReconciliationModels`).
 * @example
 * for (const [path, text] of Object.entries(renderDbtProjectFiles())) writeFileSync(path, text);
 */
export function renderDbtProjectFiles(
  sourcesPath = "dbt/models/_sources.yml",
  entities?: EntitiesOption["entities"],
  layouts: readonly LegacyLayout[] = [],
): Record<string, string> {
  const models = dirname(sourcesPath);
  const option = entities ? { entities } : {};
  const generated = registeredEntities(option)
    .filter((entity) => !isBuiltInEntity(entity.name))
    .flatMap((entity) => Object.entries(renderEntityModels(entity)));
  const legacy = layouts.flatMap((layout) =>
    Object.entries(renderLegacyLayoutModels(layout, entities ? { entities } : {})),
  );
  // Without layouts the project keeps the fct_legacy_sale_lines it has (the reference one: pos_fr).
  if (layouts.length > 0)
    legacy.push(...Object.entries(renderMigrationReconciliationModels(layouts)));
  return {
    [sourcesPath]: renderDbtSources(option),
    ...Object.fromEntries(
      [...Object.entries(renderDbtLayers(option)), ...generated, ...legacy].map(([path, text]) => [
        join(models, path),
        text,
      ]),
    ),
  };
}
