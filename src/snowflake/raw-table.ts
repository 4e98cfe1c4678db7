import type { Entity } from "../entities/index.js";
import { DdlError } from "./ddl-error.js";
import { ident, type QualifiedName, qualified } from "./ident.js";
import { literal } from "./literal.js";
import { snowflakeType } from "./snowflake-type.js";
import { indent, layout } from "./statement-layout.js";

/** One column of a table. */
export interface TableColumn {
  readonly name: string;
  /** Snowflake type text: `VARCHAR`, `NUMBER(12,2)`, `TIMESTAMP_NTZ`... */
  readonly type: string;
  readonly nullable: boolean;
  readonly comment?: string;
  /** The column holds personal data: a masking policy is applied to it. */
  readonly pii?: boolean;
}

/** `CREATE TABLE IF NOT EXISTS`, as data. */
export interface TableNode {
  readonly kind: "table";
  readonly name: QualifiedName;
  readonly columns: readonly TableColumn[];
  readonly comment?: string;
}

/** The load metadata every RAW table ends with, and the Snowpipe metadata column filling it. */
export const snowpipeMetadataColumns = [
  {
    name: "_source_file",
    type: "VARCHAR",
    source: "METADATA$FILENAME",
    description: "Path of the lake file the row was loaded from, relative to the stage.",
  },
  {
    name: "_source_row",
    type: "NUMBER(38,0)",
    source: "METADATA$FILE_ROW_NUMBER",
    description: "Row number of the record in its file, from 1.",
  },
  {
    name: "_loaded_at",
    type: "TIMESTAMP_LTZ",
    source: "METADATA$START_SCAN_TIME",
    description: "When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews).",
  },
] as const;

const TYPE = /^[A-Z][A-Z_]*(\(\d{1,2}(,\d{1,2})?\))?$/;

/** Immutable builder of a table. */
export class TableBuilder {
  constructor(private readonly node: TableNode) {}
  column(column: TableColumn): TableBuilder {
    ident(column.name, { fold: true });
    if (!TYPE.test(column.type)) {
      throw new DdlError(`type ${JSON.stringify(column.type)} is not a Snowflake type name`, {
        object: "table",
        name: this.node.name.name,
        field: column.name,
      });
    }
    if (this.node.columns.some((c) => c.name.toUpperCase() === column.name.toUpperCase())) {
      throw new DdlError("duplicate column", {
        object: "table",
        name: this.node.name.name,
        field: column.name,
      });
    }
    return new TableBuilder({ ...this.node, columns: [...this.node.columns, column] });
  }
  comment(text: string): TableBuilder {
    return new TableBuilder({ ...this.node, comment: text });
  }
  toNode(): TableNode {
    if (this.node.columns.length === 0)
      throw new DdlError("a table needs columns", { object: "table", name: this.node.name.name });
    return this.node;
  }
}

/**
 * Starts a table. Column names are folded to upper case (`sold_at` is `SOLD_AT`), the way
 * dbt and SQL users write them unquoted.
 * @example
 * createTable({ database: "RETAIL", schema: "RAW", name: "T" }).column({ name: "id", type: "VARCHAR", nullable: false })
 */
export function createTable(name: QualifiedName): TableBuilder {
  qualified(name);
  return new TableBuilder({ kind: "table", name, columns: [] });
}

/** Where the RAW tables live. */
export interface RawLocation {
  readonly database: string;
  readonly schema: string;
}

/** The RAW table name of an entity's feed: `SALE_LINE`, or `SALE_LINE_LEGACY`. */
export function rawTableName(
  entity: Pick<Entity, "name">,
  at: RawLocation,
  feed: "data" | "legacy" = "data",
): QualifiedName {
  return {
    database: at.database,
    schema: at.schema,
    name: feed === "legacy" ? `${entity.name}_legacy` : entity.name,
  };
}

/**
 * The RAW table of an entity: its columns with their Snowflake types and NOT NULL where the
 * entity says so, then the load metadata columns. A legacy feed's table has every column
 * VARCHAR and nullable: legacy text is loaded as sent and parsed in silver, so a bad date
 * never makes Snowpipe skip a legacy file.
 * @example
 * snowflakeRawTable(saleLine, { database: "RETAIL", schema: "RAW" }).toNode()
 */
export function snowflakeRawTable(
  entity: Entity,
  at: RawLocation,
  feed: "data" | "legacy" = "data",
): TableBuilder {
  let table = createTable(rawTableName(entity, at, feed)).comment(
    feed === "legacy"
      ? `Legacy flat-file feed of ${entity.name}, loaded as text by Snowpipe. ${entity.description}`
      : `${entity.description} Loaded by Snowpipe from the lake.`,
  );
  for (const c of entity.columns) {
    table = table.column({
      name: c.name,
      type: feed === "legacy" ? "VARCHAR" : snowflakeType(c.type),
      nullable: feed === "legacy" || c.nullable,
      comment: c.description,
      pii: c.pii,
    });
  }
  for (const m of snowpipeMetadataColumns) {
    table = table.column({
      name: m.name,
      type: m.type,
      nullable: false,
      comment: `${m.description} (${m.source})`,
    });
  }
  return table;
}

/** Renders a table node. */
export function renderTable(node: TableNode): string {
  const columns = node.columns.map(
    (c, i) =>
      `${ident(c.name, { fold: true })} ${c.type}${c.nullable ? "" : " NOT NULL"}${c.comment !== undefined ? ` COMMENT ${literal(c.comment)}` : ""}${i < node.columns.length - 1 ? "," : ""}`,
  );
  return layout(
    `CREATE TABLE IF NOT EXISTS ${qualified(node.name)} (\n${indent(columns.join("\n"))}\n)`,
    [node.comment !== undefined && `COMMENT = ${literal(node.comment)}`],
  );
}
