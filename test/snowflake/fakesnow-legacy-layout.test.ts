import { expect, test } from "vitest";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import { createLayoutFeed, type LegacyLayout, rawLegacyLines } from "../../src/legacy/index.js";
import {
  applyPlan,
  type DdlNode,
  legacyLayoutTableName,
  qualified,
  snowpipePlan,
} from "../../src/snowflake/index.js";
import { fakeSnowForFile } from "../support/fakesnow.js";

// What of a layout's Snowflake objects fakesnow 0.11.22 can run: the RAW table and the file
// format (stored, and parsed by sqlglot's Snowflake dialect). It cannot run the pipe, nor the
// pipe's COPY (see docs/snowflake.md), so the lines a real file would load are what
// rawLegacyLines gives (the local pipe's loader, built to the same contract), inserted with
// bound values: the table takes them as Snowpipe would write them.

const snow = fakeSnowForFile();

const plan = snowpipePlan({
  account: "retaillake",
  container: "lake",
  queueUrl: "https://retaillake.queue.core.windows.net/events",
  tenantId: "11111111-2222-3333-4444-555555555555",
  layouts: [posFr, mainframe],
});
const isLayoutObject = (n: DdlNode) =>
  "name" in n && typeof n.name === "object" && n.name.name.startsWith("legacy_");
const runnable = plan.filter(
  (n) =>
    n.kind === "database" ||
    n.kind === "schema" ||
    ((n.kind === "table" || n.kind === "file-format") && isLayoutObject(n)),
);

const batches = [
  ...createRetailSimulation({
    seed: 3,
    from: "2026-11-02",
    days: 1,
    stores: 1,
    products: 20,
    traffic: 0.05,
  }).generate({ batchSize: 100 }),
];

/** A file of the layout as the legacy system writes it: its encoding, line ends, header and trailer. */
function legacyFile(layout: LegacyLayout): Uint8Array {
  const records = batches
    .filter((b) => b.entity.name === layout.target.name)
    .flatMap((b) => b.records as Record<string, unknown>[])
    .slice(0, 12);
  expect(records.length).toBeGreaterThan(3);
  return createLayoutFeed(layout, { seed: 1, rate: 0 }).file(records, `${layout.name}.x`).bytes;
}

test("the layouts' RAW tables and file formats run through snowflake-sdk on fakesnow, twice", async () => {
  expect(runnable.filter((n) => n.kind !== "database" && n.kind !== "schema")).toHaveLength(4);
  await applyPlan(snow.executor, runnable);
  await applyPlan(snow.executor, runnable);
  const columns = await snow.executor.query(
    "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, IS_NULLABLE FROM RETAIL.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME LIKE 'LEGACY_%' ORDER BY TABLE_NAME, ORDINAL_POSITION",
  );
  expect(columns).toMatchInlineSnapshot(`
    [
      {
        "COLUMN_NAME": "LINE_TEXT",
        "DATA_TYPE": "TEXT",
        "IS_NULLABLE": "YES",
        "TABLE_NAME": "LEGACY_MAINFRAME_STOCK_MOVEMENT",
      },
      {
        "COLUMN_NAME": "_SOURCE_FILE",
        "DATA_TYPE": "TEXT",
        "IS_NULLABLE": "NO",
        "TABLE_NAME": "LEGACY_MAINFRAME_STOCK_MOVEMENT",
      },
      {
        "COLUMN_NAME": "_SOURCE_ROW",
        "DATA_TYPE": "NUMBER",
        "IS_NULLABLE": "NO",
        "TABLE_NAME": "LEGACY_MAINFRAME_STOCK_MOVEMENT",
      },
      {
        "COLUMN_NAME": "_LOADED_AT",
        "DATA_TYPE": "TIMESTAMP_TZ",
        "IS_NULLABLE": "NO",
        "TABLE_NAME": "LEGACY_MAINFRAME_STOCK_MOVEMENT",
      },
      {
        "COLUMN_NAME": "LINE_TEXT",
        "DATA_TYPE": "TEXT",
        "IS_NULLABLE": "YES",
        "TABLE_NAME": "LEGACY_POS_FR_SALE_LINE",
      },
      {
        "COLUMN_NAME": "_SOURCE_FILE",
        "DATA_TYPE": "TEXT",
        "IS_NULLABLE": "NO",
        "TABLE_NAME": "LEGACY_POS_FR_SALE_LINE",
      },
      {
        "COLUMN_NAME": "_SOURCE_ROW",
        "DATA_TYPE": "NUMBER",
        "IS_NULLABLE": "NO",
        "TABLE_NAME": "LEGACY_POS_FR_SALE_LINE",
      },
      {
        "COLUMN_NAME": "_LOADED_AT",
        "DATA_TYPE": "TIMESTAMP_TZ",
        "IS_NULLABLE": "NO",
        "TABLE_NAME": "LEGACY_POS_FR_SALE_LINE",
      },
    ]
  `);
  // sqlglot's Snowflake dialect read the options back as Snowflake would: '\n' is a line feed.
  const formats = await snow.executor.query("SHOW FILE FORMATS IN SCHEMA RETAIL.RAW");
  for (const f of formats) expect(JSON.parse(String(f.format_options)).RECORD_DELIMITER).toBe("\n");
  expect(formats.map((f) => [f.name, JSON.parse(String(f.format_options))])).toMatchInlineSnapshot(`
    [
      [
        "LEGACY_MAINFRAME_STOCK_MOVEMENT_LINES",
        {
          "COMPRESSION": "NONE",
          "EMPTY_FIELD_AS_NULL": false,
          "ENCODING": "ISO88591",
          "ESCAPE_UNENCLOSED_FIELD": "NONE",
          "FIELD_DELIMITER": "NONE",
          "FIELD_OPTIONALLY_ENCLOSED_BY": "NONE",
          "NULL_IF": [],
          "RECORD_DELIMITER": "
    ",
          "REPLACE_INVALID_CHARACTERS": true,
          "SKIP_BLANK_LINES": false,
          "SKIP_BYTE_ORDER_MARK": true,
          "SKIP_HEADER": 0,
          "TRIM_SPACE": false,
          "TYPE": "CSV",
        },
      ],
      [
        "LEGACY_POS_FR_SALE_LINE_LINES",
        {
          "COMPRESSION": "NONE",
          "EMPTY_FIELD_AS_NULL": false,
          "ENCODING": "WINDOWS1252",
          "ESCAPE_UNENCLOSED_FIELD": "NONE",
          "FIELD_DELIMITER": "NONE",
          "FIELD_OPTIONALLY_ENCLOSED_BY": "NONE",
          "NULL_IF": [],
          "RECORD_DELIMITER": "
    ",
          "REPLACE_INVALID_CHARACTERS": true,
          "SKIP_BLANK_LINES": false,
          "SKIP_BYTE_ORDER_MARK": true,
          "SKIP_HEADER": 0,
          "TRIM_SPACE": false,
          "TYPE": "CSV",
        },
      ],
    ]
  `);
});

