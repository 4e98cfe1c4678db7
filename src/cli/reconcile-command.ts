import { existsSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import {
  type MigrationReconciliation,
  MigrationReconciliationError,
  readMigrationReconciliation,
} from "../warehouse/index.js";
import { measuresText, reconciliationRows } from "../warehouse/report/reconciliation-rows.js";
import type { Command } from "./command.js";
import { databaseOption, helpFor, parseOptions, settingLabel } from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { UsageError } from "./usage-error.js";

const spec = {
  database: {
    type: "string",
    description:
      "DuckDB database file dbt built (default: config warehouse.database, ./warehouse/retail.duckdb)",
  },
  layout: { type: "string", description: "reconcile only this legacy layout (its name)" },
  json: { type: "boolean", description: "print the reconciliation as JSON", default: false },
  config: configOption,
  help: { type: "boolean", description: "show this help", short: "h" },
} as const;

/** One layout as a table: a row per line, the measures as `rows / quantity / amount`. */
function renderTable(result: MigrationReconciliation): string {
  const headers = [
    "business day",
    "store",
    "lines",
    "legacy",
    "gold",
    "explained",
    "unexplained",
    "",
    "explanation",
  ];
  const rows = reconciliationRows(result);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const off = result.lines.filter((l) => !l.balanced && l.lineKind === "day_store").length;
  const verdict = result.signedOff
    ? "signed off: nothing unexplained"
    : `NOT signed off: unexplained ${measuresText(result.total.unexplained)} (rows / quantity / amount) in total, ${off} day/store line(s) off`;
  return [
    `${result.layout}: ${verdict}`,
    "  measures are rows / quantity / amount; unexplained = gold - legacy - explained",
    ...[headers, ...rows].map((r) => `  ${line(r)}`),
  ].join("\n");
}

/** Reads the warehouse read-only, so a report can be taken while nothing else writes it. */
async function withWarehouse<T>(
  database: string,
  read: (query: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  const instance = await DuckDBInstance.create(database, { access_mode: "READ_ONLY" });
  try {
    const connection = await instance.connect();
    try {
      return await read(
        async (sql) =>
          (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
      );
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * `retail-mds reconcile`: the migration reconciliation dbt built (mart_migration_reconciliation),
 * as a table or `--json`. Exit 0 when every layout is signed off, 1 when something is
 * unexplained, 2 on bad input (no warehouse, no mart, an unknown layout).
 */
export const command: Command = {
  summary: "the migration reconciliation: legacy layouts against gold (exit 1 if unexplained)",
  async run(args) {
    const options = parseOptions("reconcile", args, spec);
    if (options.help) {
      console.log(helpFor("reconcile", spec));
      return 0;
    }
    const config = await readProjectConfig("reconcile", options.config);
    const database = databaseOption(
      "database",
      options.database ?? config.warehouse.database,
      settingLabel("database", options.database, "warehouse.database"),
    );
    if (!existsSync(database))
      throw new UsageError(
        `reconcile: ${settingLabel("database", options.database, "warehouse.database")} "${database}": no such DuckDB file; build the warehouse first (retail-mds demo, or load + dbt build)`,
      );
    const results = await withWarehouse(database, (query) =>
      readMigrationReconciliation(query, options.layout ? { layout: options.layout } : {}),
    ).catch((error: unknown) => {
      if (error instanceof MigrationReconciliationError)
        throw new UsageError(
          `reconcile: ${error.reason === "unknown_layout" ? "--layout: " : ""}${error.message} (database "${database}")`,
        );
      throw error;
    });
    if (options.json) console.log(JSON.stringify({ layouts: results }, null, 2));
    else
      console.log(
        results.length
          ? results.map(renderTable).join("\n\n")
          : "no legacy layout to reconcile (the mart holds none)",
      );
    return results.every((r) => r.signedOff) ? 0 : 1;
  },
};
