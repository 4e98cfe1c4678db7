import { createLegacyFeed, type DefectEntry, type RetailSimulation } from "../generators/index.js";
import { createLakeWriter, type FileFormat, localStore } from "../lake/index.js";
import type { Command } from "./command.js";
import { folderOption, helpFor, intOption, numberOption, parseOptions } from "./options.js";
import { simulationOption } from "./simulation-option.js";
import { UsageError } from "./usage-error.js";

const SPEC = {
  from: { type: "string", description: "First business day, YYYY-MM-DD", default: "2026-11-01" },
  days: { type: "string", description: "Business days to simulate (1-3660)", default: "7" },
  stores: { type: "string", description: "Stores in the chain (1-999)", default: "20" },
  products: { type: "string", description: "SKUs in the assortment (1-99999)", default: "2000" },
  customers: { type: "string", description: "Loyalty customers (default 300 per store)" },
  traffic: { type: "string", description: "Footfall multiplier, > 0 and <= 100", default: "1" },
  seed: { type: "string", description: "Random seed (0-4294967295)", default: "42" },
  format: {
    type: "string",
    description: "Lake file format",
    default: "parquet",
    choices: ["parquet", "csv", "ndjson"],
  },
  out: { type: "string", description: "Lake folder", default: "./lake" },
  defects: {
    type: "string",
    description: "Also write a legacy CSV feed with this share of defective rows (0-1)",
  },
  "batch-size": { type: "string", description: "Records per batch (1-1000000)", default: "10000" },
  help: { type: "boolean", description: "Show this help", short: "h" },
} as const;

interface Plan {
  readonly sim: RetailSimulation;
  readonly format: FileFormat;
  readonly out: string;
  readonly defects: number | undefined;
  readonly batchSize: number;
  readonly seed: number;
}

/** Reads and checks every option; throws a `UsageError` before anything is written. */
async function plan(args: readonly string[]): Promise<Plan | undefined> {
  const o = parseOptions("generate", args, SPEC);
  if (o.help) {
    console.log(helpFor("generate", SPEC));
    return undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.from) || Number.isNaN(Date.parse(`${o.from}T00:00:00Z`))) {
    throw new UsageError(`--from must be a date YYYY-MM-DD; got "${o.from}"`);
  }
  const config = {
    seed: intOption("seed", o.seed, 0, 4_294_967_295),
    from: o.from,
    days: intOption("days", o.days, 1, 3660),
    stores: intOption("stores", o.stores, 1, 999),
    products: intOption("products", o.products, 1, 99_999),
    ...(o.customers !== undefined
      ? { customers: intOption("customers", o.customers, 1, 9_999_999) }
      : {}),
    traffic: numberOption("traffic", o.traffic, 100, false),
  };
  const defects = numberOption("defects", o.defects, 1, true);
  const batchSize = intOption("batch-size", o["batch-size"], 1, 1_000_000) as number;
  folderOption("out", o.out);
  const sim = simulationOption(config);
  return {
    sim,
    format: o.format as FileFormat,
    out: o.out,
    defects,
    batchSize,
    seed: config.seed as number,
  };
}

/** Progress on stderr: a redrawn bar on a terminal, a line per simulated day otherwise. */
function progress(sim: RetailSimulation) {
  const start = Date.parse(sim.period.from);
  const span = Date.parse(sim.period.to) - start;
  const tty = process.stderr.isTTY === true;
  let lastDay = "";
  return {
    update(windowTo: string, rows: number) {
      const done = Math.min(1, (Date.parse(windowTo) - start) / span);
      if (tty) {
        const width = 30;
        const filled = Math.round(done * width);
        process.stderr.write(
          `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(done * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString("en")} rows`,
        );
        return;
      }
      const day = windowTo.slice(0, 10);
      if (day !== lastDay && lastDay !== "") {
        process.stderr.write(`generate: through ${lastDay}, ${rows} rows\n`);
      }
      lastDay = day;
    },
    end() {
      if (tty) process.stderr.write("\n");
    },
  };
}

export const command: Command = {
  summary:
    "Generate a realistic retail period into a lake folder (optionally a legacy feed with defects)",
  async run(args) {
    const p = await plan(args);
    if (!p) return 0;
    const started = performance.now();
    const store = localStore(p.out);
    const writer = createLakeWriter({ store, format: p.format });
    const feed =
      p.defects === undefined ? undefined : createLegacyFeed({ seed: p.seed, rate: p.defects });
    const rows: Record<string, number> = {};
    let total = 0;
    const bar = progress(p.sim);
    for (const batch of p.sim.generate({ batchSize: p.batchSize })) {
      await writer.write(batch);
      if (feed) await writer.writeText(feed.convert(batch));
      rows[batch.entity.name] = (rows[batch.entity.name] ?? 0) + batch.records.length;
      total += batch.records.length;
      if (batch.entity.partition !== "none") bar.update(batch.window.to, total);
    }
    if (feed) for (const rest of feed.flush()) await writer.writeText(rest);
    const result = await writer.close();
    bar.end();
    let defectsPath: string | undefined;
    if (feed) {
      defectsPath = `_manifests/defects-${result.runId}.json`;
      const body = {
        runId: result.runId,
        seed: p.seed,
        rate: p.defects,
        note: "row = 1-based ordinal of the row in the entity's legacy stream: its legacy/ files in path order, rows in file order",
        defects: feed.manifest as readonly DefectEntry[],
      };
      await store.put(defectsPath, Buffer.from(`${JSON.stringify(body, null, 1)}\n`), {
        contentType: "application/json",
      });
    }
    const seconds = (performance.now() - started) / 1000;
    const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
    const lines = Object.entries(rows).map(
      ([entity, n]) => `  ${entity.padEnd(16)} ${n.toLocaleString("en").padStart(12)}`,
    );
    console.log(
      [
        `generated ${p.sim.config.days} day(s) from ${p.sim.config.from}, seed ${p.sim.config.seed}, into ${store.root}`,
        ...lines,
        ...(feed
          ? [
              `  ${"legacy rows".padEnd(16)} ${result.rowsLegacy.toLocaleString("en").padStart(12)} (${feed.manifest.length} defects, ${defectsPath})`,
            ]
          : []),
        `files ${result.files.length} (${result.published} new, ${result.unchanged} unchanged), ${(bytes / 1e6).toFixed(1)} MB, ` +
          `${Math.round(total / seconds).toLocaleString("en")} rows/s, ${seconds.toFixed(1)} s`,
        `manifest ${result.manifestPath}`,
      ].join("\n"),
    );
    return 0;
  },
};
