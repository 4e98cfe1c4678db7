import fc from "fast-check";
import { expect, test } from "vitest";
import type { Column } from "../../src/entities/index.js";
import { fromTransferColumns, toTransferColumns } from "../../src/lake/column-transfer.js";

const column = (name: string, type: Column["type"]): Column => ({
  name,
  type,
  nullable: true,
  description: "",
  pii: false,
});
const columns = [
  column("code", { kind: "string" }),
  column("text", { kind: "string" }),
  column("n", { kind: "int" }),
  column("flag", { kind: "boolean" }),
];

test("records cross to a worker as columns and come back value for value", () => {
  const row = fc.record({
    // Few distinct values (sent as codes) and any text (sent whole), nulls in both.
    code: fc.option(fc.constantFrom("S001", "S002", "é", ""), { nil: null }),
    text: fc.option(fc.string({ unit: "grapheme" }), { nil: null }),
    n: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { nil: null }),
    flag: fc.option(fc.boolean(), { nil: null }),
  });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 300 }), (records) => {
      const transfer = structuredClone(toTransferColumns(columns, records));
      const back = fromTransferColumns(transfer);
      expect(back).toEqual(columns.map((c) => records.map((r) => r[c.name as keyof typeof r])));
    }),
    { numRuns: 200 },
  );
  const kinds = toTransferColumns(
    columns,
    Array.from({ length: 1000 }, (_, i) => ({ code: "S001", text: `T${i}`, n: i, flag: true })),
  ).map((c) => c.kind);
  expect(kinds).toEqual(["codes", "text", "int", "boolean"]);
});
