import type { Entity } from "../entities/index.js";
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
 * `CREATE TABLE IF NOT EXISTS` for a RAW table. Columns are nullable, as in the Snowflake RAW
 * layer: the load enforces types, the dbt tests enforce keys and not-nulls.
 * @example
 * rawTableSql(rawTable(entities.store)); // create table if not exists "raw"."store" (...)
 */
export function rawTableSql(table: RawTable): string {
  const columns = [...table.columns, ...METADATA_COLUMNS].map(
    (c) => `  ${sqlIdentifier(c.name)} ${c.type}`,
  );
  return `create table if not exists ${sqlTable(table.schema, table.name)} (\n${columns.join(",\n")}\n)`;
}
