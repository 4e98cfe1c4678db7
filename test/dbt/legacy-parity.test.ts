import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import legacyCsv from "../../examples/legacy-layouts/legacy-csv-sale-line.js";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { renderLegacyLayoutModels } from "../../src/dbt/index.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import {
  createLayoutFeed,
  defineLegacyLayout,
  encodeText,
  type LegacyLayout,
  readLegacyFile,
  scanLegacyFile,
} from "../../src/legacy/index.js";
import { tempDir } from "../lake/temp-dir.js";
import { catalogueFr, randomMovementLayout } from "../legacy/layouts.js";
import { type LegacyFileInput, writeLegacyRaw } from "./support/legacy-raw.js";
import { queryDuckDb } from "./support/query-duckdb.js";
import { notOk, runDbt, runResults, type Workspace } from "./support/run-dbt.js";

// The proof that the TypeScript reader and the dbt models of a layout agree: the same files, read
// by readLegacyFile (scanLegacyFile, for the line of each record) and loaded line by line into
// raw.legacy_<layout> (rawLegacyLines) then built by dbt-duckdb, give the same records (typed
// values), the same rejects (file, line, reason, column, raw text) and the same verdict and counts
// per file.

/** Every part of the layout language the shipped layouts leave out, on hand-written lines. */
const featureSale = defineLegacyLayout({
  name: "feature_sale",
  description: "Pipes, a single quote with a backslash escape, no header, skipped lines.",
  entity: "sale_line",
  encoding: "utf-8",
  format: {
    kind: "delimited",
    delimiter: "|",
    quote: "'",
    escape: "\\",
    header: false,
    skipLines: 2,
    fields: ["TICKET", "STORE", "WHEN", "SKU", "QTY", "PRICE", "DISC", "KIND", "PAY", "NOTE"],
    trailer: { code: "END", fields: ["TAG", "COUNT", "TOTAL"] },
  },
  columns: {
    transaction_id: {
      concat: ["t-", { field: "STORE" }, "-", { field: "TICKET" }],
      transforms: ["trim", "upper", { replace: " ", with: "" }],
    },
    line_no: { derive: "line_number", within: ["transaction_id"] },
    sold_at: {
      field: "WHEN",
      parse: { type: "timestamp", format: "yyyy-MM-dd HH:mm:ss.SSS", timeZone: "America/New_York" },
    },
    store_id: {
      field: "STORE",
      transforms: ["trim", { stripPrefix: "MAG" }, { padStart: 3, with: "0" }, { prefix: "S" }],
    },
    sku: { field: "SKU", transforms: [{ extract: "(\\d+)" }, { padStart: 6 }, { prefix: "P" }] },
    customer_id: { constant: null },
    quantity: { field: "QTY", parse: { type: "int", sign: "trailing" } },
    unit_price: {
      field: "PRICE",
      parse: { type: "decimal", decimalSeparator: ",", thousandsSeparator: "." },
    },
    discount_amount: { field: "DISC", parse: { type: "decimal", decimalSeparator: "," } },
    net_amount: { derive: "product", of: ["quantity", "unit_price"], minus: "discount_amount" },
    vat_amount: { derive: "vat_included", amount: "net_amount", rate: "0.20" },
    payment_method: {
      field: "PAY",
      transforms: [
        "lower",
        { replace: "^carte$", with: "card" },
        { replace: "^esp[eè]ces$", with: "cash" },
        { replace: "^(gift)-(card)$", with: "$1_$2" },
      ],
    },
    channel: { constant: "store" },
    currency: { constant: "EUR" },
  },
  returns: { field: "KIND", codes: ["RET"], otherwise: "VTE", negate: ["quantity"] },
  reject: [
    { reason: "test_line", when: { field: "NOTE", matches: "^TEST" } },
    { reason: "no_sku", when: { field: "SKU", empty: true } },
  ],
  drop: [{ reason: "void", when: { field: "KIND", equals: "ANN" } }],
  control: [
    { record: "trailer", field: "COUNT", check: "count" },
    {
      record: "trailer",
      field: "TOTAL",
      check: "total",
      sum: "PRICE",
      format: { decimalSeparator: ",", thousandsSeparator: "." },
    },
  ],
});

