import { DdlError } from "./ddl-error.js";
import { type QualifiedName, qualified } from "./ident.js";
import { literal } from "./literal.js";
import { layout } from "./statement-layout.js";

/** CSV options, named after the Snowflake file format options they set. */
export interface CsvOptions {
  /** `skip`: SKIP_HEADER = 1 (columns by position); `parse`: PARSE_HEADER = TRUE (by name). */
  readonly header: "skip" | "parse" | "none";
  readonly delimiter: string;
  /** FIELD_OPTIONALLY_ENCLOSED_BY: `"` or `'`, or none. */
  readonly enclosure: '"' | "'" | undefined;
  /** Texts read as NULL (NULL_IF); empty by default: an empty unquoted field is NULL anyway. */
  readonly nullIf: readonly string[];
  /** EMPTY_FIELD_AS_NULL: an empty unquoted field is NULL, `""` stays an empty string. */
  readonly emptyFieldAsNull: boolean;
  readonly encoding: string;
  readonly compression: "AUTO" | "GZIP" | "NONE";
  readonly errorOnColumnCountMismatch: boolean;
}

/** `CREATE FILE FORMAT IF NOT EXISTS`, as data. */
export type FileFormatNode =
  | {
      readonly kind: "file-format";
      readonly name: QualifiedName;
      readonly type: "CSV";
      readonly csv: CsvOptions;
      readonly comment?: string;
    }
  | {
      readonly kind: "file-format";
      readonly name: QualifiedName;
      readonly type: "PARQUET";
      readonly compression: "AUTO" | "SNAPPY" | "NONE";
      readonly comment?: string;
    }
  | {
      readonly kind: "file-format";
      readonly name: QualifiedName;
      readonly type: "JSON";
      readonly compression: "AUTO" | "GZIP" | "NONE";
      readonly comment?: string;
    }
  | LinesFileFormatNode;

/**
 * A CSV file format that reads every line whole, as one text field (TYPE = CSV with no field
 * delimiter, no enclosure, no escape, nothing read as NULL): what a legacy layout's RAW table
 * is loaded with, so that Snowflake only decodes and splits lines and dbt parses the rest.
 */
export interface LinesFileFormatNode {
  readonly kind: "file-format";
  readonly name: QualifiedName;
  readonly type: "LINES";
  /** Snowflake's ENCODING value (its own spelling: `UTF8`, `ISO-8859-1`, `WINDOWS1252`). */
  readonly encoding: "UTF8" | "ISO88591" | "WINDOWS1252";
  /** Explicit, never AUTO: a gzip layout's file that is not gzip must fail to load, not load as text. */
  readonly compression: "GZIP" | "NONE";
  readonly comment?: string;
}

// Snowflake's ENCODING values are written without hyphens (`ISO88591`, `WINDOWS1252`), as
// Snowflake's Terraform provider lists them after CREATE FILE FORMAT
// (snowflakedb/terraform-provider-snowflake, pkg/sdk/file_format.go); the IANA spelling a user
// knows (`ISO-8859-1`, `windows-1252`) is accepted and rendered as Snowflake's value.
const ENCODINGS = [
  "UTF8",
  "UTF16",
  "UTF16BE",
  "UTF16LE",
  "ISO88591",
  "ISO885915",
  "WINDOWS1252",
] as const;
const snowflakeEncoding = (name: string) => name.toUpperCase().replaceAll("-", "");

