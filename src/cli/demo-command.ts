import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Batch, type Entity, entities } from "../entities/index.js";
import { createLegacyFeed, createRetailSimulation, type LegacyFeed } from "../generators/index.js";
import { createLakeWriter, inProcessEventSink, localStore } from "../lake/index.js";
import {
  createEvaluator,
  lakeQuarantine,
  type QualityEvaluator,
  qualityRules,
  referenceKeys,
} from "../quality/index.js";
import { sqlString, sqlTable } from "../warehouse/duckdb-sql.js";
import {
  collectReportData,
  type FileLoad,
  openLocalPipe,
  type QualitySummary,
  type ReconciliationLine,
  renderReport,
  runDbtBuild,
} from "../warehouse/index.js";
import type { Command } from "./command.js";
import { helpFor, intOption, numberOption, parseOptions } from "./options.js";

const spec = {
  days: { type: "string", description: "business days to simulate", default: "7" },
  stores: { type: "string", description: "stores", default: "10" },
  products: { type: "string", description: "products (SKUs)", default: "500" },
  seed: { type: "string", description: "random seed: same seed, same bytes", default: "42" },
  from: { type: "string", description: "first business day", default: "2026-11-02" },
  lake: { type: "string", description: "lake folder", default: "./lake" },
  warehouse: {
    type: "string",
    description: "folder of the DuckDB file and the report",
    default: "./warehouse",
  },
  dbt: { type: "string", description: "dbt project folder", default: "./dbt" },
  defects: {
    type: "string",
    description:
      "also send the same records as the legacy CSV feed, this share of rows with defects (0-1)",
  },
  "skip-dbt": { type: "boolean", description: "do not run dbt build" },
  help: { type: "boolean", description: "show this help", short: "h" },
} as const;

