import type { MigrationReconciliation } from "../migration-reconciliation.js";
import { type Bar, barChart, escapeHtml } from "./bar-chart.js";
import { measuresText, reconciliationRows } from "./reconciliation-rows.js";
import { table } from "./report-table.js";

const KIND_LABEL = { reject: "rejected", file_rejection: "file rejected", not_sale: "no sale" };

/** What accounts for the legacy lines that are not gold's records, and the unexplained rest. */
function explanationBars(result: MigrationReconciliation): Bar[] {
  const byReason = new Map<string, number>();
  for (const r of result.reasons) {
    const label = `${KIND_LABEL[r.kind]}: ${r.reason}`;
    byReason.set(label, (byReason.get(label) ?? 0) + r.rows);
  }
  return [
    ...[...byReason]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, value]) => ({ label, value })),
    { label: "unexplained", value: Math.abs(result.total.unexplained.rows) },
  ];
}

function layoutPart(result: MigrationReconciliation): string {
  const verdict = result.signedOff
    ? `<span class="ok">signed off</span>: nothing unexplained`
    : `<span class="bad">NOT signed off</span>: unexplained ${escapeHtml(measuresText(result.total.unexplained))} (rows / quantity / amount) in total`;
  return `<h3 id="migration-${escapeHtml(result.layout)}">${escapeHtml(result.layout)}: ${verdict}</h3>${barChart(
    `chart-migration-${result.layout}`,
    explanationBars(result),
    { color: "#c9802b", unit: "rows" },
  )}${table(
    [
      "Business day",
      "Store",
      "File lines",
      "Legacy",
      "Gold",
      "Explained",
      "Unexplained",
      "Result",
      "Explanation",
    ],
    reconciliationRows(result),
    [1, 8],
  )}`;
}

/**
 * The "Migration" section: per legacy layout, its verdict, a chart of what explains the
 * differences (rows per reason, and the unexplained rows of the total) and the reconciliation
 * lines, measures as rows / quantity / amount.
 */
export function migrationSection(
  migration: readonly MigrationReconciliation[] | undefined,
): string {
  const intro =
    "<p>Legacy layouts against gold (fct_sales), from mart_migration_reconciliation: " +
    "unexplained = gold - legacy - explained, per rows / quantity / amount; zero signs the migration off.</p>";
  const body =
    migration === undefined
      ? "<p>dbt did not build mart_migration_reconciliation.</p>"
      : migration.length === 0
        ? "<p>No legacy layout to reconcile (no sale_line layout in the config, or no legacy line yet).</p>"
        : migration.map(layoutPart).join("");
  return `<section id="migration"><h2>Migration</h2>${intro}${body}</section>`;
}