/** Random stock layouts of the round-trip property (delimiters, quotes, encodings, widths...). */
const randomLayouts = fc
  .sample(randomMovementLayout, { seed: 42, numRuns: 3 })
  .map((r, i) => defineLegacyLayout({ ...r.layout.definition, name: `random_layout_${i + 1}` }));

const layouts = [posFr, mainframe, legacyCsv, catalogueFr, featureSale, ...randomLayouts];

const batches = [
  ...createRetailSimulation({
    seed: 23,
    from: "2026-11-02",
    days: 1,
    stores: 2,
    products: 40,
    traffic: 0.1,
  }).generate({ batchSize: 100 }),
];

function windows(entity: string): Record<string, unknown>[][] {
  const by = new Map<string, Record<string, unknown>[]>();
  for (const b of batches.filter((b) => b.entity.name === entity)) {
    const list = by.get(b.window.from) ?? [];
    list.push(...(b.records as Record<string, unknown>[]));
    by.set(b.window.from, list);
  }
  return [...by.values()].slice(0, 4);
}

/** Files of a layout with the generator's declared defects, at a rate that damages every file. */
function generated(layout: LegacyLayout): LegacyFileInput[] {
  const feed = createLayoutFeed(layout, { seed: 7, rate: 0.15 });
  return windows(layout.target.name).map((records, i) => {
    const name = `${layout.name}-${i}.txt`;
    return {
      layout,
      path: `legacy_raw/${layout.name}/${name}`,
      bytes: feed.file(records, name).bytes,
    };
  });
}

const posHeader =
  "N° ticket;Date vente;Magasin;Code article;Libellé;Type ligne;Carte fidélité;Qté;Prix unitaire TTC;Remise;Montant TTC;Montant TVA;Règlement;Canal";
const pos = (ticket: string, rest: string) => `${ticket};01/11/2026 09:30;S001;${rest}`;

