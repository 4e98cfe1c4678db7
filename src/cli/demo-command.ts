import { resolve } from "node:path";
import { withoutUndefined } from "../pipeline/config-options.js";
import {
  configPipelineOptions,
  DEFAULT_LEGACY_LAYOUT,
  LOCAL_PIPELINE_DEFAULTS as DEFAULTS,
  LEGACY_CSV_FEED,
  type LegacyLayoutOption,
  type LegacySummary,
  type LocalPipelineOptions,
  type LocalPipelineResult,
  legacyLayoutProblem,
  type PipelineEvent,
  runLocalPipeline,
} from "../pipeline/index.js";
import type { MigrationReconciliation } from "../warehouse/index.js";
import type { Command } from "./command.js";
import { layoutOptionValue } from "./layout-option.js";
import {
  databaseOption,
  folderOption,
  helpFor,
  intOption,
  numberOption,
  parseOptions,
} from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { simulationConfigOption } from "./simulation-option.js";
import { UsageError } from "./usage-error.js";

const spec = {
  days: {
    type: "string",
    description: `business days to simulate (default: config simulation.days, ${DEFAULTS.days})`,
  },
  stores: {
    type: "string",
    description: `stores (default: config simulation.stores, ${DEFAULTS.stores})`,
  },
  products: {
    type: "string",
    description: `products, SKUs (default: config simulation.products, ${DEFAULTS.products})`,
  },
  seed: {
    type: "string",
    description: `random seed: same seed, same bytes (default: config simulation.seed, ${DEFAULTS.seed})`,
  },
  from: {
    type: "string",
    description: `first business day (default: config simulation.from, ${DEFAULTS.from})`,
  },
  lake: { type: "string", description: "lake folder (default: config lake.path, ./lake)" },
  warehouse: {
    type: "string",
    description:
      "folder of the DuckDB file (retail.duckdb) and the report (default: the folder of config warehouse.database, ./warehouse)",
  },
  dbt: {
    type: "string",
    description: "dbt project folder (default: config dbt.project, ./dbt)",
  },
  "dbt-bin": {
    type: "string",
    description: "dbt executable (else RETAIL_MDS_DBT_BIN, dbt on PATH, then .venv/bin/dbt)",
  },
  config: configOption,
  defects: {
    type: "string",
    description:
      "the migration's parallel run: the legacy system also sends the same records as flat files (--legacy-layout), this share of rows with defects (0-1; default: config demo.legacyDefects)",
  },
  "legacy-layout": {
    type: "string",
    description: `the parallel run's legacy feed, which turns it on: a layout file or config layout name, ${DEFAULT_LEGACY_LAYOUT.name} (the shipped French POS export, the default) or ${LEGACY_CSV_FEED} (the canonical CSV feed of every entity) (default: config demo.legacyLayout)`,
  },
  "skip-dbt": { type: "boolean", description: "do not run dbt build" },
  help: { type: "boolean", description: "show this help", short: "h" },
} as const;

const n = (value: number) => value.toLocaleString("en-US");