/** Immutable builder of a CSV file format. */
export class CsvFileFormatBuilder {
  constructor(private readonly node: Extract<FileFormatNode, { type: "CSV" }>) {}
  private with(csv: Partial<CsvOptions>): CsvFileFormatBuilder {
    return new CsvFileFormatBuilder({ ...this.node, csv: { ...this.node.csv, ...csv } });
  }
  private fail(field: string, message: string): never {
    throw new DdlError(message, { object: "file format", name: this.node.name.name, field });
  }
  /** PARSE_HEADER needs ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE, so it sets that too. */
  header(header: CsvOptions["header"]): CsvFileFormatBuilder {
    return this.with(
      header === "parse" ? { header, errorOnColumnCountMismatch: false } : { header },
    );
  }
  delimiter(delimiter: string): CsvFileFormatBuilder {
    if ([...delimiter].length !== 1 || delimiter === "\n" || delimiter === "\r") {
      this.fail(
        "FIELD_DELIMITER",
        `must be one character other than a line break, got ${JSON.stringify(delimiter)}`,
      );
    }
    return this.with({ delimiter });
  }
  enclosure(enclosure: CsvOptions["enclosure"]): CsvFileFormatBuilder {
    if (enclosure !== undefined && enclosure !== '"' && enclosure !== "'") {
      this.fail(
        "FIELD_OPTIONALLY_ENCLOSED_BY",
        `must be " or ' or none, got ${JSON.stringify(enclosure)}`,
      );
    }
    return this.with({ enclosure });
  }
  nullIf(...texts: string[]): CsvFileFormatBuilder {
    return this.with({ nullIf: texts });
  }
  emptyFieldAsNull(on: boolean): CsvFileFormatBuilder {
    return this.with({ emptyFieldAsNull: on });
  }
  encoding(encoding: string): CsvFileFormatBuilder {
    const value = snowflakeEncoding(encoding);
    if (!(ENCODINGS as readonly string[]).includes(value)) {
      this.fail(
        "ENCODING",
        `must be one of ${ENCODINGS.join(", ")} (hyphens optional), got ${JSON.stringify(encoding)}`,
      );
    }
    return this.with({ encoding: value });
  }
  compression(compression: CsvOptions["compression"]): CsvFileFormatBuilder {
    return this.with({ compression });
  }
  errorOnColumnCountMismatch(on: boolean): CsvFileFormatBuilder {
    return this.with({ errorOnColumnCountMismatch: on });
  }
  comment(text: string): CsvFileFormatBuilder {
    return new CsvFileFormatBuilder({ ...this.node, comment: text });
  }
  toNode(): FileFormatNode {
    if (this.node.csv.enclosure === this.node.csv.delimiter) {
      this.fail("FIELD_OPTIONALLY_ENCLOSED_BY", "the enclosure cannot be the delimiter");
    }
    if (this.node.csv.header === "parse" && this.node.csv.errorOnColumnCountMismatch) {
      this.fail("ERROR_ON_COLUMN_COUNT_MISMATCH", "must be FALSE with PARSE_HEADER = TRUE");
    }
    return this.node;
  }
}

/** Immutable builder of a Parquet file format. */
export class ParquetFileFormatBuilder {
  constructor(private readonly node: Extract<FileFormatNode, { type: "PARQUET" }>) {}
  compression(compression: "AUTO" | "SNAPPY" | "NONE"): ParquetFileFormatBuilder {
    return new ParquetFileFormatBuilder({ ...this.node, compression });
  }
  comment(text: string): ParquetFileFormatBuilder {
    return new ParquetFileFormatBuilder({ ...this.node, comment: text });
  }
  toNode(): FileFormatNode {
    return this.node;
  }
}

/** Immutable builder of a JSON file format. */
export class JsonFileFormatBuilder {
  constructor(private readonly node: Extract<FileFormatNode, { type: "JSON" }>) {}
  compression(compression: "AUTO" | "GZIP" | "NONE"): JsonFileFormatBuilder {
    return new JsonFileFormatBuilder({ ...this.node, compression });
  }
  comment(text: string): JsonFileFormatBuilder {
    return new JsonFileFormatBuilder({ ...this.node, comment: text });
  }
  toNode(): FileFormatNode {
    return this.node;
  }
}