/** Hand-written edge cases, each file a case the generator does not write. */
function handWritten(): LegacyFileInput[] {
  const file = (layout: LegacyLayout, name: string, bytes: Uint8Array): LegacyFileInput => ({
    layout,
    path: `legacy_raw/${layout.name}/${name}`,
    bytes,
  });
  const cp = (text: string) => encodeText(text, "windows-1252");
  const posLines = [
    posHeader,
    pos(
      "S001-20261101-000042",
      '123.0;"Crème ""brûlée"";x";VTE;C0000042;2;2,50;0,00;5,00;0,26;CB;MAG',
    ),
    "",
    pos("S001-20261101-000042", '124;"never closed;VTE;;1;1,00;0,00;1,00;0,17;CB;MAG'),
    pos("S001-20261101-000042", "125;Eau;VTE;;1;0,45;0,00;0,45;0,08;CB"),
    pos("S001-20261101-000042", "126;Frais;FRAIS;;1;0,10;0,00;0,10;0,02;CB;MAG"),
    pos("S001-20261101-000043", "127;Eau;VTE;;1;0,45;0,00;0,45;0,08;CHQ;MAG"),
    pos("S001-20261101-000043", "128;Eau;VTE;;1;0,455;0,00;0,45;0,08;CB;MAG"),
    "S001-20261101-000044;29/03/2026 02:30;S001;129;Gap;VTE;;1;1,00;0,00;1,00;0,17;CB;MAG",
    "S001-20261101-000044;25/10/2026 02:30;S001;130;Twice;VTE;;1;1,00;0,00;1,00;0,17;CB;MAG",
    pos("S001-20261101-000044", "131;Nul;VTE;;1;1,00;0,00;1,00;0,17;CB;MAG").replace(
      "S001;131",
      "S01;131",
    ),
    pos("S001-20261101-000045", '"132";" espace ";VTE;;-1;1,00;0,00;-1,00;-0,17;ESP;WEB'),
  ];
  const fffd = Buffer.concat([
    cp(`${posLines.join("\r\n")}\r\n`),
    cp(pos("S001-20261101-000046", "133;Caf")),
    Uint8Array.of(0x81),
    cp(";VTE;;1;1,00;0,00;1,00;0,17;CB;MAG\r\nFIN;13;9,00\r\n"),
  ]);
  const stock = (id: string, rest: string) => `D${id.padEnd(30)}${rest}`.padEnd(130);
  const mf = [
    "HSTKMVT  20261101",
    stock("M-S001-20261101-000001", "20261101060000S001  P000001RC000001200+REF-1"),
    stock("M-S001-20261101-000002", "20261101060000S001  P000002VT000000300-"),
    stock("M-S001-20261101-000003", "20261101060000S001  P000003VT000000250-"),
    "X unknown record",
    `D${"M-S001-20261101-000004".padEnd(30)}20261101060000S001  P0000`,
    "",
    stock("M-S001-20261101-000005", "20261101060000S001  P000004ZZ000000100+"),
    "T0000000060000000000750+",
  ];
  const csvHeader =
    "line_no,transaction_id,sold_at,store_id,sku,customer_id,quantity,unit_price,discount_amount,net_amount,vat_amount,payment_method,channel,currency,extra";
  const csv = (tx: string, sku: string, extra = "x") =>
    `1,${tx},2026-11-01T09:30:00.000Z,S001,${sku},,1,2.50,0.00,2.50,0.42,card,store,EUR,${extra}`;
  const csvBytes = Buffer.from(
    `\uFEFF${[
      csvHeader,
      csv("T-S001-1", "P000001"),
      csv("T-S001-2", "P00\uFFFD002"),
      csv("T-S001-3", "P000003", '"a,""b"""'),
      csv("T-S001-4", "P000004", '"open'),
      csv("", "P000005"),
      csv("T-S001-6", "P000006").replace(",2.50,0.00,2.50,", ",2.50,0.00,2.51,"),
      "   ",
    ].join("\n")}\n${csv("T-S001-7", "P00X007")}\n`,
    "utf8",
  );
  csvBytes[csvBytes.lastIndexOf("X")] = 0xe9;
  return [
    file(posFr, "edge-accepted.csv", fffd),
    file(
      posFr,
      "edge-bad-trailer.csv",
      cp(`${posLines.slice(0, 3).join("\r\n")}\r\nFIN;9;5,00\r\n`),
    ),
    file(
      posFr,
      "edge-no-trailer.csv",
      cp(
        `${[...posLines.slice(0, 2), posLines[5], posLines[1], "S001-20261101-000047"].join("\r\n")}`,
      ),
    ),
    file(
      posFr,
      "edge-header-mismatch.csv",
      cp(`${posHeader.replace("Qté", "Quantité")}\r\nFIN;0;0\r\n`),
    ),
    file(mainframe, "edge.dat", encodeText(`${mf.join("\n")}\n`, "iso-8859-1")),
    file(
      mainframe,
      "edge-total.dat",
      encodeText(`${[...mf.slice(0, 3), "T0000000020000000000900+"].join("\n")}\n`, "iso-8859-1"),
    ),
    file(mainframe, "edge-no-header.dat", encodeText(`${mf.slice(1).join("\n")}\n`, "iso-8859-1")),
    file(legacyCsv, "edge.csv", csvBytes),
    file(featureSale, "feature.txt", featureFile(true)),
    file(featureSale, "feature-bad-total.txt", featureFile(false)),
  ];
}

const featureLines = [
  "EXPORT CAISSE v2",
  "genere le 2026-11-01",
  "1|MAG1|2026-11-01 09:30:00.250|sku 123|2|1.234,50|0,00|VTE|CARTE|ok",
  "1|MAG1|2026-11-01 01:30:00.000|sku-124|3-|2,50|0,10|RET|Espèces|'it\\'s | fine'",
  "",
  "2| mag12 |2026-03-08 02:30:00.000|125|1|1,00|0,00|VTE|card|a time New York skips",
  "2|MAG12|2026-03-08 03:30:00.000|125|1|1,005|0,00|VTE|card|too many decimals",
  "3|MAG3|2026-11-01 10:00:00.000||1|1,00|0,00|VTE|card|no sku",
  "3|MAG3|2026-11-01 10:00:00.000|126|1|1,00|0,00|ANN|card|void",
  "3|MAG3|2026-11-01 10:00:00.000|127|1|1,00|0,00|VTE|card|TEST line",
  "3|MAG3|2026-11-01 10:00:00.000|128|1|1,00|0,00|VTE|gift-card|''",
  "3|MAG3|2026-11-01 10:00:00.000|129|1|12.345,00|0,00|VTE|card|above the maximum price",
  "3|MAG3|2026-11-01 10:00:00.000|130|1|1.00|0,00|VTE|card|a point is no decimal here",
  "3|MAG3|2026-11-01 10:00:00.000|131|1|1,00|0,00|VTE|chq|no such tender",
  "4|MAG4|2026-11-01 10:00:00.000|132|1|1,00|0,00|VTE|card|'never closed",
  "4|MAG4|2026-11-01 10:00:00.000|133|7|0,33|0,00|VTE|card|'a \\| b'",
  "4|MAG4|2026-11-01 10:00:00.000|134|1|1,00",
];

