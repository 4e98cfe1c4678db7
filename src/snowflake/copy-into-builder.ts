import type { Entity } from "../entities/index.js";
import { DdlError } from "./ddl-error.js";
import { ident, type QualifiedName, qualified } from "./ident.js";
import { literal } from "./literal.js";
import { entityFilePattern, type LakeDataFormat } from "./pipe-pattern.js";
import { type RawLocation, rawTableName, snowpipeMetadataColumns } from "./raw-table.js";
import { snowflakeType } from "./snowflake-type.js";
import { indent } from "./statement-layout.js";

/** Where a loaded column's value comes from in a staged file. */
export type CopySource =
  /** A field of a Parquet record, cast to the column's type: `$1:sold_at::TIMESTAMP_NTZ`. */
  | { readonly kind: "field"; readonly field: string; readonly cast: string }
  /** A CSV column by position, from 1, optionally cast: `$3`, `$3::DATE`. */
  | { readonly kind: "position"; readonly position: number; readonly cast?: string }
  /** A Snowpipe metadata column: `METADATA$FILENAME`. */
  | {
      readonly kind: "metadata";
      readonly name:
        | "METADATA$FILENAME"
        | "METADATA$FILE_ROW_NUMBER"
        | "METADATA$START_SCAN_TIME"
        | "METADATA$FILE_LAST_MODIFIED"
        | "METADATA$FILE_CONTENT_KEY";
    };

/** ON_ERROR values: `SKIP_FILE` is Snowpipe's default and ours: a bad file is skipped whole. */
export type SnowpipeOnError =
  | "CONTINUE"
  | "SKIP_FILE"
  | `SKIP_FILE_${number}`
  | `SKIP_FILE_${number}%`
  | "ABORT_STATEMENT";

/** Copy options. Some are for a one-off COPY only; a pipe rejects those. */
export interface CopyOptions {
  readonly onError?: SnowpipeOnError;
  readonly purge?: boolean;
  readonly files?: readonly string[];
  readonly validationMode?: "RETURN_ERRORS" | "RETURN_ALL_ERRORS" | `RETURN_${number}_ROWS`;
  readonly sizeLimit?: number;
  readonly returnFailedOnly?: boolean;
  readonly force?: boolean;
}

