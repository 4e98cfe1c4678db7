import { isAbsolute, resolve } from "node:path";
import type { Entity } from "../entities/define-entity.js";
import { entities as builtInEntities, registeredEntities } from "../entities/index.js";
import { DEFAULT_LEGACY_LAYOUT, LEGACY_CSV_FEED } from "../pipeline/parallel-feed.js";
import { layoutTableProblems } from "../warehouse/raw-table.js";
import { ConfigError } from "./config-error.js";
import { type ConfigOutput, configSchema } from "./config-schema.js";

/** A checked config: defaults filled in, paths absolute, entities the built-ins plus the user's. */
export type ProjectConfig = Omit<ConfigOutput, "entities"> & {
  /** Every registered entity: the built-in ones, then the config's, in that order. */
  readonly entities: readonly Entity[];
  /** The entities the config added (not the built-ins). */
  readonly customEntities: readonly Entity[];
  /** The folder relative paths were resolved against: the config file's, else the working folder. */
  readonly root: string;
  /** The config file read, if any. */
  readonly file: string | undefined;
};

/**
 * Checks a config (what a config file exports) and resolves it: defaults, absolute paths,
 * the full entity list.
 * @throws ConfigError naming the key and what is allowed.
 * @example
 * const config = resolveConfig({ entities: [priceChange] }, { root: process.cwd() });
 * config.entities.map((e) => e.name); // ["store", ..., "stock_snapshot", "price_change"]
 */
export function resolveConfig(
  input: unknown,
  where: { readonly root: string; readonly file?: string | undefined },
): ProjectConfig {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = (issue?.path ?? []).map(String).join(".");
    if (issue?.code === "unrecognized_keys") {
      const allowed = allowedKeys(issue.path);
      throw new ConfigError(
        where.file,
        [key, issue.keys[0]].filter(Boolean).join("."),
        `is not a config key${allowed ? `; allowed: ${allowed}` : ""}`,
      );
    }
    throw new ConfigError(
      where.file,
      key,
      `${issue?.message ?? "invalid"}${got(input, issue?.path)}`,
    );
  }
  const config = result.data;
  const custom = customEntities(config.entities, where.file);
  config.generators.forEach((generator, i) => {
    if (!custom.some((e) => e.name === generator.entity.name)) {
      throw new ConfigError(
        where.file,
        `generators.${i}`,
        `generates "${generator.entity.name}", which is not in the config's entities; add it there`,
      );
    }
  });
  const entities = registeredEntities({ entities: custom });
  // A layout's RAW table beside the entities' (LEGACY.md section 2): one name, one table.
  const [clash] = layoutTableProblems(entities, config.layouts);
  if (clash) throw new ConfigError(where.file, `layouts.${clash.index}`, clash.problem);
  const legacyLayout = config.demo.legacyLayout;
  if (typeof legacyLayout === "string") {
    const known = [
      ...config.layouts.map((l) => l.name),
      DEFAULT_LEGACY_LAYOUT.name,
      LEGACY_CSV_FEED,
    ];
    if (!known.includes(legacyLayout))
      throw new ConfigError(
        where.file,
        "demo.legacyLayout",
        `${JSON.stringify(legacyLayout)} is not a layout of the config's layouts; allowed: ${[...new Set(known)].join(", ")}, or a layout made with defineLegacyLayout`,
      );
  }
  const at = (p: string) => (isAbsolute(p) ? p : resolve(where.root, p));
  return {
    ...config,
    entities,
    customEntities: custom,
    lake: { ...config.lake, path: at(config.lake.path) },
    warehouse: { ...config.warehouse, database: at(config.warehouse.database) },
    dbt: { ...config.dbt, project: at(config.dbt.project) },
    root: where.root,
    file: where.file,
  };
}

// A custom entity may not shadow a built-in (dbt's reference models read the built-ins' columns);
// re-listing a built-in is harmless and dropped.
function customEntities(list: readonly Entity[], file: string | undefined): Entity[] {
  const seen = new Map<string, Entity>();
  list.forEach((entity, i) => {
    const builtIn = (builtInEntities as Record<string, Entity>)[entity.name];
    if (builtIn) {
      if (JSON.stringify(builtIn.columns) !== JSON.stringify(entity.columns)) {
        throw new ConfigError(
          file,
          `entities.${i}`,
          `"${entity.name}" is a built-in entity; give yours another name`,
        );
      }
      return;
    }
    if (seen.has(entity.name)) {
      throw new ConfigError(file, `entities.${i}`, `"${entity.name}" is listed twice`);
    }
    seen.set(entity.name, entity);
  });
  return [...seen.values()];
}

function allowedKeys(path: readonly PropertyKey[]): string {
  let shape: unknown = configSchema.shape;
  for (const key of path) {
    const field = (shape as Record<string, { def?: { innerType?: unknown } }>)[String(key)];
    shape = unwrapShape(field);
  }
  return shape ? Object.keys(shape as object).join(", ") : "";
}

function unwrapShape(schema: unknown): unknown {
  let current = schema as { shape?: unknown; def?: { innerType?: unknown } } | undefined;
  while (current && !current.shape && current.def?.innerType) {
    current = current.def.innerType as typeof current;
  }
  return current?.shape;
}

function got(input: unknown, path: readonly PropertyKey[] | undefined): string {
  let value: unknown = input;
  for (const key of path ?? []) {
    if (value === null || typeof value !== "object") return "";
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  if (value === undefined) return "";
  if (typeof value === "object") return "";
  return `; got ${JSON.stringify(value)}`;
}
