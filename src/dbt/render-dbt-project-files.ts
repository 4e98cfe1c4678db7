import { dirname, join } from "node:path";
import type { Entity } from "../entities/index.js";
import { renderDbtLayers } from "./render-dbt-layers.js";
import { renderDbtSources } from "./render-dbt-sources.js";

/**
 * Every generated file of the dbt project, keyed by path: the sources at `sourcesPath`, and the
 * bronze and silver property files in the `bronze/` and `silver/` folders beside it.
 * @example
 * for (const [path, text] of Object.entries(renderDbtProjectFiles())) writeFileSync(path, text);
 */
export function renderDbtProjectFiles(
  sourcesPath = "dbt/models/_sources.yml",
  entities?: readonly Entity[],
): Record<string, string> {
  const models = dirname(sourcesPath);
  const layers = renderDbtLayers(entities ? { entities } : {});
  return {
    [sourcesPath]: renderDbtSources(entities ? { entities } : {}),
    ...Object.fromEntries(Object.entries(layers).map(([path, text]) => [join(models, path), text])),
  };
}
