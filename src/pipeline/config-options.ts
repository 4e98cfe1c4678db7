import { dirname } from "node:path";
import type { ProjectConfig } from "../config/index.js";
import {
  DEFAULT_LEGACY_LAYOUT,
  LEGACY_CSV_FEED,
  type LegacyLayoutOption,
} from "./parallel-feed.js";
import type { LocalPipelineOptions } from "./pipeline-options.js";

/**
 * What a project config says about a local run: the simulation defaults, the lake (folder and
 * format), the warehouse file (the report and dbt log beside it) and its ON_ERROR, the dbt
 * project, every registered entity, the generators of your own, the legacy layouts the pipe
 * loads, and the demo's parallel run (`demo.legacyLayout`, `demo.legacyDefects`). Spread your
 * own options after it: they win.
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
    legacyDefects: config.demo.legacyDefects,
    legacyLayout: configLegacyLayout(config),
  });
}

/** `demo.legacyLayout` of a config: a name found in `layouts` first, then the shipped ones. */
function configLegacyLayout(config: ProjectConfig): LegacyLayoutOption | undefined {
  const wanted = config.demo.legacyLayout;
  if (typeof wanted !== "string") return wanted;
  if (wanted === LEGACY_CSV_FEED) return LEGACY_CSV_FEED;
  // resolveConfig has checked the name is one of these.
  return config.layouts.find((l) => l.name === wanted) ?? DEFAULT_LEGACY_LAYOUT;
}

/** Drops the keys set to `undefined`, so spreading the result keeps the defaults. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
