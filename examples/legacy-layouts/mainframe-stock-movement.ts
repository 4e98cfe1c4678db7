// A mainframe-style stock export: fixed-width records, H (header) / D (detail) / T (trailer),
// ISO-8859-1 bytes, quantities as COBOL 9(7)V99 with a trailing sign (units are whole, so the
// two implied decimals must be 00), movement codes, wall-clock times in Paris. The trailer
// carries the detail count and the sum of the quantities; a file failing either is rejected whole.
//
// H  1-1 "H", 2-9 system, 10-17 extraction date yyyyMMdd
// D  1-1 "D", 2-31 movement id, 32-45 yyyyMMddHHmmss, 46-51 store, 52-58 article,
//    59-60 movement code, 61-70 quantity 9(7)V99 + sign, 71-130 reference
// T  1-1 "T", 2-10 record count 9(9), 11-24 quantity total 9(11)V99 + sign (14 characters)
import { defineLegacyLayout } from "retail-mds/legacy";

const quantity = { impliedDecimals: 2, sign: "trailing" } as const;

export default defineLegacyLayout({
  name: "mainframe_stock_movement",
  description: "Nightly stock movement extract of the central stock system (STKMVT).",
  entity: "stock_movement",
  encoding: "iso-8859-1",
  lineEnding: "lf",
  format: {
    kind: "fixed-width",
    recordType: { start: 1, length: 1 },
    header: {
      code: "H",
      fields: [
        { name: "SYSTEM", start: 2, length: 8, default: "STKMVT" },
        { name: "EXTRACT_DATE", start: 10, length: 8, default: "00000000" },
      ],
    },
    detail: {
      code: "D",
      fields: [
        { name: "MVT_ID", start: 2, length: 30 },
        { name: "MVT_TS", start: 32, length: 14 },
        { name: "STORE", start: 46, length: 6 },
        { name: "ARTICLE", start: 52, length: 7 },
        { name: "MVT_CODE", start: 59, length: 2 },
        { name: "QTY", start: 61, length: 10 },
        { name: "REFERENCE", start: 71, length: 60 },
      ],
    },
    trailer: {
      code: "T",
      fields: [
        { name: "RECORD_COUNT", start: 2, length: 9 },
        { name: "QTY_TOTAL", start: 11, length: 14 },
      ],
    },
  },
  columns: {
    movement_id: { field: "MVT_ID" },
    moved_at: {
      field: "MVT_TS",
      parse: { type: "timestamp", format: "yyyyMMddHHmmss", timeZone: "Europe/Paris" },
    },
    store_id: { field: "STORE" },
    sku: { field: "ARTICLE" },
    movement_type: {
      field: "MVT_CODE",
      parse: {
        type: "code",
        map: {
          RC: "receipt",
          VT: "sale",
          RT: "return",
          AJ: "adjustment",
          TE: "transfer_in",
          TS: "transfer_out",
        },
      },
    },
    quantity: { field: "QTY", parse: { type: "int", ...quantity } },
    reference: { field: "REFERENCE" },
  },
  control: [
    { record: "trailer", field: "RECORD_COUNT", check: "count" },
    { record: "trailer", field: "QTY_TOTAL", check: "total", sum: "QTY", format: quantity },
  ],
});
