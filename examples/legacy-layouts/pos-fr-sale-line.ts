// A French point-of-sale export ("export caisse"): one line per article sold, semicolon
// separated, Windows-1252 bytes, French column names, dd/MM/yyyy HH:mm in Paris time, decimal
// commas, payment and channel codes, and a FIN trailer with the line count and the total amount.
// Fee and postage lines and test tickets share the file with the articles: they are rejected with
// their reason, and still count in the trailer (the till counted them).
import { defineLegacyLayout } from "retail-mds/legacy";

const euros = { type: "decimal", decimalSeparator: ",", thousandsSeparator: "" } as const;

export default defineLegacyLayout({
  name: "pos_fr_sale_line",
  description: "Export caisse magasins (V3), one file per store and day, sent at close.",
  entity: "sale_line",
  encoding: "windows-1252",
  lineEnding: "crlf",
  format: {
    kind: "delimited",
    delimiter: ";",
    header: true,
    fields: [
      "N° ticket",
      "Date vente",
      "Magasin",
      "Code article",
      "Libellé",
      // VTE: an article; FRAIS, PORT: fees and postage; AJUST: a manual till adjustment.
      { name: "Type ligne", default: "VTE" },
      "Carte fidélité",
      "Qté",
      "Prix unitaire TTC",
      "Remise",
      "Montant TTC",
      "Montant TVA",
      "Règlement",
      "Canal",
    ],
    trailer: { code: "FIN", fields: ["Enreg", "Nb lignes", "Total TTC"] },
  },
  columns: {
    // The till numbers tickets "S001-20261101-000042"; the platform's ids carry a "T-".
    transaction_id: { field: "N° ticket", transforms: ["trim", { prefix: "T-" }] },
    line_no: { derive: "line_number", within: ["transaction_id"] },
    sold_at: {
      field: "Date vente",
      parse: { type: "timestamp", format: "dd/MM/yyyy HH:mm", timeZone: "Europe/Paris" },
    },
    store_id: { field: "Magasin", transforms: ["trim"] },
    // Article codes come out of a spreadsheet step as "123.0": back to P000123.
    sku: {
      field: "Code article",
      transforms: ["trim", "integer-text", { padStart: 6, with: "0" }, { prefix: "P" }],
    },
    customer_id: { field: "Carte fidélité", transforms: ["trim"] },
    quantity: { field: "Qté", parse: { type: "int" } },
    unit_price: { field: "Prix unitaire TTC", parse: euros },
    discount_amount: { field: "Remise", parse: euros },
    net_amount: { field: "Montant TTC", parse: euros },
    vat_amount: { field: "Montant TVA", parse: euros },
    payment_method: {
      field: "Règlement",
      parse: {
        type: "code",
        map: { CB: "card", ESP: "cash", CADO: "gift_card", MOB: "mobile", PAYPAL: "paypal" },
      },
    },
    channel: {
      field: "Canal",
      parse: { type: "code", map: { MAG: "store", WEB: "web", DRV: "drive" } },
    },
    currency: { constant: "EUR" },
  },
  reject: [
    { reason: "fee_line", when: { field: "Type ligne", in: ["FRAIS", "PORT"] } },
    { reason: "manual_adjustment", when: { field: "Type ligne", equals: "AJUST" } },
    { reason: "test_line", when: { field: "Magasin", equals: "S999" } },
  ],
  control: [
    { record: "trailer", field: "Nb lignes", check: "count" },
    {
      record: "trailer",
      field: "Total TTC",
      check: "total",
      sum: "Montant TTC",
      format: { decimalSeparator: "," },
    },
  ],
});