test("a real French POS file (Windows-1252, CRLF) and a mainframe file land in their RAW tables line for line", async () => {
  await applyPlan(snow.executor, runnable);
  const pos = legacyFile(posFr);
  // The file as sent, plus what a real export brings: a blank line and a byte 1252 leaves undefined.
  const crlf = pos.lastIndexOf(0x0a, pos.length - 2) + 1;
  const damaged = Buffer.concat([
    pos.subarray(0, crlf),
    Buffer.from("\r\n"),
    Buffer.from("S001;x\x81y\r\n", "latin1"),
    pos.subarray(crlf),
  ]);
  for (const [layout, bytes] of [
    [posFr, damaged],
    [mainframe, legacyFile(mainframe)],
  ] as const) {
    const { lines } = rawLegacyLines(layout, bytes);
    const file = `legacy_raw/${layout.name}/${layout.name}-20261102.x`;
    const table = qualified(legacyLayoutTableName(layout, { database: "RETAIL", schema: "RAW" }));
    await snow.executor.query(
      `INSERT INTO ${table} (LINE_TEXT, _SOURCE_FILE, _SOURCE_ROW, _LOADED_AT) VALUES ${lines.map(() => "(?, ?, ?, ?)").join(", ")}`,
      lines.flatMap((l) => [l.text, file, l.line, "2026-11-02 21:00:00"]),
    );
    const rows = await snow.executor.query(
      `SELECT LINE_TEXT, _SOURCE_ROW FROM ${table} WHERE _SOURCE_FILE = ? ORDER BY _SOURCE_ROW`,
      [file],
    );
    expect(rows.map((r) => [r.LINE_TEXT, Number(r._SOURCE_ROW)])).toEqual(
      lines.map((l) => [l.text, l.line]),
    );
  }
  const pos1 = await snow.executor.query(
    "SELECT LINE_TEXT FROM RETAIL.RAW.LEGACY_POS_FR_SALE_LINE ORDER BY _SOURCE_ROW",
  );
  const texts = pos1.map((r) => String(r.LINE_TEXT));
  expect(texts[0]).toMatch(/^N° ticket;Date vente;Magasin;Code article;Libellé;/);
  expect(texts.some((t) => t.includes("\r"))).toBe(false);
  expect(texts).toContain("");
  expect(texts).toContain("S001;x\uFFFDy");
  expect(texts.at(-1)).toMatch(/^FIN;/);
});
