import type {
  MigrationReconciliation,
  MigrationReconciliationLine,
} from "../migration-reconciliation.js";
import { formatNumber } from "./bar-chart.js";

/** A line's measures as `rows / quantity / amount`, as the CLI and the report print them. */
export function measuresText(m: MigrationReconciliationLine["legacy"]): string {
  return `${formatNumber(m.rows)} / ${formatNumber(m.quantity)} / ${formatNumber(m.amount, 2)}`;
}

/**
 * The reconciliation's lines, then the total, as the cells of `retail-mds reconcile`'s table and
 * the report's: place (business day, `unattributed` or `total`), store, file lines, the four
 * measures, the line's result and its explanation.
 */
export function reconciliationRows(result: MigrationReconciliation): string[][] {
  return [...result.lines, result.total].map((l) => [
    l.lineKind === "day_store" ? (l.businessDay ?? "") : l.lineKind,
    l.storeId ?? "",
    formatNumber(l.fileLines),
    measuresText(l.legacy),
    measuresText(l.gold),
    measuresText(l.explained),
    measuresText(l.unexplained),
    // Signed off with an unbalanced line: gold rows the unattributed rejects may stand for.
    l.balanced ? "ok" : result.signedOff ? "unattributed?" : "OFF",
    l.explanation,
  ]);
}