/** `retail-mds demo`: `runLocalPipeline` with its progress on stderr, then a summary on stdout. */
export const command: Command = {
  summary:
    "run the local pipeline end to end: generate -> quality -> lake -> pipe -> DuckDB -> dbt -> report",
  async run(args) {
    const options = parseOptions("demo", args, spec);
    if (options.help) {
      console.log(helpFor("demo", spec));
      return 0;
    }
    const config = await readProjectConfig("demo", options.config);
    // A flag wins over the project config, which wins over the built-in defaults.
    const flags = withoutUndefined({
      days: intOption("days", options.days, 1, 3660),
      stores: intOption("stores", options.stores, 1, 999),
      products: intOption("products", options.products, 1, 99_999),
      seed: intOption("seed", options.seed, 0, 4_294_967_295),
      from: options.from,
      lake: options.lake,
      // --warehouse <folder> holds retail.duckdb; the config names the file itself.
      ...(options.warehouse === undefined
        ? {}
        : {
            warehouse: options.warehouse,
            // Absolute: runLocalPipeline reads a relative database against the warehouse folder.
            database: resolve(options.warehouse, "retail.duckdb"),
          }),
      dbtProject: options.dbt,
      dbtBin: options["dbt-bin"],
      skipDbt: options["skip-dbt"] === true,
      legacyDefects: numberOption("defects", options.defects, 1, true),
      legacyLayout: await legacyLayoutFlag(options["legacy-layout"], options.config),
    });
    const pipelineOptions: LocalPipelineOptions = {
      ...DEFAULTS,
      ...configPipelineOptions(config),
      ...flags,
    };
    folderOption("lake", pipelineOptions.lake ?? DEFAULTS.lake);
    const warehouse = folderOption("warehouse", pipelineOptions.warehouse ?? DEFAULTS.warehouse);
    databaseOption("warehouse", resolve(warehouse, pipelineOptions.database ?? "retail.duckdb"));
    const { days, stores, products, seed, from } = pipelineOptions;
    simulationConfigOption({ days, stores, products, seed, from });
    const layoutProblem =
      pipelineOptions.legacyLayout &&
      legacyLayoutProblem(pipelineOptions.legacyLayout, pipelineOptions.generators);
    if (layoutProblem) throw new UsageError(`demo: --legacy-layout: ${layoutProblem}`);
    // Ctrl-C stops between hourly windows: what was landed stays landed and loaded.
    const interrupt = new AbortController();
    const onSigint = () => interrupt.abort(new Error("interrupted (SIGINT)"));
    process.once("SIGINT", onSigint);
    const progress = new ProgressView();
    let result: LocalPipelineResult;
    try {
      result = await runLocalPipeline(pipelineOptions, {
        signal: interrupt.signal,
        onProgress: (event) => progress.render(event),
      });
    } catch (error) {
      if (!interrupt.signal.aborted) throw error;
      progress.end();
      console.error(
        "retail-mds: demo interrupted; the files landed so far are loaded, a re-run goes on from there",
      );
      return 130;
    } finally {
      process.removeListener("SIGINT", onSigint);
    }
    printSummary(result.reportData);
    if (result.legacy) printLegacySummary(result.legacy);
    if (result.migration) printMigration(result.migration);
    console.log("\nreconciliation");
    const width = Math.max(40, ...result.reconciliation.map((r) => r.label.length));
    for (const r of result.reconciliation)
      console.log(
        `  ${r.left === r.right ? "ok " : "BAD"} ${r.label.padEnd(width)} ${n(r.left)} = ${n(r.right)}`,
      );
    console.log(
      `\nreport: ${result.report}\nwarehouse: ${result.database}\ndone in ${(result.durationMs / 1000).toFixed(1)} s`,
    );
    const dbt = result.dbt.result;
    const dbtOk = dbt === undefined || dbt.ok;
    return result.balanced && dbtOk ? 0 : 1;
  },
};

/** `--legacy-layout`: the shipped names, else a layout of the config by name or a layout file. */
async function legacyLayoutFlag(
  value: string | undefined,
  config: string | undefined,
): Promise<LegacyLayoutOption | undefined> {
  if (value === undefined) return undefined;
  if (value === LEGACY_CSV_FEED) return LEGACY_CSV_FEED;
  const project = await readProjectConfig("demo", config);
  if (value === DEFAULT_LEGACY_LAYOUT.name && !project.layouts.some((l) => l.name === value))
    return DEFAULT_LEGACY_LAYOUT;
  return layoutOptionValue("demo", value, config, "legacy-layout");
}

/** Progress on stderr: one line per stage on a pipe; a line rewritten in place on a terminal. */
class ProgressView {
  private readonly tty = Boolean(process.stderr.isTTY);
  private last = 0;
  private current = "";

  render(event: PipelineEvent) {
    switch (event.type) {
      case "stage":
        this.end();
        process.stderr.write(`▶ ${event.title}\n`);
        return;
      case "generated":
        return this.update(
          `${event.hour.slice(0, 13)}h  generated ${n(event.rows)} rows  |  pipe: ${n(event.filesLoaded)} files, ${n(event.rowsLoaded)} rows loaded`,
        );
      case "landed": {
        const c = event.counts;
        return this.end(
          `generated ${n(c.generated)} rows; landed ${n(c.landed)} in ${n(c.files)} files (${n(c.published)} new, ${n(c.unchanged)} unchanged); ` +
            `quarantined ${n(c.quarantined)}${c.quarantineUnchanged > 0 ? ` (${n(c.quarantineUnchanged)} already in the lake)` : ""}; loaded ${n(c.rowsLoaded)} rows from ${n(c.filesLoaded)} new files`,
        );
      }
      case "refreshed": {
        const c = event.counts;
        return this.end(
          `${c.loaded} loaded, ${c.failed} failed, ${c.conflicts} conflict(s), ${c.alreadyLoaded} already loaded, ${c.ignored} ignored`,
        );
      }
      case "dbt-node":
        return this.update(`${event.nodes} nodes: ${event.line.slice(0, 100)}`);
      case "dbt-done":
        return this.end(`dbt ${event.dbt.text}`);
      case "reported":
        return this.end();
    }
  }

