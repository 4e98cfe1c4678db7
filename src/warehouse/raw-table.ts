import type { Entity } from "../entities/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import { duckdbType, sqlIdentifier, sqlTable } from "./duckdb-sql.js";

/** Schema holding one RAW table per entity, as the dbt sources expect. */
export const RAW_SCHEMA = "raw";

/**
 * The load metadata every RAW row carries, named as in the Snowflake RAW tables and filled like
 * METADATA$FILENAME, METADATA$FILE_ROW_NUMBER (1-based) and METADATA$START_SCAN_TIME.
 */
export const METADATA_COLUMNS = [
  { name: "_source_file", type: "VARCHAR" },
  { name: "_source_row", type: "BIGINT" },
  { name: "_loaded_at", type: "TIMESTAMP" },
] as const;

/** Which stream a table receives: typed records, or legacy flat-file text kept as VARCHAR. */
export type RawFeed = "data" | "legacy";

/** A RAW table: where it is and the DuckDB type of each entity column. */
export interface RawTable {
  readonly entity: Entity;
  readonly feed: RawFeed;
  readonly schema: string;
  readonly name: string;
  /** Entity columns in order with their DuckDB types (all VARCHAR on the legacy feed). */
  readonly columns: readonly {
    readonly name: string;
    readonly type: string;
    readonly logical: Entity["columns"][number];
  }[];
}

/** The RAW table of an entity: `raw.<entity>`, or `raw.<entity>_legacy` with every column VARCHAR. */
export function rawTable(entity: Entity, feed: RawFeed = "data"): RawTable {
  return {
    entity,
    feed,
    schema: RAW_SCHEMA,
    name: feed === "legacy" ? `${entity.name}_legacy` : entity.name,
    columns: entity.columns.map((logical) => ({
      name: logical.name,
      type: feed === "legacy" ? "VARCHAR" : duckdbType(logical.type),
      logical,
    })),
  };
}

/**
 * The RAW table of a legacy layout, `raw.legacy_<layout>`: one row per physical line of a file
 * landed under `legacy_raw/<layout>/`, the line as text in `line_text` (see `rawLegacyLines`).
 * Everything else the layout says is read by dbt from that text.
 */
export interface LegacyRawTable {
  readonly layout: LegacyLayout;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly [{ readonly name: "line_text"; readonly type: "VARCHAR" }];
}

/** `raw.legacy_<layout>` for a layout. */
export function legacyRawTable(layout: LegacyLayout): LegacyRawTable {
  return {
    layout,
    schema: RAW_SCHEMA,
    name: `legacy_${layout.name}`,
    columns: [{ name: "line_text", type: "VARCHAR" }],
  };
}

/** Whether a table is a layout's (rows are lines) rather than an entity's (rows are records). */
export function isLegacyRawTable(table: RawTable | LegacyRawTable): table is LegacyRawTable {
  return "layout" in table;
}

/**
 * Why these layouts cannot have their RAW tables beside these entities' (a layout listed twice,
 * or `raw.legacy_<layout>` already an entity's `raw.<entity>` or `raw.<entity>_legacy`), by the
 * layout's index, each problem naming the layout; empty when they can.
 */
export function layoutTableProblems(
  entities: readonly Entity[],
  layouts: readonly LegacyLayout[],
): { readonly index: number; readonly layout: string; readonly problem: string }[] {
  const owners = new Map<string, string>();
  for (const entity of entities)
    for (const feed of ["data", "legacy"] as const)
      owners.set(rawTable(entity, feed).name, entity.name);
  const seen = new Set<string>();
  return layouts.flatMap((layout, index) => {
    const table = legacyRawTable(layout).name;
    const owner = owners.get(table);
    const problem = seen.has(layout.name)
      ? `layout "${layout.name}" is listed twice`
      : owner
        ? `layout "${layout.name}" loads into ${RAW_SCHEMA}.${table} (${RAW_SCHEMA.toUpperCase()}.${table.toUpperCase()} on Snowflake), the RAW table of entity "${owner}": rename the layout or the entity`
        : undefined;
    seen.add(layout.name);
    return problem ? [{ index, layout: layout.name, problem }] : [];
  });
}

/**
 * `CREATE TABLE IF NOT EXISTS` for a RAW table (an entity's or a layout's). Columns are nullable, as in the Snowflake RAW
 * layer: the load enforces types, the dbt tests enforce keys and not-nulls.
 * @example
 * rawTableSql(rawTable(entities.store)); // create table if not exists "raw"."store" (...)
 */
export function rawTableSql(
  table: Pick<RawTable | LegacyRawTable, "schema" | "name" | "columns">,
): string {
  const columns = [...table.columns, ...METADATA_COLUMNS].map(
    (c) => `  ${sqlIdentifier(c.name)} ${c.type}`,
  );
  return `create table if not exists ${sqlTable(table.schema, table.name)} (\n${columns.join(",\n")}\n)`;
}
