import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { customer } from "../../src/entities/index.js";
import { defineLegacyLayout } from "../../src/legacy/index.js";
import {
  DdlError,
  type DdlNode,
  renderNode,
  renderSteps,
  snowpipePlan,
} from "../../src/snowflake/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { tempDir } from "../lake/temp-dir.js";

const azure = {
  account: "retaillake",
  container: "lake",
  queueUrl: "https://retaillake.queue.core.windows.net/snowpipe-events",
  tenantId: "11111111-2222-3333-4444-555555555555",
} as const;

const plan = snowpipePlan({ ...azure, layouts: [posFr, mainframe] });
const named = (kind: DdlNode["kind"], name: string) =>
  plan
    .filter((n) => n.kind === kind && "name" in n && typeof n.name === "object")
    .map(renderNode)
    .find((sql) => sql.split("\n")[0]?.includes(name));

test("the French POS layout (Windows-1252, CRLF) gets its file format, RAW table of lines and pipe", () => {
  expect(named("file-format", "LEGACY_POS_FR_SALE_LINE_LINES")).toMatchInlineSnapshot(`
    "CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LEGACY_POS_FR_SALE_LINE_LINES
      TYPE = CSV
      FIELD_DELIMITER = NONE
      RECORD_DELIMITER = '\\n'
      SKIP_HEADER = 0
      SKIP_BLANK_LINES = FALSE
      FIELD_OPTIONALLY_ENCLOSED_BY = NONE
      ESCAPE_UNENCLOSED_FIELD = NONE
      NULL_IF = ()
      EMPTY_FIELD_AS_NULL = FALSE
      TRIM_SPACE = FALSE
      ENCODING = 'WINDOWS1252'
      REPLACE_INVALID_CHARACTERS = TRUE
      SKIP_BYTE_ORDER_MARK = TRUE
      COMPRESSION = NONE
      COMMENT = 'Lines of pos_fr_sale_line files (windows-1252), each read whole as text.'"
  `);
  expect(named("table", "LEGACY_POS_FR_SALE_LINE")).toMatchInlineSnapshot(`
    "CREATE TABLE IF NOT EXISTS RETAIL.RAW.LEGACY_POS_FR_SALE_LINE (
      LINE_TEXT VARCHAR COMMENT 'The line as decoded from the layout\\'s encoding, without its line break.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Physical line number in the file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Raw lines of the legacy layout pos_fr_sale_line (sale_line), one row per physical line, loaded by Snowpipe; parsed by dbt. Export caisse magasins (V3), one file per store and day, sent at close.'"
  `);
  expect(named("pipe", "LEGACY_POS_FR_SALE_LINE_PIPE")).toMatchInlineSnapshot(`
    "CREATE PIPE IF NOT EXISTS RETAIL.RAW.LEGACY_POS_FR_SALE_LINE_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of legacy_raw/pos_fr_sale_line/ (legacy layout pos_fr_sale_line) into LEGACY_POS_FR_SALE_LINE.'
      AS
        COPY INTO RETAIL.RAW.LEGACY_POS_FR_SALE_LINE (
          LINE_TEXT,
          _SOURCE_FILE,
          _SOURCE_ROW,
          _LOADED_AT
        )
        FROM (
          SELECT
            $1,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/legacy_raw/pos_fr_sale_line/
        )
        PATTERN = '^(legacy_raw/pos_fr_sale_line/)?[^/.][^/]*$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LEGACY_POS_FR_SALE_LINE_LINES')
        ON_ERROR = SKIP_FILE"
  `);
});

test("the mainframe layout (ISO-8859-1, fixed width) and a gzip layout get their encoding and compression", () => {
  expect(named("file-format", "LEGACY_MAINFRAME_STOCK_MOVEMENT_LINES")).toMatchInlineSnapshot(`
    "CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LEGACY_MAINFRAME_STOCK_MOVEMENT_LINES
      TYPE = CSV
      FIELD_DELIMITER = NONE
      RECORD_DELIMITER = '\\n'
      SKIP_HEADER = 0
      SKIP_BLANK_LINES = FALSE
      FIELD_OPTIONALLY_ENCLOSED_BY = NONE
      ESCAPE_UNENCLOSED_FIELD = NONE
      NULL_IF = ()
      EMPTY_FIELD_AS_NULL = FALSE
      TRIM_SPACE = FALSE
      ENCODING = 'ISO88591'
      REPLACE_INVALID_CHARACTERS = TRUE
      SKIP_BYTE_ORDER_MARK = TRUE
      COMPRESSION = NONE
      COMMENT = 'Lines of mainframe_stock_movement files (iso-8859-1), each read whole as text.'"
  `);
  expect(named("pipe", "LEGACY_MAINFRAME_STOCK_MOVEMENT_PIPE")).toContain(
    "FROM @RETAIL.RAW.LAKE/legacy_raw/mainframe_stock_movement/",
  );
  const gz = defineLegacyLayout({
    ...posFr.definition,
    name: "pos_fr_gz",
    encoding: "utf-8-bom",
    compression: "gzip",
  });
  const format = snowpipePlan({ ...azure, layouts: [gz] })
    .filter((n) => n.kind === "file-format")
    .map(renderNode)
    .find((sql) => sql.includes("LEGACY_POS_FR_GZ_LINES"));
  expect(format).toContain("  ENCODING = 'UTF8'\n");
  expect(format).toContain("  COMPRESSION = GZIP\n");
});

