import { defineLegacyLayout } from "../../src/legacy/index.js";

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
