import type { Encoding, LegacyLayout } from "../legacy/index.js";
import { type CopyIntoBuilder, copyInto } from "./copy-into-builder.js";
import { type LinesFileFormatNode, linesFileFormat } from "./file-format-builder.js";
import type { QualifiedName } from "./ident.js";
import {
  createTable,
  type RawLocation,
  snowpipeMetadataColumns,
  type TableBuilder,
} from "./raw-table.js";

/** What the Snowflake side needs of a layout (`defineLegacyLayout`). */
export type SnowflakeLayout = Pick<
  LegacyLayout,
  "name" | "description" | "encoding" | "compression" | "target"
>;

/** The folder of the lake a layout's raw files land in (`legacy land`, `createLayoutFeedWriter`). */
export function legacyLayoutFolder(layout: Pick<SnowflakeLayout, "name">): string {
  return `legacy_raw/${layout.name}/`;
}

/** The RAW table of a layout: `legacy_<layout>`, which Snowflake folds to `LEGACY_<LAYOUT>`. */
export function legacyLayoutTableName(
  layout: Pick<SnowflakeLayout, "name">,
  at: RawLocation,
): QualifiedName {
  return { database: at.database, schema: at.schema, name: `legacy_${layout.name}` };
}

// UTF-8 with or without a BOM is one ENCODING: SKIP_BYTE_ORDER_MARK drops the BOM. The
// spellings are Snowflake's ENCODING values, without hyphens, not the IANA names: as listed by
// Snowflake's Terraform provider (snowflakedb/terraform-provider-snowflake, pkg/sdk/file_format.go,
// after https://docs.snowflake.com/en/sql-reference/sql/create-file-format).
const ENCODING: Record<Encoding, LinesFileFormatNode["encoding"]> = {
  "utf-8": "UTF8",
  "utf-8-bom": "UTF8",
  "iso-8859-1": "ISO88591",
  "windows-1252": "WINDOWS1252",
};

/**
 * The file format of a layout's files: each line whole, in the layout's encoding and compression.
 * What Snowflake makes of the five bytes Windows-1252 leaves undefined is not documented (the
 * docs speak of invalid UTF-8); dbt bronze reads U+0081, U+008D, U+008F, U+0090, U+009D in a
 * Windows-1252 layout's RAW text as it reads U+FFFD, so the verdict is the same either way.
 * @example
 * renderNode(legacyLayoutFileFormat(posFr, { database: "RETAIL", schema: "RAW" }))
 */
export function legacyLayoutFileFormat(
  layout: SnowflakeLayout,
  at: RawLocation,
): LinesFileFormatNode {
  return linesFileFormat(
    { database: at.database, schema: at.schema, name: `legacy_${layout.name}_lines` },
    ENCODING[layout.encoding],
    layout.compression === "gzip" ? "GZIP" : "NONE",
  )
    .comment(
      `Lines of ${layout.name} files (${layout.encoding}${layout.compression === "gzip" ? ", gzip" : ""}), each read whole as text.`,
    )
    .toNode();
}

/**
 * The RAW table of a layout: one row per physical line of a file, `LINE_TEXT` (the line as
 * decoded, nullable like every loaded text), then the load metadata of every RAW table.
 * @example
 * snowflakeLegacyLayoutTable(posFr, { database: "RETAIL", schema: "RAW" }).toNode()
 */
export function snowflakeLegacyLayoutTable(layout: SnowflakeLayout, at: RawLocation): TableBuilder {
  let table = createTable(legacyLayoutTableName(layout, at))
    .comment(
      `Raw lines of the legacy layout ${layout.name} (${layout.target.name}), one row per physical line, loaded by Snowpipe; parsed by dbt. ${layout.description}`,
    )
    .column({
      name: "line_text",
      type: "VARCHAR",
      nullable: true,
      comment: "The line as decoded from the layout's encoding, without its line break.",
      pii: layout.target.columns.some((c) => c.pii),
    });
  for (const m of snowpipeMetadataColumns) {
    table = table.column({
      name: m.name,
      type: m.type,
      nullable: false,
      comment: `${m.name === "_source_row" ? "Physical line number in the file, from 1." : m.description} (${m.source})`,
    });
  }
  return table;
}

// Regular-expression metacharacters of a name (layout names are snake_case, so none today).
const escapeRegex = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/**
 * The PATTERN of a layout's pipe: every file directly in `legacy_raw/<layout>/` except dot-files
 * (the `.<name>.<id>.tmp` a publish writes first), whatever its name: `legacy land` keeps the
 * sender's file names. As `entityFilePattern`, the FROM folder is optional and the pattern is
 * anchored, so it holds whichever path Snowpipe applies it to.
 * @see https://docs.snowflake.com/en/sql-reference/sql/create-pipe#usage-notes
 * @example
 * legacyLayoutFilePattern(posFr) // ^(legacy_raw/pos_fr_sale_line/)?[^/.][^/]*$
 */
export function legacyLayoutFilePattern(layout: Pick<SnowflakeLayout, "name">): string {
  return `^(${escapeRegex(legacyLayoutFolder(layout))})?[^/.][^/]*$`;
}

/** Where a layout's COPY reads from and with what. */
export interface LegacyLayoutCopySpec extends RawLocation {
  readonly stage: QualifiedName;
  readonly fileFormat: QualifiedName;
}

/**
 * The COPY of a layout's files into its RAW table: `$1` (the whole line) and the load metadata,
 * nothing computed (Snowflake allows only a subset of functions in a COPY transform, and dbt
 * does the rest). A file that fails to load is skipped whole (ON_ERROR = SKIP_FILE).
 * @example
 * legacyLayoutCopy(posFr, { database: "RETAIL", schema: "RAW", stage, fileFormat }).toNode()
 */
export function legacyLayoutCopy(
  layout: SnowflakeLayout,
  spec: LegacyLayoutCopySpec,
): CopyIntoBuilder {
  let copy = copyInto(
    legacyLayoutTableName(layout, spec),
    spec.stage,
    legacyLayoutFolder(layout),
    spec.fileFormat,
  )
    .pattern(legacyLayoutFilePattern(layout))
    .column("line_text", { kind: "position", position: 1 });
  for (const m of snowpipeMetadataColumns)
    copy = copy.column(m.name, { kind: "metadata", name: m.source });
  return copy.options({ onError: "SKIP_FILE" });
}