/** `COPY INTO <table> (columns) FROM (SELECT ... FROM @stage/path/)`, as data. */
export interface CopyNode {
  readonly kind: "copy";
  readonly table: QualifiedName;
  readonly columns: readonly { readonly column: string; readonly source: CopySource }[];
  readonly stage: QualifiedName;
  /** Folder below the stage URL, `sale_line/`. */
  readonly path: string;
  readonly pattern?: string;
  readonly fileFormat: QualifiedName;
  readonly options: CopyOptions;
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PATH = /^([A-Za-z0-9_=.-]+\/)*$/;
const ON_ERROR = /^(CONTINUE|SKIP_FILE|SKIP_FILE_\d+%?|ABORT_STATEMENT)$/;
const VALIDATION = /^(RETURN_ERRORS|RETURN_ALL_ERRORS|RETURN_\d+_ROWS)$/;

/** Immutable builder of a COPY INTO statement with a column list and a SELECT transform. */
export class CopyIntoBuilder {
  constructor(private readonly node: CopyNode) {}
  private fail(field: string, message: string): never {
    throw new DdlError(message, { object: "copy into", name: this.node.table.name, field });
  }
  /** Loads `column` from `source`. */
  column(column: string, source: CopySource): CopyIntoBuilder {
    ident(column, { fold: true });
    if (source.kind === "field" && !FIELD.test(source.field))
      this.fail(column, `field ${JSON.stringify(source.field)} is not a plain name`);
    if (source.kind === "field" && !/^[A-Z][A-Z_]*(\(\d{1,2}(,\d{1,2})?\))?$/.test(source.cast))
      this.fail(column, `cast ${JSON.stringify(source.cast)} is not a type`);
    if (source.kind === "position" && (!Number.isInteger(source.position) || source.position < 1))
      this.fail(column, "a position counts from 1");
    return new CopyIntoBuilder({
      ...this.node,
      columns: [...this.node.columns, { column, source }],
    });
  }
  /** PATTERN: a regular expression the staged path must match. */
  pattern(regex: string): CopyIntoBuilder {
    try {
      new RegExp(regex);
    } catch {
      this.fail("PATTERN", `${JSON.stringify(regex)} is not a regular expression`);
    }
    return new CopyIntoBuilder({ ...this.node, pattern: regex });
  }
  options(options: CopyOptions): CopyIntoBuilder {
    const o = { ...this.node.options, ...options };
    if (o.onError !== undefined && !ON_ERROR.test(o.onError))
      this.fail("ON_ERROR", `${JSON.stringify(o.onError)} is not an ON_ERROR value`);
    if (o.validationMode !== undefined && !VALIDATION.test(o.validationMode))
      this.fail("VALIDATION_MODE", `${JSON.stringify(o.validationMode)} is not a validation mode`);
    if (o.sizeLimit !== undefined && (!Number.isInteger(o.sizeLimit) || o.sizeLimit < 1))
      this.fail("SIZE_LIMIT", "must be a positive whole number of bytes");
    return new CopyIntoBuilder({ ...this.node, options: o });
  }
  toNode(): CopyNode {
    if (this.node.columns.length === 0) this.fail("columns", "a COPY needs at least one column");
    return this.node;
  }
}

/**
 * Starts `COPY INTO table FROM @stage/path/`, the file format named.
 * @example
 * copyInto(table, stage, "sale_line/", fileFormat).column("sale_id", { kind: "position", position: 1 }).toNode()
 */
export function copyInto(
  table: QualifiedName,
  stage: QualifiedName,
  path: string,
  fileFormat: QualifiedName,
): CopyIntoBuilder {
  qualified(table);
  qualified(stage);
  qualified(fileFormat);
  if (!PATH.test(path) || path.split("/").some((s) => s === "." || s === "..")) {
    throw new DdlError(
      `stage path ${JSON.stringify(path)} must be folders of letters, digits, _ = . - each ending with /`,
      {
        object: "copy into",
        name: table.name,
        field: "path",
      },
    );
  }
  return new CopyIntoBuilder({
    kind: "copy",
    table,
    columns: [],
    stage,
    path,
    fileFormat,
    options: {},
  });
}

/** What an entity's pipe loads: its feed, the lake format, and where things are. */
export interface EntityCopySpec extends RawLocation {
  readonly feed: "data" | "legacy";
  readonly format: LakeDataFormat;
  readonly stage: QualifiedName;
  readonly fileFormat: QualifiedName;
}

/**
 * The COPY of an entity's files into its RAW table: every column by name (Parquet and NDJSON,
 * cast to its type; NDJSON decimals arrive as strings and are cast the same way) or by position
 * (CSV, in entity order, as the lake writes it), then the load metadata. Files are matched by the
 * lake's own naming (`entityFilePattern`).
 * @example
 * entityCopy(saleLine, { database: "RETAIL", schema: "RAW", feed: "data", format: "parquet", stage, fileFormat }).toNode()
 */
export function entityCopy(entity: Entity, spec: EntityCopySpec): CopyIntoBuilder {
  const prefix = spec.feed === "legacy" ? "legacy/" : "";
  let copy = copyInto(
    rawTableName(entity, spec, spec.feed),
    spec.stage,
    `${prefix}${entity.name}/`,
    spec.fileFormat,
  ).pattern(entityFilePattern(entity, spec.feed, spec.format));
  entity.columns.forEach((c, i) => {
    copy = copy.column(
      c.name,
      spec.feed === "data" && spec.format !== "csv"
        ? { kind: "field", field: c.name, cast: snowflakeType(c.type) }
        : spec.feed === "legacy"
          ? { kind: "position", position: i + 1 }
          : { kind: "position", position: i + 1, cast: snowflakeType(c.type) },
    );
  });
  for (const m of snowpipeMetadataColumns)
    copy = copy.column(m.name, { kind: "metadata", name: m.source });
  return copy.options({ onError: "SKIP_FILE" });
}

// A UTC instant must land as its UTC wall time whatever the TIMEZONE parameter: a Parquet
// timestamp with isAdjustedToUTC reads as TIMESTAMP_LTZ, and a direct ::TIMESTAMP_NTZ would
// render it in the session's zone. Going through TIMESTAMP_TZ and CONVERT_TIMEZONE('UTC')
// pins it (CSV text ends in Z, so it parses to the same instant).
function castTo(expression: string, type: string): string {
  return type === "TIMESTAMP_NTZ"
    ? `CONVERT_TIMEZONE('UTC', ${expression}::TIMESTAMP_TZ)::TIMESTAMP_NTZ`
    : `${expression}::${type}`;
}

/**
 * Renders the expression that reads one column from a staged record; `record` stands for the
 * record (`$1` in a COPY), so the same expressions can be tried on a VARIANT elsewhere.
 * @example
 * renderCopySource({ kind: "field", field: "net_amount", cast: "NUMBER(12,2)" }) // $1:net_amount::NUMBER(12,2)
 */
export function renderCopySource(source: CopySource, record = "$1"): string {
  switch (source.kind) {
    case "field":
      return castTo(`${record}:${source.field}`, source.cast);
    case "position":
      return source.cast === undefined
        ? `$${source.position}`
        : castTo(`$${source.position}`, source.cast);
    case "metadata":
      return source.name;
  }
}

/** Renders a COPY node, without a trailing semicolon (a pipe embeds it). */
export function renderCopy(node: CopyNode): string {
  const o = node.options;
  const columns = node.columns.map((c) => ident(c.column, { fold: true }));
  const select = node.columns.map(
    (c, i) => `${renderCopySource(c.source)}${i < node.columns.length - 1 ? "," : ""}`,
  );
  return [
    `COPY INTO ${qualified(node.table)} (`,
    indent(columns.join(",\n")),
    ")",
    "FROM (",
    indent(`SELECT\n${indent(select.join("\n"))}\nFROM @${qualified(node.stage)}/${node.path}`),
    ")",
    ...[
      node.pattern !== undefined && `PATTERN = ${literal(node.pattern)}`,
      `FILE_FORMAT = (FORMAT_NAME = ${literal(qualified(node.fileFormat))})`,
      o.files && `FILES = (${o.files.map(literal).join(", ")})`,
      o.onError && `ON_ERROR = ${o.onError}`,
      o.sizeLimit !== undefined && `SIZE_LIMIT = ${o.sizeLimit}`,
      o.purge !== undefined && `PURGE = ${o.purge ? "TRUE" : "FALSE"}`,
      o.returnFailedOnly !== undefined &&
        `RETURN_FAILED_ONLY = ${o.returnFailedOnly ? "TRUE" : "FALSE"}`,
      o.force !== undefined && `FORCE = ${o.force ? "TRUE" : "FALSE"}`,
      o.validationMode && `VALIDATION_MODE = ${o.validationMode}`,
    ].filter((c): c is string => typeof c === "string"),
  ].join("\n");
}