/** The feature file, its trailer right (as the reader adds it up) or its total wrong. */
function featureFile(right: boolean): Uint8Array {
  const draft = Buffer.from(`${[...featureLines, "END|0|0"].join("\n")}\n`, "utf8");
  const [count, total] = readLegacyFile(featureSale, draft).controls.map((c) => c.actual);
  const money = (right ? (total as string) : "1,00").replace(".", ",");
  return Buffer.from(`${[...featureLines, `END|${count}|${money}`].join("\n")}\n`, "utf8");
}

/** File rejections whose lines dbt still cuts, for _held (the reader reads nothing of them). */
function readableFrame(layout: LegacyLayout, reason: string | undefined): boolean {
  return (
    reason === "missing_trailer" ||
    (reason === "missing_header" && layout.format.kind === "fixed-width")
  );
}

/**
 * The records of a file the reader rejects for a missing control record, had the layout no
 * control records: dbt takes a line in the place of a header or trailer record that does not
 * read as one for a detail line (a file cut short), and a record that reads is never a detail
 * record (its code, or its field count, differs), so a variant without them reads the same lines.
 */
function cutAnyway(f: LegacyFileInput): unknown[] {
  const { definition } = f.layout;
  const variant = defineLegacyLayout(
    {
      ...definition,
      format:
        definition.format.kind === "delimited"
          ? { ...definition.format, trailer: undefined }
          : { ...definition.format, header: undefined, trailer: undefined },
      control: [],
    },
    { entities: { [f.layout.target.name]: f.layout.target } },
  );
  const out: unknown[] = [];
  for (const event of scanLegacyFile(variant, f.bytes, f.path)) {
    if (event.type === "record")
      out.push({ _source_file: f.path, _source_row: event.line, ...event.record });
  }
  return out;
}

/** What the reader gives, in the shape the dbt models are queried in. */
function readAll(files: readonly LegacyFileInput[]) {
  const records: unknown[] = [];
  const held: unknown[] = [];
  const rejects: unknown[] = [];
  const verdicts: unknown[] = [];
  for (const f of files) {
    const mapped: unknown[] = [];
    for (const event of scanLegacyFile(f.layout, f.bytes, f.path)) {
      if (event.type === "record")
        mapped.push({ _source_file: f.path, _source_row: event.line, ...event.record });
      else if (event.type === "reject")
        rejects.push({
          file: f.path,
          line: event.reject.line,
          reason: event.reject.reason,
          column: event.reject.column ?? null,
          raw: event.reject.raw,
        });
      else if (event.type === "end") {
        (event.accepted ? records : held).push(...mapped);
        if (readableFrame(f.layout, event.rejection?.reason)) held.push(...cutAnyway(f));
        verdicts.push({
          file: f.path,
          accepted: event.accepted,
          rejection: event.rejection?.reason ?? null,
          lines: event.stats.lines,
          detail: event.stats.detailLines,
          mapped: event.stats.mapped,
          rejected: event.stats.rejected,
          dropped: event.stats.dropped,
          blank: event.stats.blankLines,
        });
      }
    }
  }
  const byPlace = (a: unknown, b: unknown) => {
    const x = a as Record<string, string | number>;
    const y = b as Record<string, string | number>;
    const fx = String(x._source_file ?? x.file);
    const fy = String(y._source_file ?? y.file);
    if (fx !== fy) return fx < fy ? -1 : 1;
    return Number(x._source_row ?? x.line ?? 0) - Number(y._source_row ?? y.line ?? 0);
  };
  return {
    records: records.sort(byPlace),
    held: held.sort(byPlace),
    rejects: rejects.sort(byPlace),
    verdicts: verdicts.sort(byPlace),
  };
}