/** One line per stage on a pipe; a line rewritten in place on a terminal. */
class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private last = 0;
  private current = "";
  stage(name: string) {
    this.end();
    process.stderr.write(`▶ ${name}\n`);
  }
  update(text: string) {
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

const n = (value: number) => value.toLocaleString("en-US");

/** `retail-mds demo`: the whole pipeline on this machine, then a summary and an HTML report. */
export const command: Command = {
  summary:
    "run the local pipeline end to end: generate -> quality -> lake -> pipe -> DuckDB -> dbt -> report",
  async run(args) {
    const options = parseOptions("demo", args, spec);
    if (options.help) {
      console.log(helpFor("demo", spec));
      return 0;
    }
    const days = intOption("days", options.days, 1, 3660) as number;
    const stores = intOption("stores", options.stores, 1, 999) as number;
    const products = intOption("products", options.products, 1, 99_999) as number;
    const seed = intOption("seed", options.seed, 0, 4_294_967_295) as number;
    const defects = numberOption("defects", options.defects, 1, true);
    const started = Date.now();
    const progress = new Progress();
    const warehouse = resolve(options.warehouse);
    const database = join(warehouse, "retail.duckdb");
    const store = localStore(resolve(options.lake));
    const sim = createRetailSimulation({ seed, from: options.from, days, stores, products });
    // A migration's parallel run: the legacy system still sends the same records as flat files.
    const legacy = defects === undefined ? undefined : createLegacyFeed({ seed, rate: defects });

    // Stage 1: generate hourly ticks, check quality in-stream, land Parquet, load as events arrive.
    progress.stage(
      `generate ${days} days x ${stores} stores x ${products} SKUs (seed ${seed}) -> quality -> lake -> local pipe`,
    );
    const pipe = await openLocalPipe({ lake: store, database });
    const events = inProcessEventSink({ capacity: 64 });
    let filesLoaded = 0;
    let rowsLoaded = 0;
    const onFile = (load: FileLoad) => {
      if (load.alreadyLoaded) return;
      filesLoaded++;
      rowsLoaded += load.rowsLoaded;
    };
    const consuming = pipe.consume(events, { onFile });
    // Idempotent like the writer: a re-run finds its quarantine files already there.
    const quarantine = lakeQuarantine(store);
    const writer = createLakeWriter({
      store,
      format: "parquet",
      events,
      quarantine,
    });
    const evaluators = new Map<string, QualityEvaluator<Entity>>();
    const reference = sim.reference();
    const references = referenceKeys(reference);
    const evaluatorOf = (entity: Entity) => {
      let evaluator = evaluators.get(entity.name);
      if (!evaluator) {
        evaluator = createEvaluator(qualityRules(entity), { references });
        evaluators.set(entity.name, evaluator);
      }
      return evaluator;
    };
    let generated = 0;
    const land = async (batch: Batch) => {
      generated += batch.records.length;
      const { passed, rejected } = evaluatorOf(batch.entity).split(batch.records, {
        window: batch.window,
      });
      if (rejected.length) await quarantine.reject(rejected);
      if (passed.length)
        await writer.write({ entity: batch.entity, records: passed, window: batch.window });
      if (legacy) await writer.writeText(legacy.convert(batch));
    };
    try {
      for (const batch of reference) await land(batch);
      const hour = 3_600_000;
      const from = Date.parse(sim.period.from);
      const to = Date.parse(sim.period.to);
      for (let t = from; t < to; t += hour) {
        const window = {
          from: new Date(t).toISOString(),
          to: new Date(Math.min(t + hour, to)).toISOString(),
        };
        for (const batch of sim.tick(window.from, window.to)) await land(batch);
        progress.update(
          `${window.from.slice(0, 13)}h  generated ${n(generated)} rows  |  pipe: ${n(filesLoaded)} files, ${n(rowsLoaded)} rows loaded`,
        );
      }
      if (legacy) for (const rest of legacy.flush()) await writer.writeText(rest);
      const run = await writer.close();
      events.close();
      await consuming;
      progress.end(
        `generated ${n(generated)} rows; landed ${n(run.rowsWritten)} in ${n(run.files.length)} files (${n(run.published)} new, ${n(run.unchanged)} unchanged); ` +
          `quarantined ${n(run.rowsQuarantined + sumQuarantined(evaluators))}${quarantine.unchanged > 0 ? ` (${n(quarantine.unchanged)} already in the lake)` : ""}; loaded ${n(rowsLoaded)} rows from ${n(filesLoaded)} new files`,
      );

      // Stage 2: a refresh catches files a previous, interrupted run landed but did not load.
      progress.stage("pipe refresh (ALTER PIPE ... REFRESH): files landed but not loaded yet");
      const refresh = await pipe.refresh();
      progress.end(
        `${refresh.loaded} loaded, ${refresh.failed} failed, ${refresh.alreadyLoaded} already loaded, ${refresh.ignored.length} ignored`,
      );

      // Counted over this run's files (matched on path and SHA-256), per feed.
      const history = async (feed: "data" | "legacy") => {
        const keys = run.files
          .filter((f) => f.feed === feed)
          .map((f) => `(${sqlString(f.path)}, ${sqlString(f.sha256)})`);
        const [row] = keys.length
          ? await pipe.query(
              `select coalesce(sum(row_count), 0)::DOUBLE as loaded, coalesce(sum(coalesce(row_parsed, 0) - row_count), 0)::DOUBLE as skipped,
                      count(*)::DOUBLE as files from pipe.load_history where (file_name, content_hash) in (${keys.join(", ")})`,
            )
          : [];
        return {
          landed: keys.length,
          loaded: Number(row?.loaded ?? 0),
          skipped: Number(row?.skipped ?? 0),
          files: Number(row?.files ?? 0),
        };
      };
      const data = await history("data");
      const quarantinedRows = run.rowsQuarantined + sumQuarantined(evaluators);
      const reconciliation: ReconciliationLine[] = [
        {
          label: "generated = landed + quarantined",
          left: generated,
          right: run.rowsWritten + quarantinedRows,
        },
        {
          label: "landed = loaded + skipped",
          left: run.rowsWritten,
          right: data.loaded + data.skipped,
        },
        { label: "files landed = files in load history", left: data.landed, right: data.files },
      ];
      if (legacy) {
        const old = await history("legacy");
        reconciliation.push(
          {
            label: "legacy rows sent = loaded + skipped",
            left: run.rowsLegacy,
            right: old.loaded + old.skipped,
          },
          { label: "legacy files = files in load history", left: old.landed, right: old.files },
        );
      }
      await pipe.close();

      // Stage 3: dbt on the same file, once the pipe has let go of it.
      progress.stage("dbt build --target local (bronze -> silver -> gold, tests)");
      let dbtText: string;
      let dbtOk = true;
      let dbtBuilt = false;
      if (options["skip-dbt"]) {
        dbtText = "skipped (--skip-dbt)";
      } else {
        let models = 0;
        const result = await runDbtBuild({
          database,
          projectDir: options.dbt,
          logFile: join(warehouse, "dbt-build.log"),
          onLine: (raw) => {
            // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping dbt's colour codes
            const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
            if (/ (OK|PASS|WARN|ERROR|FAIL|SKIP) /.test(line) && /\[/.test(line))
              progress.update(`${++models} nodes: ${line.replace(/^\S+\s+/, "").slice(0, 100)}`);
          },
        });
        dbtText = result.ran
          ? `${result.ok ? "ok" : "FAILED"}: ${result.summary || `exit ${result.exitCode}`} (log: ${result.logFile})`
          : `skipped: ${result.reason}`;
        dbtOk = !result.ran || result.ok;
        dbtBuilt = result.ran && result.ok;
      }
      progress.end(`dbt ${dbtText}`);

      // Stage 4: summary and report, from a fresh connection.
      progress.stage("summary and report");
      const reader = await openLocalPipe({ lake: store, database });
      let report: string;
      try {
        const quality: QualitySummary[] = [...evaluators.values()].map((e) => {
          const r = e.report();
          return {
            entity: r.entity,
            input: r.input,
            passed: r.passed,
            quarantined: r.quarantined,
            rules: r.rules.map((rule) => ({
              rule: rule.rule,
              severity: rule.severity,
              checked: rule.checked,
              failed: rule.failed,
            })),
          };
        });
        const data = await collectReportData(reader.query, {
          title: `retail-mds demo: ${days} days, ${stores} stores, ${products} SKUs, seed ${seed}`,
          quality,
          reconciliation,
          dbt: dbtText,
        });
        report = join(warehouse, "report.html");
        await writeFile(report, renderReport(data));
        printSummary(data);
        if (legacy) await printLegacySummary(legacy, reader.query, dbtBuilt);
      } finally {
        await reader.close();
      }
      const balanced = reconciliation.every((r) => r.left === r.right);
      console.log("\nreconciliation");
      for (const r of reconciliation)
        console.log(
          `  ${r.left === r.right ? "ok " : "BAD"} ${r.label.padEnd(40)} ${n(r.left)} = ${n(r.right)}`,
        );
      console.log(
        `\nreport: ${report}\nwarehouse: ${database}\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return balanced && dbtOk ? 0 : 1;
    } catch (error) {
      events.close();
      await consuming.catch(() => undefined);
      await pipe.close().catch(() => undefined);
      throw error;
    }
  },
};

function sumQuarantined(evaluators: Map<string, QualityEvaluator<Entity>>): number {
  return [...evaluators.values()].reduce((total, e) => total + e.report().quarantined, 0);
}

function printSummary(data: Awaited<ReturnType<typeof collectReportData>>) {
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

/** What the legacy feed carried (the defect manifest) and what silver made of it. */
async function printLegacySummary(
  legacy: LegacyFeed,
  query: (sql: string) => Promise<Record<string, unknown>[]>,
  dbtRan: boolean,
) {
  const injected = new Map<string, number>();
  for (const d of legacy.manifest) injected.set(d.defect, (injected.get(d.defect) ?? 0) + 1);
  console.log(`\nlegacy feed: ${n(legacy.manifest.length)} defects injected`);
  console.log(
    `  by kind   ${[...injected].map(([kind, count]) => `${kind} ${n(count)}`).join(", ")}`,
  );
  if (!dbtRan) return;
  // Every entity's rejected model names the reason; the repaired defects (dd/MM dates, decimal
  // commas, padding...) are not rejects: silver parses them.
  const perEntity = Object.values(entities).map(
    (e) =>
      `select ${sqlString(e.name)} as entity, reject_reason, count(*)::INTEGER as rows from ${sqlTable("silver", `slv_${e.name}_rejected`)} where _feed = 'legacy' group by all`,
  );
  const rejected = await query(`${perEntity.join(" union all ")} order by entity, rows desc`);
  const byEntity = new Map<string, string[]>();
  for (const r of rejected) {
    const reasons = byEntity.get(String(r.entity)) ?? [];
    reasons.push(`${r.reject_reason} ${n(Number(r.rows))}`);
    byEntity.set(String(r.entity), reasons);
  }
  const lines = [...byEntity].map(([entity, reasons]) => `${entity}: ${reasons.join(", ")}`);
  console.log(`  rejected in silver  ${lines.join("; ") || "none"}`);
}
