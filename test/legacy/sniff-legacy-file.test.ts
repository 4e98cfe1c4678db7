import { expect, test } from "vitest";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import { sniffLegacyFile, writeLegacyFile } from "../../src/legacy/index.js";

test("sniff finds the record types and field positions of a fixed-width export", () => {
  const movement = {
    movement_id: "M-S001-20261101-000001",
    moved_at: "2026-11-01T05:00:00.000Z",
    store_id: "S001",
    sku: "P000123",
    movement_type: "receipt",
    quantity: 12,
    reference: "PO-1",
  };
  const bytes = writeLegacyFile(
    mainframe,
    [
      movement,
      {
        ...movement,
        movement_id: "M-S001-20261101-000002",
        movement_type: "sale",
        quantity: -3,
        reference: "T-S001-1",
      },
      { ...movement, movement_id: "M-S002-20261101-000003", store_id: "S002", quantity: 40 },
    ],
    { header: { EXTRACT_DATE: "20261102" } },
  );
  const sniffed = sniffLegacyFile(bytes, { file: "STKMVT.D261102" });
  expect(sniffed.kind).toBe("fixed-width");
  expect(sniffed.recordTypes).toEqual(["H", "D", "T"]);
  expect(sniffed.detailType).toBe("D");
  // The very positions the layout declares.
  expect(sniffed.fields.map((f) => [f.start, f.length])).toEqual(
    (mainframe.records.detail.slices ?? []).map((s) => [s.start, s.length]),
  );
  expect(sniffed.fields.find((f) => f.start === 32)?.parse).toMatchObject({
    type: "timestamp",
    format: "yyyyMMddHHmmss",
  });
  expect(sniffed.fields.find((f) => f.start === 61)?.parse).toMatchObject({
    type: "int",
    sign: "trailing",
  });
  expect(sniffed.source).toContain('name: "stkmvt"');
});

test("sniff reads an ISO-8859-1-or-1252 file without bytes 0x80-0x9F honestly", () => {
  const bytes = Buffer.from("Code;Nom\r\n1;Crème\r\n2;Pâte\r\n", "latin1");
  const sniffed = sniffLegacyFile(bytes);
  expect(sniffed.encoding).toBe("windows-1252");
  expect(sniffed.encodingNote).toBe(
    "not UTF-8; no byte 0x80-0x9F, so ISO-8859-1 would read it the same",
  );
  expect(sniffed.header).toBe(true);
  expect(sniffed.fields.map((f) => [f.name, f.parse.type])).toEqual([
    ["Code", "int"],
    ["Nom", "text"],
  ]);
});

test("sniff proposes text for zero-padded codes and digits beyond an int, so no zero is lost", () => {
  const bytes = Buffer.from(
    [
      "Magasin;EAN;Article;Qté;Stock",
      "0042;3017620422003;123;2;-0003",
      "0043;0012345678905;7;1;12",
      "0100;4006381333931;45;3;0",
    ].join("\n"),
  );
  const sniffed = sniffLegacyFile(bytes);
  expect(sniffed.header).toBe(true);
  expect(sniffed.fields.map((f) => [f.name, f.parse.type])).toEqual([
    ["Magasin", "text"], // int would read 0042 as 42
    ["EAN", "text"], // 13 digits: beyond an int, and 0012345678905 loses its zeros
    ["Article", "int"],
    ["Qté", "int"],
    ["Stock", "int"], // a sign makes it a number: "-0003" is -3
  ]);
  expect(sniffed.source).toContain('// field "Magasin": looks like text');
});

test("sniff still sees a header above columns of digit codes only", () => {
  const sniffed = sniffLegacyFile(
    Buffer.from("Magasin;EAN\n0042;3017620422003\n0043;0012345678905\n"),
  );
  expect(sniffed.header).toBe(true);
  expect(sniffed.fields.map((f) => [f.name, f.parse.type])).toEqual([
    ["Magasin", "text"],
    ["EAN", "text"],
  ]);
  const headless = sniffLegacyFile(Buffer.from("0042;3017620422003\n0043;0012345678905\n"));
  expect(headless.header).toBe(false);
  expect(headless.fields.map((f) => f.parse.type)).toEqual(["text", "text"]);
});