/** A model's entity columns as the reader writes them: decimals and dates as text, instants ISO. */
function selectRecords(layout: LegacyLayout, model: string): string {
  const cols = layout.target.columns.map((c) => {
    if (c.type.kind === "decimal" || c.type.kind === "date")
      return `cast(${c.name} as varchar) as ${c.name}`;
    if (c.type.kind === "timestamp")
      return `strftime(${c.name}, '%Y-%m-%dT%H:%M:%S.%gZ') as ${c.name}`;
    return c.name;
  });
  return `select _source_file, cast(_source_row as integer) as _source_row, ${cols.join(", ")} from ${model} order by _source_file, _source_row`;
}

async function dbtBuild(ws: Workspace, project: string) {
  const run = await runDbt(ws, ["build", "--select", "path:models/legacy"], {}, project);
  return run;
}

test("readLegacyFile and the dbt models of a layout agree row for row, reason for reason, file for file", async () => {
  const root = tempDir("rmds-legacy-parity-");
  const project = join(root, "dbt");
  cpSync(resolve("dbt"), project, {
    recursive: true,
    filter: (src) => !/[/\\](target|logs|dbt_packages)$/.test(src),
  });
  for (const layout of layouts) {
    for (const [path, text] of Object.entries(renderLegacyLayoutModels(layout))) {
      const at = join(project, "models", path);
      mkdirSync(dirname(at), { recursive: true });
      writeFileSync(at, text);
    }
  }
  const files = [
    ...[posFr, mainframe, legacyCsv, catalogueFr, ...randomLayouts].flatMap(generated),
    ...handWritten(),
  ];
  const ws: Workspace = {
    dir: root,
    database: join(root, "retail.duckdb"),
    targetPath: join(root, "target"),
    logPath: join(root, "logs"),
  };
  await writeLegacyRaw(ws.database, layouts, files);
  const build = await dbtBuild(ws, project);
  expect(build.code, build.output.slice(-4000)).toBe(0);
  expect(notOk(runResults(ws), ["success", "pass", "warn"])).toEqual([]);

  // A file cut short: its last line, in the trailer's place, is a detail line of a file rejected
  // missing_trailer (the reconciliation explains it by its reason).
  expect(
    await queryDuckDb(
      ws.database,
      "select cast(_source_row as integer) as line, outcome, reject_reason, frame_rejection from silver.slv_legacy_pos_fr_sale_line_lines where _source_file like '%edge-no-trailer.csv' order by 1",
    ),
  ).toEqual([
    { line: 2, outcome: "mapped", reject_reason: null, frame_rejection: "missing_trailer" },
    { line: 3, outcome: "rejected", reject_reason: "fee_line", frame_rejection: "missing_trailer" },
    { line: 4, outcome: "mapped", reject_reason: null, frame_rejection: "missing_trailer" },
    {
      line: 5,
      outcome: "rejected",
      reject_reason: "field_count",
      frame_rejection: "missing_trailer",
    },
  ]);
  for (const layout of layouts) {
    const mine = files.filter((f) => f.layout === layout);
    const expected = readAll(mine);
    const n = layout.name;
    // _held also carries the lines of files missing their trailer (or fixed-width header record).
    const heldFiles = new Set(
      expected.held.map((r) => (r as { _source_file: string })._source_file),
    );
    if (layout === posFr) expect(heldFiles).toContain(`legacy_raw/${n}/edge-no-trailer.csv`);
    if (layout === mainframe) expect(heldFiles).toContain(`legacy_raw/${n}/edge-no-header.dat`);
    expect(await queryDuckDb(ws.database, selectRecords(layout, `silver.slv_legacy_${n}`))).toEqual(
      expected.records,
    );
    expect(
      await queryDuckDb(ws.database, selectRecords(layout, `silver.slv_legacy_${n}_held`)),
    ).toEqual(expected.held);
    expect(
      await queryDuckDb(
        ws.database,
        `select _source_file as file, cast(_source_row as integer) as line, reject_reason as reason, reject_column as column, raw_line as raw from silver.slv_legacy_${n}_rejected order by 1, 2`,
      ),
    ).toEqual(expected.rejects);
    expect(
      await queryDuckDb(
        ws.database,
        `select _source_file as file, accepted, rejection_reason as rejection, cast(lines as integer) as lines, cast(detail_lines as integer) as detail, cast(mapped as integer) as mapped, cast(rejected as integer) as rejected, cast(dropped as integer) as dropped, cast(blank_lines as integer) as blank from silver.slv_legacy_${n}_files order by 1`,
      ),
    ).toEqual(expected.verdicts);
  }
}, 300_000);
