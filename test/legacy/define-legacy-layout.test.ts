import { gzipSync } from "node:zlib";
import { expect, expectTypeOf, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import {
  defineLegacyLayout,
  encodeText,
  type LayoutDefinition,
  type LegacyLayout,
  LegacyLayoutError,
  readLegacyFile,
} from "../../src/legacy/index.js";

const base = posFr.definition;
const tryDefine = (definition: unknown) => {
  try {
    defineLegacyLayout(definition as LayoutDefinition);
    return "defined";
  } catch (error) {
    expect(error).toBeInstanceOf(LegacyLayoutError);
    return (error as Error).message;
  }
};
const without = (column: string) => {
  const { [column]: _, ...rest } = base.columns;
  return rest;
};

test("a bad layout names the key and what is allowed", () => {
  expect(tryDefine({ ...base, entity: "invoice" })).toMatchInlineSnapshot(
    `"legacy layout "pos_fr_sale_line": "entity" must be one of store, product, customer, sale_line, stock_movement, stock_snapshot"`,
  );
  expect(tryDefine({ ...base, columns: without("sold_at") })).toMatchInlineSnapshot(
    `"legacy layout "pos_fr_sale_line": "columns.sold_at" is missing: every column of sale_line needs a field, constant, concat or derive"`,
  );
  expect(
    tryDefine({ ...base, columns: { ...base.columns, store_id: { field: "Boutique" } } }),
  ).toMatch(/"columns.store_id.field" names field "Boutique", which the detail record lacks/);
  expect(
    tryDefine({
      ...base,
      columns: {
        ...base.columns,
        sold_at: {
          field: "Date vente",
          parse: { type: "timestamp", format: "dd/MM/yyyy HH:mm", timeZone: "Paris" },
        },
      },
    }),
  ).toMatchInlineSnapshot(
    `"legacy layout "pos_fr_sale_line": "columns.sold_at.parse.timeZone" is not an IANA time zone: "Paris""`,
  );
  expect(
    tryDefine({
      ...base,
      columns: {
        ...base.columns,
        payment_method: { field: "Règlement", parse: { type: "code", map: { CB: "carte" } } },
      },
    }),
  ).toMatchInlineSnapshot(
    `"legacy layout "pos_fr_sale_line": "columns.payment_method.parse.map.CB" maps to "carte"; payment_method takes card, cash, gift_card, mobile, paypal"`,
  );
  expect(tryDefine({ ...base, encoding: "ebcdic" })).toMatch(/"encoding" Invalid option/);
  expect(
    tryDefine({
      ...base,
      columns: { ...base.columns, quantity: { field: "Qté", parse: { type: "date" } } },
    }),
  ).toMatchInlineSnapshot(
    `"legacy layout "pos_fr_sale_line": "columns.quantity.parse.type" must be int or decimal for a int column; got date"`,
  );
  expect(
    tryDefine({ ...base, control: [{ record: "trailer", field: "Total TTC", check: "total" }] }),
  ).toMatch(/"control.0" a total check needs `sum`/);
  expect(tryDefine({ ...base, columns: { ...base.columns, colour: { constant: "red" } } })).toMatch(
    /"columns.colour" is not a column of sale_line/,
  );
});

test("the layout type is inferred from the schema", () => {
  expectTypeOf(posFr).toExtend<LegacyLayout>();
  expectTypeOf<LayoutDefinition["encoding"]>().toEqualTypeOf<
    "utf-8" | "utf-8-bom" | "iso-8859-1" | "windows-1252"
  >();
});

// A till that writes no net amount, VAT or line number, and marks returns with a code.
const till = defineLegacyLayout({
  name: "till_minimal",
  description: "A till export with the bare minimum.",
  entity: "sale_line",
  encoding: "utf-8-bom",
  compression: "gzip",
  format: {
    kind: "delimited",
    delimiter: "|",
    header: false,
    skipLines: 1,
    fields: ["store", "ticket", "time", "sku", "type", "qty", "price", "disc"],
  },
  columns: {
    transaction_id: { concat: ["T-", { field: "store" }, "-", { field: "ticket" }] },
    line_no: { derive: "line_number", within: ["transaction_id"] },
    sold_at: {
      field: "time",
      parse: { type: "timestamp", format: "yyyy-MM-dd HH:mm:ss", timeZone: "America/Guadeloupe" },
    },
    store_id: { field: "store" },
    sku: { field: "sku" },
    customer_id: { constant: null },
    quantity: { field: "qty" },
    unit_price: { field: "price", parse: { type: "decimal", thousandsSeparator: "'" } },
    discount_amount: { field: "disc" },
    net_amount: { derive: "product", of: ["quantity", "unit_price"], minus: "discount_amount" },
    vat_amount: { derive: "vat_included", amount: "net_amount", rate: "0.085" },
    payment_method: { constant: "card" },
    channel: { constant: "store" },
    currency: { constant: "EUR" },
  },
  returns: { field: "type", codes: ["R"], otherwise: "S", negate: ["quantity"] },
  drop: [{ reason: "void_line", when: { field: "type", equals: "X" } }],
  reject: [{ reason: "test_line", when: { field: "sku", matches: "^P9" } }],
});

test("derived columns, returns by code, drops counted, gzip and a BOM", () => {
  const text = [
    "EXPORT 2026-11-01",
    "S001|20261101-000001|2026-11-01 09:15:00|P000001|S|2|1'234.50|0.50",
    "S001|20261101-000001|2026-11-01 09:15:00|P000002|X|1|1.00|0.00",
    "S001|20261101-000001|2026-11-01 09:15:00|P000003|R|1|10.00|0.00",
    "S001|20261101-000001|2026-11-01 09:15:00|P900000|S|1|10.00|0.00",
  ].join("\n");
  const bytes = gzipSync(
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), encodeText(text, "utf-8")]),
  );
  const result = readLegacyFile(till, bytes, "till.psv.gz");
  expect(result.rejects.map((r) => r.reason)).toEqual(["test_line"]);
  expect(result.dropped).toEqual({ void_line: 1 });
  expect(result.records).toEqual([
    expect.objectContaining({
      transaction_id: "T-S001-20261101-000001",
      line_no: 1,
      sold_at: "2026-11-01T13:15:00.000Z",
      quantity: 2,
      unit_price: "1234.50",
      net_amount: "2468.50",
      // 2468.50 x 0.085 / 1.085 = 193.3848...: 193.38
      vat_amount: "193.38",
    }),
    expect.objectContaining({
      line_no: 2,
      quantity: -1,
      net_amount: "-10.00",
      vat_amount: "-0.78",
    }),
  ]);
  expect(result.stats).toMatchObject({ detailLines: 4, mapped: 2, rejected: 1, dropped: 1 });
  expect(readLegacyFile(till, Uint8Array.from([1, 2, 3]), "x.gz").rejection?.reason).toBe(
    "bad_compression",
  );
});

test("a wall-clock time skipped by a DST change is unparseable, not shifted", () => {
  const paris = defineLegacyLayout({
    ...till.definition,
    compression: "none",
    columns: {
      ...till.definition.columns,
      sold_at: {
        field: "time",
        parse: { type: "timestamp", format: "yyyy-MM-dd HH:mm:ss", timeZone: "Europe/Paris" },
      },
    },
  });
  const line = (time: string) => `S001|20260329-000001|${time}|P000001|S|1|1.00|0.00`;
  const result = readLegacyFile(
    paris,
    encodeText(["x", line("2026-03-29 02:30:00"), line("2026-03-29 03:30:00")].join("\n"), "utf-8"),
  );
  expect(result.rejects.map((r) => [r.reason, r.column, r.detail])).toEqual([
    [
      "unparseable",
      "sold_at",
      '"2026-03-29 02:30:00" is not a Europe/Paris time as yyyy-MM-dd HH:mm:ss',
    ],
  ]);
  expect(result.records[0]?.sold_at).toBe("2026-03-29T01:30:00.000Z");
});
