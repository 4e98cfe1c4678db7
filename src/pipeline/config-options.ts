import { dirname } from "node:path";
import type { ProjectConfig } from "../config/index.js";
import type { LocalPipelineOptions } from "./pipeline-options.js";

/**
 * What a project config says about a local run: the simulation defaults, the lake (folder and
 * format), the warehouse file (the report and dbt log beside it) and its ON_ERROR, the dbt
 * project, every registered entity, the generators of your own and the legacy layouts. Spread your own options after it: they win.
 * @example
 * const config = await loadConfig();
 * await runLocalPipeline({ ...configPipelineOptions(config), days: 1 });
 */
export function configPipelineOptions(config: ProjectConfig): LocalPipelineOptions {
  const { seed, from, days, stores, products } = config.simulation;
  return withoutUndefined({
    seed,
    from,
    days,
    stores,
    products,
    lake: config.lake.path,
    format: config.lake.format,
    warehouse: dirname(config.warehouse.database),
    database: config.warehouse.database,
    onError: config.warehouse.onError,
    dbtProject: config.dbt.project,
    entities: config.entities,
    generators: config.generators.length ? config.generators : undefined,
    layouts: config.layouts.length ? config.layouts : undefined,
  });
}

/** Drops the keys set to `undefined`, so spreading the result keeps the defaults. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