  private update(text: string) {
    this.current = text;
    const now = Date.now();
    if (this.tty) process.stderr.write(`\r\x1b[2K  ${text}`);
    else if (now - this.last > 5000) {
      process.stderr.write(`  ${text}\n`);
      this.last = now;
    }
  }

  end(text?: string) {
    if (text) this.current = text;
    if (this.current)
      process.stderr.write(this.tty ? `\r\x1b[2K  ${this.current}\n` : `  ${this.current}\n`);
    this.current = "";
  }
}

function printSummary(data: LocalPipelineResult["reportData"]) {
  const days = data.dailySales.map((d) => d.day);
  console.log(`\nnet sales per day and store (${data.salesSource})`);
  console.log(
    `  ${"store".padEnd(8)}${days.map((d) => d.slice(5).padStart(12)).join("")}${"total".padStart(14)}`,
  );
  for (const s of data.storeSales) {
    console.log(
      `  ${s.store.padEnd(8)}${days.map((d) => (s.byDay[d] ?? 0).toFixed(2).padStart(12)).join("")}${s.total.toFixed(2).padStart(14)}`,
    );
  }
  console.log(
    `  ${"all".padEnd(8)}${data.dailySales.map((d) => d.net.toFixed(2).padStart(12)).join("")}${data.dailySales
      .reduce((a, d) => a + d.net, 0)
      .toFixed(2)
      .padStart(14)}`,
  );
  console.log(
    `\nstock-outs (store x SKU closing a day at zero): ${data.stockOuts.map((s) => `${s.day.slice(5)} ${s.count}`).join(", ") || "none"}`,
  );
  console.log("\nrows per layer");
  for (const layer of ["raw", "bronze", "silver", "gold"]) {
    const tables = data.layers.filter((l) => l.layer === layer && l.rows > 0);
    if (tables.length)
      console.log(
        `  ${layer.padEnd(7)} ${tables.map((t) => `${t.table} ${n(t.rows)}`).join(", ")}`,
      );
  }
}

function printLegacySummary(legacy: LegacySummary) {
  console.log(
    `\nlegacy feed ${legacy.feed}: ${n(legacy.defects)} defects injected${legacy.manifest ? ` (${legacy.manifest})` : ""}`,
  );
  console.log(
    `  by kind   ${
      Object.entries(legacy.injected)
        .map(([kind, count]) => `${kind} ${n(count)}`)
        .join(", ") || "none"
    }`,
  );
  if (!legacy.rejected) return;
  const byEntity = new Map<string, string[]>();
  for (const r of legacy.rejected) {
    const reasons = byEntity.get(r.entity) ?? [];
    reasons.push(`${r.reason} ${n(r.rows)}`);
    byEntity.set(r.entity, reasons);
  }
  const lines = [...byEntity].map(([entity, reasons]) => `${entity}: ${reasons.join(", ")}`);
  console.log(`  rejected in silver  ${lines.join("; ") || "none"}`);
  if (legacy.rejectedFiles)
    console.log(
      `  files rejected whole  ${legacy.rejectedFiles.map((f) => `${f.reason} ${n(f.files)}`).join(", ") || "none"}`,
    );
}

/** The migration reconciliation's total line (`retail-mds reconcile` prints every day and store). */
function printMigration(migration: MigrationReconciliation) {
  const { total } = migration;
  const measures = (m: MigrationReconciliation["total"]["legacy"]) =>
    `${n(m.rows)} rows, quantity ${n(m.quantity)}, amount ${m.amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  console.log(
    `\nmigration reconciliation ${migration.layout}: ${migration.signedOff ? "signed off, nothing unexplained" : "NOT signed off"} (retail-mds reconcile for each day and store)`,
  );
  console.log(`  gold         ${measures(total.gold)}`);
  console.log(`  legacy read  ${measures(total.legacy)}`);
  console.log(
    `  explained    ${measures(total.explained)}${total.explanation ? `: ${total.explanation}` : ""}`,
  );
  console.log(`  unexplained  ${measures(total.unexplained)}`);
}
