import { expect, test } from "vitest";
import type {
  MigrationReconciliation,
  MigrationReconciliationLine,
} from "../../src/warehouse/index.js";
import { reconciliationRows } from "../../src/warehouse/report/reconciliation-rows.js";

const zero = { rows: 0, quantity: 0, amount: 0 };
const line = (over: Partial<MigrationReconciliationLine>): MigrationReconciliationLine => ({
  layout: "pos_fr_sale_line",
  lineKind: "day_store",
  businessDay: "2026-11-02",
  storeId: "S002",
  fileLines: 0,
  notSaleRows: 0,
  legacy: zero,
  gold: zero,
  explained: zero,
  unexplained: zero,
  explanation: "",
  balanced: true,
  ...over,
});

function reconciliation(signedOff: boolean): MigrationReconciliation {
  return {
    layout: "pos_fr_sale_line",
    signedOff,
    lines: [
      line({
        fileLines: 1234,
        legacy: { rows: 1230, quantity: 2047, amount: 12345.5 },
        unexplained: { rows: 1, quantity: 1, amount: 7.51 },
        explanation: "unparseable 2",
        balanced: false,
      }),
      line({ lineKind: "unattributed", businessDay: null, storeId: null, fileLines: 1 }),
    ],
    total: line({ lineKind: "total", businessDay: null, storeId: null, fileLines: 1235 }),
    reasons: [],
  };
}

test("the reconciliation's rows, as reconcile and the report print them", () => {
  expect(reconciliationRows(reconciliation(true))).toEqual([
    [
      "2026-11-02",
      "S002",
      "1,234",
      "1,230 / 2,047 / 12,345.50",
      "0 / 0 / 0.00",
      "0 / 0 / 0.00",
      "1 / 1 / 7.51",
      "unattributed?",
      "unparseable 2",
    ],
    [
      "unattributed",
      "",
      "1",
      "0 / 0 / 0.00",
      "0 / 0 / 0.00",
      "0 / 0 / 0.00",
      "0 / 0 / 0.00",
      "ok",
      "",
    ],
    [
      "total",
      "",
      "1,235",
      "0 / 0 / 0.00",
      "0 / 0 / 0.00",
      "0 / 0 / 0.00",
      "0 / 0 / 0.00",
      "ok",
      "",
    ],
  ]);
  // Not signed off, the unbalanced line is off.
  expect(reconciliationRows(reconciliation(false))[0]?.[7]).toBe("OFF");
});
