import fc from "fast-check";
import { defineLegacyLayout, type LayoutDefinition } from "../../src/legacy/index.js";

/** A small Windows-1252 product catalogue export: French names, O/N booleans, dd/MM/yyyy. */
export const catalogueFr = defineLegacyLayout({
  name: "catalogue_fr",
  description: "Catalogue articles, export hebdomadaire.",
  entity: "product",
  encoding: "windows-1252",
  lineEnding: "crlf",
  format: {
    kind: "delimited",
    delimiter: ";",
    fields: [
      "Code",
      "Désignation",
      "Rayon",
      "Sous-rayon",
      "Marque",
      "Coût",
      "Prix",
      "TVA",
      "Frais",
      "Lancement",
    ],
  },
  columns: {
    sku: { field: "Code", transforms: ["trim", { padStart: 6 }, { prefix: "P" }] },
    product_name: { field: "Désignation", transforms: ["trim"] },
    category: { field: "Rayon" },
    subcategory: { field: "Sous-rayon" },
    brand: { field: "Marque" },
    unit_cost: { field: "Coût", parse: { type: "decimal", decimalSeparator: "," } },
    list_price: { field: "Prix", parse: { type: "decimal", decimalSeparator: "," } },
    vat_rate: { field: "TVA", parse: { type: "decimal", decimalSeparator: "," } },
    is_perishable: { field: "Frais", parse: { type: "boolean", true: ["O"], false: ["N"] } },
    launched_on: { field: "Lancement", parse: { type: "date", format: "dd/MM/yyyy" } },
  },
});

export const MOVEMENTS = [
  "receipt",
  "sale",
  "return",
  "adjustment",
  "transfer_in",
  "transfer_out",
] as const;

export const ENCODINGS = ["utf-8", "utf-8-bom", "iso-8859-1", "windows-1252"] as const;
const FORMATS = [
  { format: "dd/MM/yyyy HH:mm", unit: 60_000 },
  { format: "yyyyMMddHHmmss", unit: 1000 },
  { format: "yyyy-MM-dd HH:mm:ss.SSS", unit: 1 },
  { format: "MM/dd/yyyy HH:mm:ss", unit: 1000 },
] as const;
const ZONES = ["UTC", "Europe/Paris", "America/Guadeloupe", "Europe/Lisbon", "Asia/Kolkata"];

const numberFormat = fc.record({
  decimalSeparator: fc.constantFrom(".", ","),
  thousandsSeparator: fc.constantFrom("", " ", "'"),
  impliedDecimals: fc.constant(0),
  sign: fc.constantFrom("leading", "trailing"),
});

/** A random layout for stock_movement: delimited or fixed-width, any encoding and dialect. */
export const randomMovementLayout = fc
  .record({
    encoding: fc.constantFrom(...ENCODINGS),
    lineEnding: fc.constantFrom("lf", "crlf"),
    compression: fc.constantFrom("none", "gzip"),
    fixed: fc.boolean(),
    delimiter: fc.constantFrom(";", ",", "|", "\t"),
    quote: fc.constantFrom('"', "'"),
    escape: fc.constantFrom(undefined, "\\"),
    header: fc.boolean(),
    skipLines: fc.integer({ min: 0, max: 2 }),
    order: fc.shuffledSubarray(["ID", "TS", "STORE", "SKU", "TYPE", "QTY", "REF", "NOTE"], {
      minLength: 8,
      maxLength: 8,
    }),
    time: fc.constantFrom(...FORMATS),
    timeZone: fc.constantFrom(...ZONES),
    qty: numberFormat,
    implied: fc.integer({ min: 0, max: 3 }),
    codes: fc.uniqueArray(fc.stringMatching(/^[A-Z]{2}$/), { minLength: 6, maxLength: 6 }),
    skuPrefix: fc.boolean(),
    trailer: fc.boolean(),
  })
  .map((c) => {
    const fields = c.order.map((name) => {
      const width = name === "REF" ? 60 : name === "ID" ? 30 : 24;
      return c.fixed ? { name, width } : { name, width: 0 };
    });
    let at = 2;
    const fixedFields = fields.map((f) => {
      const spec = { name: f.name, start: at, length: f.width };
      at += f.width;
      return spec;
    });
    const qtyFormat = {
      ...c.qty,
      impliedDecimals: c.implied,
      ...(c.implied ? { thousandsSeparator: "" } : {}),
    };
    const control = c.trailer
      ? [
          { record: "trailer", field: "COUNT", check: "count" },
          { record: "trailer", field: "SUM", check: "total", sum: "QTY", format: qtyFormat },
        ]
      : [];
    const trailerFields = c.fixed
      ? [
          { name: "COUNT", start: 2, length: 12 },
          { name: "SUM", start: 14, length: 30 },
        ]
      : ["TAG", "COUNT", "SUM"];
    const definition = {
      name: "random_layout",
      description: "random",
      entity: "stock_movement",
      encoding: c.encoding,
      lineEnding: c.lineEnding,
      compression: c.compression,
      format: c.fixed
        ? {
            kind: "fixed-width",
            recordType: { start: 1, length: 1 },
            detail: { code: "D", fields: fixedFields },
            ...(c.trailer ? { trailer: { code: "T", fields: trailerFields } } : {}),
          }
        : {
            kind: "delimited",
            delimiter: c.delimiter,
            quote: c.quote,
            ...(c.escape ? { escape: c.escape } : {}),
            header: c.header,
            skipLines: c.skipLines,
            fields: c.order,
            ...(c.trailer ? { trailer: { code: "END", fields: trailerFields } } : {}),
          },
      columns: {
        movement_id: { field: "ID" },
        moved_at: {
          field: "TS",
          parse: { type: "timestamp", format: c.time.format, timeZone: c.timeZone },
        },
        store_id: { field: "STORE" },
        sku: c.skuPrefix ? { field: "SKU", transforms: [{ prefix: "P" }] } : { field: "SKU" },
        movement_type: {
          field: "TYPE",
          parse: {
            type: "code",
            map: Object.fromEntries(c.codes.map((code, i) => [code, MOVEMENTS[i]])),
          },
        },
        quantity: { field: "QTY", parse: { type: "int", ...qtyFormat } },
        reference: { field: "REF" },
      },
      control,
    } as unknown as LayoutDefinition;
    return {
      layout: defineLegacyLayout(definition),
      time: c.time,
      timeZone: c.timeZone,
      encoding: c.encoding,
      fixed: c.fixed,
    };
  });
