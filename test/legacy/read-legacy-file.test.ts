import { expect, test } from "vitest";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { saleLine } from "../../src/entities/index.js";
import {
  defineLegacyLayout,
  encodeText,
  legacyCsvLayout,
  readLegacyFile,
} from "../../src/legacy/index.js";
import { catalogueFr } from "./layouts.js";

const cp1252 = (text: string) => encodeText(text, "windows-1252");

const catalogue = [
  "Code;Désignation;Rayon;Sous-rayon;Marque;Coût;Prix;TVA;Frais;Lancement",
  "123;Crème brûlée;Épicerie;Desserts;Maison;1,20;2,50;0,0550;O;01/03/2025",
  "124;Bœuf bourguignon 1€;Traiteur;Plats;Chef;4,10;7,90;0,0550;O;15/09/2024",
  "125;Eau minérale;Boissons;Eaux;Source;0,20;0,45;0,0550;N;02/01/2020",
].join("\r\n");

test("a Windows-1252 file with é, € and œ reads back right", () => {
  const bytes = cp1252(catalogue);
  // The bytes really are single-byte: € is 0x80, œ is 0x9C, é is 0xE9.
  expect([...bytes]).toContain(0x80);
  expect([...bytes]).toContain(0x9c);
  const result = readLegacyFile(catalogueFr, bytes, "catalogue.csv");
  expect(result.rejects).toEqual([]);
  expect(result.records.map((r) => r.product_name)).toEqual([
    "Crème brûlée",
    "Bœuf bourguignon 1€",
    "Eau minérale",
  ]);
  expect(result.records[0]).toEqual({
    sku: "P000123",
    product_name: "Crème brûlée",
    category: "Épicerie",
    subcategory: "Desserts",
    brand: "Maison",
    unit_cost: "1.20",
    list_price: "2.50",
    vat_rate: "0.0550",
    is_perishable: true,
    launched_on: "2025-03-01",
  });
});

test("the same bytes declared UTF-8 are rejected per line, never mangled", () => {
  const utf8 = defineLegacyLayout({ ...catalogueFr.definition, encoding: "utf-8" });
  // The header itself is not UTF-8 (Désignation): the file cannot even be read.
  const whole = readLegacyFile(utf8, cp1252(catalogue), "catalogue.csv");
  expect(whole.accepted).toBe(false);
  expect(whole.rejection?.reason).toBe("missing_header");
  // With a pure-ASCII header, each line holding a non-ASCII byte is rejected on its own.
  const ascii = catalogue.replace("Désignation", "Designation").replace("Coût", "Cout");
  const layout = defineLegacyLayout({
    ...catalogueFr.definition,
    encoding: "utf-8",
    format: {
      kind: "delimited",
      delimiter: ";",
      fields: [
        "Code",
        "Designation",
        "Rayon",
        "Sous-rayon",
        "Marque",
        "Cout",
        "Prix",
        "TVA",
        "Frais",
        "Lancement",
      ],
    },
    columns: {
      ...catalogueFr.definition.columns,
      product_name: { field: "Designation" },
      unit_cost: { field: "Cout", parse: { type: "decimal", decimalSeparator: "," } },
    },
  });
  const result = readLegacyFile(
    layout,
    cp1252(`${ascii}\r\n126;Sel;Epicerie;Sel;Salins;0,10;0,30;0,0550;N;01/01/2021`),
    "x.csv",
  );
  expect(result.accepted).toBe(true);
  expect(result.rejects.map((r) => [r.line, r.reason])).toEqual([
    [2, "bad_encoding"],
    [3, "bad_encoding"],
    [4, "bad_encoding"],
  ]);
  expect(result.rejects[0]?.detail).toBe("not valid UTF-8 at byte 8 (declared utf-8)");
  expect(result.records.map((r) => r.product_name)).toEqual(["Sel"]);
  // Nothing read holds a replacement character: no text was silently mangled.
  expect(JSON.stringify(result.records)).not.toContain("\uFFFD");
});

const header =
  "N° ticket;Date vente;Magasin;Code article;Libellé;Type ligne;Carte fidélité;Qté;Prix unitaire TTC;Remise;Montant TTC;Montant TVA;Règlement;Canal";