/**
 * A JSON file format for the lake's NDJSON files: one object a line (no outer array), nulls kept
 * (a null field is a NULL column, not a missing one), gzip detected from the file. Decimals
 * arrive as JSON strings (`"12.30"`), as the writer emits them, and are cast in the COPY.
 * @example
 * jsonFileFormat({ database: "RETAIL", schema: "RAW", name: "LAKE_JSON" }).toNode()
 */
export function jsonFileFormat(name: QualifiedName): JsonFileFormatBuilder {
  qualified(name);
  return new JsonFileFormatBuilder({
    kind: "file-format",
    name,
    type: "JSON",
    compression: "AUTO",
  });
}

/**
 * A CSV file format with the lake's defaults: a header line skipped, comma, optional double-quote
 * enclosure, an empty unquoted field read as NULL, UTF-8, gzip detected from the file.
 * @example
 * csvFileFormat({ database: "RETAIL", schema: "RAW", name: "LAKE_CSV" }).delimiter(";").toNode()
 */
export function csvFileFormat(name: QualifiedName): CsvFileFormatBuilder {
  qualified(name);
  return new CsvFileFormatBuilder({
    kind: "file-format",
    name,
    type: "CSV",
    csv: {
      header: "skip",
      delimiter: ",",
      enclosure: '"',
      nullIf: [],
      emptyFieldAsNull: true,
      encoding: "UTF8",
      compression: "AUTO",
      errorOnColumnCountMismatch: true,
    },
  });
}

/**
 * A Parquet file format; logical types (DECIMAL, DATE, TIMESTAMP) are read as such.
 * @example
 * parquetFileFormat({ database: "RETAIL", schema: "RAW", name: "LAKE_PARQUET" }).toNode()
 */
export function parquetFileFormat(name: QualifiedName): ParquetFileFormatBuilder {
  qualified(name);
  return new ParquetFileFormatBuilder({
    kind: "file-format",
    name,
    type: "PARQUET",
    compression: "AUTO",
  });
}

/**
 * A file format reading each line of a file whole, in `encoding`, for a legacy layout's RAW table.
 * @example
 * linesFileFormat({ database: "RETAIL", schema: "RAW", name: "LEGACY_POS_FR_LINES" }, "WINDOWS1252", "NONE").toNode()
 */
export function linesFileFormat(
  name: QualifiedName,
  encoding: LinesFileFormatNode["encoding"],
  compression: LinesFileFormatNode["compression"],
): LinesFileFormatBuilder {
  qualified(name);
  return new LinesFileFormatBuilder({
    kind: "file-format",
    name,
    type: "LINES",
    encoding,
    compression,
  });
}

/** Immutable builder of a lines file format. */
export class LinesFileFormatBuilder {
  constructor(private readonly node: LinesFileFormatNode) {}
  comment(text: string): LinesFileFormatBuilder {
    return new LinesFileFormatBuilder({ ...this.node, comment: text });
  }
  toNode(): LinesFileFormatNode {
    return this.node;
  }
}

