import type { LegacyLayout } from "../legacy/index.js";

/** The generated model of the reconciliation's legacy side, by path under `models/`. */
export const LEGACY_SALE_LINES_MODEL = "gold/fct_legacy_sale_lines.sql";

/**
 * `fct_legacy_sale_lines`, the legacy side of the migration reconciliation, for the project's
 * sale_line layouts (others are skipped: the reconciliation compares sales): a call of the dbt
 * project's `legacy_sale_lines` macro with every layout's name and the reasons of its routing
 * rules (lines that are no sale, such as fees). The marts `mart_migration_reconciliation` and
 * `mart_migration_reconciliation_reasons` read it. `retail-mds dbt-sources` writes it.
 * @example
 * renderMigrationReconciliationModels([posFr])["gold/fct_legacy_sale_lines.sql"];
 * // "... {{ legacy_sale_lines([{'name': 'pos_fr_sale_line', 'routed': ['fee_line', ...]}]) }}"
 */
export function renderMigrationReconciliationModels(
  layouts: readonly LegacyLayout[],
): Record<string, string> {
  // Layout names and reasons are snake_case by the layout schema: safe inside Jinja quotes.
  const list = layouts
    .filter((layout) => layout.target.name === "sale_line")
    .map((layout) => {
      const routed = [...new Set(layout.reject.map((rule) => rule.reason))];
      return `{'name': '${layout.name}', 'routed': [${routed.map((r) => `'${r}'`).join(", ")}]}`;
    });
  return {
    [LEGACY_SALE_LINES_MODEL]:
      "-- Every detail line of the sale_line legacy layouts, classified, placed on a business day and\n" +
      "-- store and valued: the legacy side of the migration reconciliation (macro legacy_sale_lines).\n" +
      "-- Rendered by `retail-mds dbt-sources` from the config's layouts; do not edit.\n" +
      `{{ legacy_sale_lines([${list.join(", ")}]) }}\n`,
  };
}