const posLines = [
  header,
  "S001-20261101-000042;01/11/2026 09:30;S001;123.0;Crème brûlée;VTE;C0000042;2;2,50;0,00;5,00;0,26;CB;MAG",
  "S001-20261101-000042;01/11/2026 09:30;S001;0;Frais de sac;FRAIS;C0000042;1;0,10;0,00;0,10;0,02;CB;MAG",
  "S001-20261101-000042;01/11/2026 09:30;S001;124;Bœuf 1€;VTE;C0000042;-1;7,90;0,00;-7,90;-0,41;CB;MAG",
  "S001-20261101-000043;01/11/2026 09:41;S001;125;Eau;VTE;;3;0,45;0,15;1,20;0,06;ESP;MAG",
  "S001-20261101-000044;01/11/2026 09:45;S001;126;Eau;VTE;;1;0,45;0,00;0,45;0,02;CHQ;MAG",
];

test("the French point-of-sale export: codes, Paris time, derived line numbers, fees rejected", () => {
  const bytes = cp1252(`${[...posLines, "FIN;5;-1,15"].join("\r\n")}\r\n`);
  const result = readLegacyFile(posFr, bytes, "caisse-S001-20261101.csv");
  expect(result.accepted).toBe(true);
  expect(result.records).toHaveLength(3);
  expect(result.records[0]).toEqual({
    transaction_id: "T-S001-20261101-000042",
    line_no: 1,
    sold_at: "2026-11-01T08:30:00.000Z",
    store_id: "S001",
    sku: "P000123",
    customer_id: "C0000042",
    quantity: 2,
    unit_price: "2.50",
    discount_amount: "0.00",
    net_amount: "5.00",
    vat_amount: "0.26",
    payment_method: "card",
    channel: "store",
    currency: "EUR",
  });
  // The fee line is not an article and takes no line number: the return is line 2.
  expect(result.records[1]).toMatchObject({ line_no: 2, quantity: -1, net_amount: "-7.90" });
  expect(result.records[2]).toMatchObject({
    line_no: 1,
    payment_method: "cash",
    customer_id: null,
  });
  expect(result.rejects.map((r) => ({ line: r.line, reason: r.reason, column: r.column }))).toEqual(
    [
      { line: 3, reason: "fee_line", column: undefined },
      { line: 6, reason: "unparseable", column: "payment_method" },
    ],
  );
  expect(result.rejects[1]).toMatchObject({
    file: "caisse-S001-20261101.csv",
    detail: '"CHQ" is not one of the codes CB, ESP, CADO, MOB, PAYPAL',
    raw: posLines[5],
  });
  expect(result.controls.map((c) => [c.field, c.declared, c.actual, c.ok])).toEqual([
    ["Nb lignes", "5", "5", true],
    ["Total TTC", "-1,15", "-1.15", true],
  ]);
  expect(result.stats).toEqual({
    lines: 7,
    detailLines: 5,
    mapped: 3,
    rejected: 2,
    dropped: 0,
    blankLines: 0,
  });
});

test("a file failing its trailer is rejected whole, with the reason", () => {
  const short = readLegacyFile(posFr, cp1252([...posLines, "FIN;6;-1,15"].join("\r\n")), "a.csv");
  expect(short.accepted).toBe(false);
  expect(short.records).toEqual([]);
  expect(short.rejection).toEqual({
    reason: "control_count",
    detail: "the trailer says Nb lignes = 6; the file has 5",
  });
  const total = readLegacyFile(posFr, cp1252([...posLines, "FIN;5;12,00"].join("\r\n")), "b.csv");
  expect(total.rejection?.reason).toBe("control_total");
  const none = readLegacyFile(posFr, cp1252(posLines.join("\r\n")), "c.csv");
  expect(none.rejection).toEqual({
    reason: "missing_trailer",
    detail: "the trailer record (FIN) is not the last line",
  });
});

const mf = (lines: string[]) => encodeText(`${lines.join("\n")}\n`, "iso-8859-1");
const detail = (id: string, qty: string, code = "RC") =>
  `D${id.padEnd(30)}20261101060000S001  P000123${code}${qty}${"PO-1".padEnd(60)}`;