test("layout objects sit with the other RAW objects, and the loader gets them as it gets the others", () => {
  const steps = renderSteps(plan);
  const kinds = steps.map((s) => s.kind);
  // Formats before the stage, tables before masking, pipes after the entity pipes, grants last.
  const at = (sql: string) => steps.findIndex((s) => s.sql.startsWith(sql));
  expect(
    at("CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LEGACY_POS_FR_SALE_LINE_LINES"),
  ).toBeLessThan(kinds.indexOf("stage"));
  expect(at("CREATE TABLE IF NOT EXISTS RETAIL.RAW.LEGACY_POS_FR_SALE_LINE")).toBeLessThan(
    kinds.indexOf("masking-policy"),
  );
  expect(at("CREATE PIPE IF NOT EXISTS RETAIL.RAW.LEGACY_MAINFRAME_STOCK_MOVEMENT_PIPE")).toBe(
    kinds.lastIndexOf("pipe"),
  );
  expect(
    steps
      .filter((s) => s.kind === "grant" && /LEGACY_(POS|MAINFRAME)/.test(s.sql))
      .map((s) => s.sql),
  ).toMatchInlineSnapshot(`
      [
        "GRANT USAGE ON FILE FORMAT RETAIL.RAW.LEGACY_POS_FR_SALE_LINE_LINES TO ROLE RETAIL_LOADER",
        "GRANT USAGE ON FILE FORMAT RETAIL.RAW.LEGACY_MAINFRAME_STOCK_MOVEMENT_LINES TO ROLE RETAIL_LOADER",
        "GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.LEGACY_POS_FR_SALE_LINE_PIPE TO ROLE RETAIL_LOADER",
        "GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.LEGACY_MAINFRAME_STOCK_MOVEMENT_PIPE TO ROLE RETAIL_LOADER",
      ]
    `);
  // The same plan twice, and no layout: exactly the plan without layouts.
  expect(renderSteps(snowpipePlan({ ...azure, layouts: [posFr, mainframe] }))).toEqual(steps);
  expect(
    renderSteps(snowpipePlan(azure)).filter((s) => !/LEGACY_(POS|MAINFRAME)/.test(s.sql)),
  ).toEqual(steps.filter((s) => !/LEGACY_(POS|MAINFRAME)/.test(s.sql)));
});

test("the raw line of a layout whose entity holds personal data is masked like its columns", () => {
  const customers = defineLegacyLayout({
    name: "crm_clients",
    description: "Fichier clients.",
    entity: "customer",
    encoding: "windows-1252",
    format: { kind: "delimited", delimiter: ";", fields: ["id"] },
    columns: Object.fromEntries(customer.columns.map((c) => [c.name, { field: "id" }])),
  });
  const sql = snowpipePlan({ ...azure, layouts: [customers] }).map(renderNode);
  expect(sql).toContain(
    "ALTER TABLE IF EXISTS RETAIL.RAW.LEGACY_CRM_CLIENTS MODIFY COLUMN LINE_TEXT SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE",
  );
  expect(sql.filter((s) => s.includes("LEGACY_POS_FR_SALE_LINE") && s.includes("MASKING"))).toEqual(
    [],
  );
});

test("a layout whose RAW table is an entity's, or another layout's, is refused naming both", () => {
  const pos = defineLegacyLayout({ ...posFr.definition, name: "pos" });
  const legacyPos = { ...priceChange, name: "legacy_pos" };
  const errors = [
    () => snowpipePlan({ ...azure, entities: [legacyPos], layouts: [pos] }),
    () =>
      snowpipePlan({
        ...azure,
        entities: [{ ...priceChange, name: "legacy_x" }],
        layouts: [defineLegacyLayout({ ...posFr.definition, name: "x_legacy" })],
      }),
    () => snowpipePlan({ ...azure, layouts: [pos, pos] }),
  ].map((f) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DdlError);
      return (e as Error).message;
    }
    return "no error";
  });
  expect(errors).toMatchInlineSnapshot(`
    [
      "snowpipe config (layouts): layout "pos" would load into LEGACY_POS, which is already the RAW table of entity "legacy_pos"; rename the layout",
      "snowpipe config (layouts): layout "x_legacy" would load into LEGACY_X_LEGACY, which is already the legacy-feed RAW table of entity "legacy_x"; rename the layout",
      "snowpipe config (layouts): layout "pos" would load into LEGACY_POS, which is already the RAW table of layout "pos"; rename the layout",
    ]
  `);
});

test("retail-mds ddl exits 2 on a layout colliding with an entity table, before printing anything", () => {
  const root = tempDir("rmds-ddl-layout-");
  const url = (path: string) => JSON.stringify(pathToFileURL(join(import.meta.dirname, path)).href);
  const config = join(root, "retail-mds.config.ts");
  writeFileSync(
    config,
    `import { defineConfig } from ${url("../../src/config/index.ts")};
import { defineLegacyLayout } from ${url("../../src/legacy/index.ts")};
import posFr from ${url("../../examples/legacy-layouts/pos-fr-sale-line.ts")};
import { priceChange } from ${url("../fixtures/price-change.ts")};
export default defineConfig({
  entities: [{ ...priceChange, name: "legacy_pos" }],
  layouts: [defineLegacyLayout({ ...posFr.definition, name: "pos" })],
  azure: ${JSON.stringify(azure)},
});
`,
  );
  const r = spawnSync("npx", ["tsx", "src/cli/main.ts", "ddl", "--config", config], {
    encoding: "utf8",
  });
  expect(r.stdout).toBe("");
  // Refused before anything is printed, naming the layout and the table it would share.
  expect(r.stderr).toMatch(/^retail-mds: ddl: .*layout "pos".*LEGACY_POS.*"legacy_pos"/m);
  expect(r.status).toBe(2);
});