// Every option is written out, defaults included, so the statement says what a line becomes
// without knowing Snowflake's defaults. Per CREATE FILE FORMAT
// (https://docs.snowflake.com/en/sql-reference/sql/create-file-format), for TYPE = CSV:
// - FIELD_DELIMITER = NONE: no field splitting, so $1 is the whole record;
// - RECORD_DELIMITER = '\n': records end at LF only (a lone CR inside a line is text). The docs
//   do not say the CR of a CRLF is dropped with an explicit '\n', so LINE_TEXT may end with CR
//   on Snowflake: dbt bronze strips one trailing CR (a no-op on the local pipe, which drops it);
// - SKIP_HEADER = 0 and SKIP_BLANK_LINES = FALSE: every physical line is a record, so
//   METADATA$FILE_ROW_NUMBER ("row number for each record in the staged data file",
//   https://docs.snowflake.com/en/user-guide/querying-metadata) is the physical line number;
// - FIELD_OPTIONALLY_ENCLOSED_BY = NONE, ESCAPE_UNENCLOSED_FIELD = NONE (its default is a
//   backslash): quotes and backslashes are text, and a quote can never join two lines;
// - NULL_IF = () (its default is '\\N', which would turn a line reading \N into NULL) and
//   EMPTY_FIELD_AS_NULL = FALSE: a blank line is '' ("an empty string is inserted into columns
//   of type STRING"); TRIM_SPACE = FALSE: fixed-width blanks are kept;
// - ENCODING: the layout's bytes, decoded to UTF-8 on load; non-UTF-8 delimited files need it
//   stated (https://docs.snowflake.com/en/user-guide/intro-summary-loading, supported
//   character sets); REPLACE_INVALID_CHARACTERS = TRUE puts U+FFFD for invalid UTF-8 instead of
//   failing (https://docs.snowflake.com/en/release-notes/bcr-bundles/un-bundled/bcr-1013-1014);
//   SKIP_BYTE_ORDER_MARK = TRUE drops a BOM at the start;
// - COMPRESSION = GZIP | NONE: stated, so a file that is not gzip fails to load (SKIP_FILE).
function renderLinesFileFormat(head: string, node: LinesFileFormatNode): string {
  return layout(head, [
    "TYPE = CSV",
    "FIELD_DELIMITER = NONE",
    "RECORD_DELIMITER = '\\n'",
    "SKIP_HEADER = 0",
    "SKIP_BLANK_LINES = FALSE",
    "FIELD_OPTIONALLY_ENCLOSED_BY = NONE",
    "ESCAPE_UNENCLOSED_FIELD = NONE",
    "NULL_IF = ()",
    "EMPTY_FIELD_AS_NULL = FALSE",
    "TRIM_SPACE = FALSE",
    `ENCODING = ${literal(node.encoding)}`,
    "REPLACE_INVALID_CHARACTERS = TRUE",
    "SKIP_BYTE_ORDER_MARK = TRUE",
    `COMPRESSION = ${node.compression}`,
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
  ]);
}

/** Renders a file format node. */
export function renderFileFormat(node: FileFormatNode): string {
  const head = `CREATE FILE FORMAT IF NOT EXISTS ${qualified(node.name)}`;
  if (node.type === "LINES") return renderLinesFileFormat(head, node);
  const comment = node.comment !== undefined && `COMMENT = ${literal(node.comment)}`;
  if (node.type === "PARQUET") {
    return layout(head, [
      "TYPE = PARQUET",
      `COMPRESSION = ${node.compression}`,
      "USE_LOGICAL_TYPE = TRUE",
      "BINARY_AS_TEXT = FALSE",
      comment,
    ]);
  }
  if (node.type === "JSON") {
    return layout(head, [
      "TYPE = JSON",
      `COMPRESSION = ${node.compression}`,
      "STRIP_OUTER_ARRAY = FALSE",
      "STRIP_NULL_VALUES = FALSE",
      comment,
    ]);
  }
  const o = node.csv;
  return layout(head, [
    "TYPE = CSV",
    `FIELD_DELIMITER = ${literal(o.delimiter)}`,
    o.header === "skip" && "SKIP_HEADER = 1",
    o.header === "parse" && "PARSE_HEADER = TRUE",
    `FIELD_OPTIONALLY_ENCLOSED_BY = ${o.enclosure === undefined ? "NONE" : literal(o.enclosure)}`,
    `NULL_IF = (${o.nullIf.map(literal).join(", ")})`,
    `EMPTY_FIELD_AS_NULL = ${o.emptyFieldAsNull ? "TRUE" : "FALSE"}`,
    `ERROR_ON_COLUMN_COUNT_MISMATCH = ${o.errorOnColumnCountMismatch ? "TRUE" : "FALSE"}`,
    `ENCODING = ${literal(o.encoding)}`,
    `COMPRESSION = ${o.compression}`,
    comment,
  ]);
}