test("the mainframe stock export: implied decimals, trailing sign, H/D/T records", () => {
  const result = readLegacyFile(
    mainframe,
    mf([
      "HSTKMVT  20261102",
      detail("M-S001-20261101-000001", "000001200+"),
      detail("M-S001-20261101-000002", "000000300-", "VT"),
      detail("M-S001-20261101-000003", "000000250-", "VT"),
      "X garbage line",
      detail("M-S001-20261101-000004", "000000300-").slice(0, 50),
      "T0000000050000000000650+",
    ]),
    "STKMVT.D261102",
  );
  expect(result.accepted).toBe(true);
  expect(
    result.records.map((r) => [r.movement_id, r.quantity, r.movement_type, r.moved_at]),
  ).toEqual([
    ["M-S001-20261101-000001", 12, "receipt", "2026-11-01T05:00:00.000Z"],
    ["M-S001-20261101-000002", -3, "sale", "2026-11-01T05:00:00.000Z"],
  ]);
  expect(result.rejects.map((r) => [r.line, r.reason, r.column])).toEqual([
    [4, "unparseable", "quantity"], // 2.50 units: a quantity must be whole
    [5, "unknown_record_type", undefined],
    [6, "truncated", undefined],
  ]);
  // The trailer counts every detail line and sums every quantity that reads as a number:
  // 12 - 3 - 2.50 (the truncated line has no quantity field to read).
  expect(result.controls.map((c) => [c.declared, c.actual, c.ok])).toEqual([
    ["000000005", "5", true],
    ["0000000000650+", "6.50", true],
  ]);
});

test("header names are matched without their surrounding blanks, in any order", () => {
  const padded = catalogue.replace("Code;Désignation", " Désignation ;Code ").split("\r\n");
  const swapped = [
    padded[0],
    ...padded.slice(1).map((l) => {
      const [a, b, ...rest] = l.split(";");
      return [b, a, ...rest].join(";");
    }),
  ].join("\r\n");
  const result = readLegacyFile(catalogueFr, cp1252(swapped));
  expect(result.rejection).toBeUndefined();
  expect(result.records.map((r) => [r.sku, r.product_name])).toEqual([
    ["P000123", "Crème brûlée"],
    ["P000124", "Bœuf bourguignon 1€"],
    ["P000125", "Eau minérale"],
  ]);
});

test("a line holding U+FFFD is bad_encoding even when it is valid UTF-8, and a reject's raw is the line decoded as the RAW table holds it", () => {
  const layout = legacyCsvLayout(saleLine);
  const columns = saleLine.columns.map((c) => c.name).join(",");
  const row = (sku: string) =>
    `T-S001-1,1,2026-11-01T09:30:00.000Z,S001,${sku},,1,2.50,0.00,2.50,0.42,card,store,EUR`;
  // Line 4 holds a lone 0xE9 (Latin-1 é), not valid UTF-8.
  const bytes = Buffer.from(
    `${columns}\n${row("P000001")}\n${row("P00\uFFFD002")}\n${row("P00X003")}\n`,
    "utf8",
  );
  bytes[bytes.lastIndexOf("X")] = 0xe9;
  const result = readLegacyFile(layout, bytes, "legacy.csv");
  expect(result.rejects.map((r) => [r.line, r.reason, r.raw])).toEqual([
    [3, "bad_encoding", row("P00\uFFFD002")],
    [4, "bad_encoding", row("P00\uFFFD003")],
  ]);
  expect(result.rejects[0]?.detail).toBe(
    "the line holds U+FFFD, the mark of text mangled before (declared utf-8)",
  );
  // Windows-1252's five undefined bytes: the raw text is the Windows-1252 decode, not UTF-8's.
  const cp = readLegacyFile(
    posFr,
    Buffer.concat([
      cp1252(`${posLines[0]}\r\n`),
      cp1252(posLines[1] as string).subarray(0, 30),
      Uint8Array.of(0x81),
      cp1252(`${(posLines[1] as string).slice(30)}\r\nFIN;2;5,00\r\n`),
    ]),
  );
  expect(cp.rejects.map((r) => [r.line, r.reason])).toEqual([[2, "bad_encoding"]]);
  expect(cp.rejects[0]?.raw).toBe(
    `${(posLines[1] as string).slice(0, 30)}\uFFFD${(posLines[1] as string).slice(30)}`,
  );
});
