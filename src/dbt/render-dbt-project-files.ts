import { dirname, join } from "node:path";
import { type EntitiesOption, isBuiltInEntity, registeredEntities } from "../entities/index.js";
import { renderDbtLayers } from "./render-dbt-layers.js";
import { renderEntityModels } from "./render-dbt-models.js";
import { renderDbtSources } from "./render-dbt-sources.js";

/**
 * Every generated file of the dbt project, keyed by path: the sources at `sourcesPath`, the
 * bronze and silver property files in the `bronze/` and `silver/` folders beside it, and the
 * bronze and silver SQL models of each entity that is not built in (`renderEntityModels`).
 * @example
 * for (const [path, text] of Object.entries(renderDbtProjectFiles())) writeFileSync(path, text);
 */
export function renderDbtProjectFiles(
  sourcesPath = "dbt/models/_sources.yml",
  entities?: EntitiesOption["entities"],
): Record<string, string> {
  const models = dirname(sourcesPath);
  const option = entities ? { entities } : {};
  const generated = registeredEntities(option)
    .filter((entity) => !isBuiltInEntity(entity.name))
    .flatMap((entity) => Object.entries(renderEntityModels(entity)));
  return {
    [sourcesPath]: renderDbtSources(option),
    ...Object.fromEntries(
      [...Object.entries(renderDbtLayers(option)), ...generated].map(([path, text]) => [
        join(models, path),
        text,
      ]),
    ),
  };
}
