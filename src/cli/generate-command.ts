import { statfs } from "node:fs/promises";
import { availableParallelism, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { getHeapStatistics } from "node:v8";
import {
  createLegacyFeed,
  type DefectEntry,
  estimateRun,
  type RetailSimulation,
  type RunEstimate,
  type RunEstimateOptions,
  type SimulationConfig,
  type SimulationProgress,
  writeSimulation,
} from "../generators/index.js";
import { writeSimulationBatches } from "../generators/write-simulation.js";
import { createLakeWriter, type FileFormat, localStore, publishOnce } from "../lake/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import { createLayoutFeedWriter, publishLayoutManifest } from "../legacy/layout-feed-writer.js";
import type { Command } from "./command.js";
import { layoutOptionValue } from "./layout-option.js";
import { folderOption, helpFor, intOption, numberOption, parseOptions } from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { simulationConfigOption, simulationOption } from "./simulation-option.js";
import { UsageError } from "./usage-error.js";

// The built-in defaults, used when neither a flag nor the project config's `simulation` says.
const DEFAULTS = {
  from: "2026-11-01",
  days: 7,
  stores: 20,
  products: 2000,
  traffic: 1,
  seed: 42,
  batchSize: 10_000,
} as const;

const SPEC = {
  from: {
    type: "string",
    description: `First business day, YYYY-MM-DD, 0001-01-02 to 9999-12-30 (default: config simulation.from, ${DEFAULTS.from})`,
  },
  days: {
    type: "string",
    description: `Business days to simulate, 1-3660, ending by 9999-12-30 (default: config simulation.days, ${DEFAULTS.days})`,
  },
  stores: {
    type: "string",
    description: `Stores in the chain, 1-999 (default: config simulation.stores, ${DEFAULTS.stores})`,
  },
  products: {
    type: "string",
    description: `SKUs in the assortment, 1-99999 (default: config simulation.products, ${DEFAULTS.products})`,
  },
  customers: {
    type: "string",
    description:
      "Loyalty customers, 1-9999999 (default: config simulation.customers, 300 per store)",
  },
  traffic: {
    type: "string",
    description: `Footfall multiplier, > 0 and <= 100 (default: config simulation.traffic, ${DEFAULTS.traffic})`,
  },
  seed: {
    type: "string",
    description: `Random seed, 0-4294967295 (default: config simulation.seed, ${DEFAULTS.seed})`,
  },
  format: {
    type: "string",
    description: "Lake file format (default: config lake.format, parquet)",
    choices: ["parquet", "csv", "ndjson"],
  },
  out: { type: "string", description: "Lake folder (default: config lake.path, ./lake)" },
  // The name load, quality and legacy land give the same folder: a team types it here too.
  lake: { type: "string", description: "the same as --out, as load and quality name it" },
  defects: {
    type: "string",
    description: "Also write a legacy CSV feed with this share of defective rows (0-1)",
  },
  "legacy-layout": {
    type: "string",
    description:
      "Also write the layout's entity as legacy files in that layout (file or config layout name), with --defects as the defect rate",
  },
  workers: {
    type: "string",
    description: `Threads encoding Parquet files while a generating thread goes on, 0-64, for each generating thread (default: with one generating thread the available cores less one, at least 1; with --threads 2 or more, 0: each thread encodes its own files); the files are the same whatever the count`,
  },
  threads: {
    type: "string",
    description:
      "Store groups generated at once, each on a thread of its own that simulates, validates and encodes it, 1 to --store-groups (default: --store-groups or the available cores, whichever is fewer); the files are the same whatever the count",
  },
  "batch-size": {
    type: "string",
    description: `Records per batch, 1-1000000 (default: config simulation.batchSize, ${DEFAULTS.batchSize})`,
  },
  shard: {
    type: "string",
    description:
      "Generate only shard i of n (1 <= i <= n <= --stores): the stores S00k with (k - 1) mod n = i - 1, into files of store group i; n machines with 1/n .. n/n write together what --store-groups n writes in one run",
  },
  "store-groups": {
    type: "string",
    description:
      "Split each event file by store group, 1-999, with the group in the name (default 1: one file for all stores, no group; with --shard i/n: n)",
  },
  config: configOption,
  help: { type: "boolean", description: "Show this help", short: "h" },
} as const;

interface Plan {
  readonly sim: RetailSimulation;
  readonly estimate: RunEstimate;
  readonly format: FileFormat;
  readonly out: string;
  readonly defects: number | undefined;
  readonly batchSize: number;
  readonly seed: number;
  readonly layout: LegacyLayout | undefined;
  readonly workers: number;
  readonly storeGroups: number;
  readonly threads: number;
  /** The legacy feeds or custom generators read every store's batches: one pass, this thread. */
  readonly onePass: boolean;
}

const SHARD = /^(\d{1,3})\/(\d{1,3})$/;

/** `--shard i/n` (1-based, as vitest's and Playwright's `--shard`), or a `UsageError`. */
function shardOption(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = SHARD.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index < 1 || index > count) {
    throw new UsageError(
      `--shard takes i/n with 1 <= i <= n (shard i of n machines, e.g. 1/3); got "${value}"`,
    );
  }
  return { index, count };
}

/** Reads and checks every option; throws a `UsageError` before anything is written. */
async function plan(args: readonly string[]): Promise<Plan | undefined> {
  const o = parseOptions("generate", args, SPEC);
  if (o.help) {
    console.log(helpFor("generate", SPEC));
    return undefined;
  }
  const { simulation, lake, generators } = await readProjectConfig("generate", o.config);
  // A flag wins over the config, which wins over the built-in default.
  const from = o.from ?? simulation.from ?? DEFAULTS.from;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(Date.parse(`${from}T00:00:00Z`))) {
    throw new UsageError(`--from must be a date YYYY-MM-DD; got "${from}"`);
  }
  const customers = intOption("customers", o.customers, 1, 9_999_999) ?? simulation.customers;
  const config = {
    seed: intOption("seed", o.seed, 0, 4_294_967_295) ?? simulation.seed ?? DEFAULTS.seed,
    from,
    days: intOption("days", o.days, 1, 3660) ?? simulation.days ?? DEFAULTS.days,
    stores: intOption("stores", o.stores, 1, 999) ?? simulation.stores ?? DEFAULTS.stores,
    products:
      intOption("products", o.products, 1, 99_999) ?? simulation.products ?? DEFAULTS.products,
    ...(customers !== undefined ? { customers } : {}),
    traffic:
      numberOption("traffic", o.traffic, 100, false) ?? simulation.traffic ?? DEFAULTS.traffic,
  };
  const defects = numberOption("defects", o.defects, 1, true);
  const batchSize =
    intOption("batch-size", o["batch-size"], 1, 1_000_000) ??
    simulation.batchSize ??
    DEFAULTS.batchSize;
  const shard = shardOption(o.shard);
  const groups = intOption("store-groups", o["store-groups"], 1, 999);
  if (shard && groups !== undefined && groups !== shard.count) {
    throw new UsageError(
      `--store-groups must be the shard count with --shard ${o.shard} (each shard writes its own group's files): leave it out or give ${shard.count}; got "${groups}"`,
    );
  }
  if (shard && shard.count > config.stores) {
    throw new UsageError(
      `--shard ${o.shard}: n must be at most --stores (${config.stores}), or a shard would have no store`,
    );
  }
  if (shard && (defects !== undefined || o["legacy-layout"] !== undefined)) {
    throw new UsageError(
      `--shard cannot be combined with ${defects !== undefined ? "--defects" : "--legacy-layout"}: the legacy feed numbers its rows across every store; generate it in one run`,
    );
  }
  if (shard && generators.length > 0) {
    throw new UsageError(
      "--shard cannot be used with the project config's generators: a custom generator reads every store's window; generate in one run",
    );
  }
  const storeGroups = shard?.count ?? groups ?? 1;
  const onePass =
    defects !== undefined || o["legacy-layout"] !== undefined || generators.length > 0;
  const threads = threadsOption(o.threads, {
    storeGroups,
    stores: config.stores,
    shard: o.shard,
    onePass:
      onePass &&
      (defects !== undefined
        ? "--defects"
        : o["legacy-layout"] !== undefined
          ? "--legacy-layout"
          : "the project config's generators"),
  });
  if (o.lake !== undefined && o.out !== undefined && resolve(o.lake) !== resolve(o.out))
    throw new UsageError(
      `generate: --lake and --out name one folder (--lake is --out as load and quality name it); got "${o.lake}" and "${o.out}": give one`,
    );
  const out = folderOption(
    o.out === undefined && o.lake !== undefined ? "lake" : "out",
    o.out ?? o.lake ?? lake.path,
  );
  const format = (o.format as FileFormat | undefined) ?? lake.format;
  // Before the simulation is built: building one too big for the machine is what would fail.
  const sharded = shard ? { ...config, shard } : config;
  // One core stays with the generating thread, which bounds the rate once encoding is off it:
  // on 2 cores, 2 workers measured no faster than none, 1 worker 1.5x. Generating threads
  // encode their own files: they keep the cores busy already.
  const workers =
    intOption("workers", o.workers, 0, 64) ??
    (threads > 1 ? 0 : Math.max(1, availableParallelism() - 1));
  const estimate = await fitsTheMachine(simulationConfigOption(sharded), format, out, {
    storeGroups,
    threads,
    workers,
  });
  const sim = simulationOption(sharded, { generators });
  const layout =
    o["legacy-layout"] === undefined
      ? undefined
      : await layoutOptionValue("generate", o["legacy-layout"], o.config, "legacy-layout");
  return {
    sim,
    format,
    estimate,
    out,
    defects,
    batchSize,
    seed: config.seed,
    layout,
    workers,
    storeGroups,
    threads,
    onePass,
  };
}

/**
 * `--threads`: 1 to the store groups; by default as many as there are groups or cores, whichever
 * is fewer, and 1 where a group would have no store or the run must be one pass (a shard is one group; a legacy feed or a
 * custom generator reads every store's batches in order).
 */
function threadsOption(
  value: string | undefined,
  run: { storeGroups: number; stores: number; shard: string | undefined; onePass: string | false },
): number {
  const threads = intOption("threads", value, 1, 64);
  // A thread generates a group's stores (its shard): every group needs one.
  const empty = run.storeGroups > run.stores;
  if (threads === undefined)
    return run.shard || run.onePass || empty
      ? 1
      : Math.min(run.storeGroups, availableParallelism());
  if (threads === 1) return 1;
  if (run.shard)
    throw new UsageError(
      `--threads ${threads} cannot be used with --shard ${run.shard}: a shard is one store group, generated by one thread`,
    );
  if (run.onePass)
    throw new UsageError(
      `--threads ${threads} cannot be combined with ${run.onePass}: it reads every store's batches in one pass; leave --threads out`,
    );
  if (empty && threads <= run.storeGroups)
    throw new UsageError(
      `--threads ${threads} cannot be used with --store-groups ${run.storeGroups} over --stores ${run.stores}: a thread generates a group's stores, and some groups would have none; give at most ${run.stores} groups, or leave --threads out`,
    );
  if (threads > run.storeGroups)
    throw new UsageError(
      `--threads ${threads} is more than --store-groups (${run.storeGroups}): a thread generates whole store groups; give --store-groups ${threads} or more (it adds -g<NNN>- to the event files' names), or fewer threads`,
    );
  return threads;
}

// Bytes a record takes in each format, measured on `generate --days 2 --stores 5 --products 500`
// (Parquet: snappy, hourly files).
const BYTES_PER_ROW: Record<FileFormat, number> = { parquet: 12, csv: 100, ndjson: 245 };
// Share of the machine's memory a run may plan to use.
const MEMORY_SHARE = 0.8;

/**
 * Estimates what the run needs and refuses, before anything is written, a run whose simulation
 * cannot fit this machine's memory or whose files cannot fit the free space under `out`.
 */
async function fitsTheMachine(
  config: SimulationConfig,
  format: FileFormat,
  out: string,
  split: RunEstimateOptions,
): Promise<RunEstimate> {
  const { stores, products, days } = config;
  const estimate = estimateRun(config, split);
  const memory = totalmem();
  const heap = getHeapStatistics().heap_size_limit;
  if (estimate.memoryBytes > memory * MEMORY_SHARE || estimate.heapBytes > heap * MEMORY_SHARE) {
    throw new UsageError(
      `--stores ${stores} with --products ${products} needs about ${size(estimate.memoryBytes)} of memory, ${size(estimate.heapBytes)} of it on Node's heap; this machine has ${size(memory)}, Node's heap ${size(heap)} (NODE_OPTIONS=--max-old-space-size=<MB> raises it): lower --stores or --products`,
    );
  }
  const bytes = estimate.totalRows * (BYTES_PER_ROW[format] as number);
  const free = await freeSpace(out);
  if (free !== undefined && bytes > free) {
    throw new UsageError(
      `--days ${days} with --stores ${stores} would write about ${estimate.totalRows.toLocaleString("en")} rows, ${size(bytes)} of ${format}; "${out}" has ${size(free)} free: lower --days or --stores, or choose another --out`,
    );
  }
  return estimate;
}

/** Free bytes on the file system that holds `folder` (or its nearest existing parent). */
async function freeSpace(folder: string): Promise<number | undefined> {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    const stats = await statfs(dir).catch(() => undefined);
    if (stats) return stats.bavail * stats.bsize;
    if (dirname(dir) === dir) return undefined;
  }
}

function size(bytes: number): string {
  return bytes >= 1e9
    ? `${(bytes / 1e9).toFixed(1)} GB`
    : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

/** Progress on stderr: a redrawn bar on a terminal, a line per simulated day otherwise. */
function progress() {
  const tty = process.stderr.isTTY === true;
  let lastDay = "";
  let lastRows = 0;
  return {
    update({ rows, done, through }: SimulationProgress) {
      if (tty) {
        const width = 30;
        const filled = Math.round(done * width);
        process.stderr.write(
          `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(done * 100).toFixed(0).padStart(3)}%  ${rows.toLocaleString("en")} rows`,
        );
        return;
      }
      const day = through?.slice(0, 10) ?? "";
      if (day !== lastDay && lastDay !== "") {
        process.stderr.write(`generate: through ${lastDay}, ${lastRows} rows\n`);
      }
      lastDay = day;
      lastRows = rows;
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
    const { totalRows, memoryBytes, threadBytes } = p.estimate;
    const threads =
      threadBytes === undefined
        ? ""
        : ` (${p.threads} threads of ${p.storeGroups} store groups, about ${size(threadBytes)} each at most)`;
    process.stderr.write(
      `generate: about ${totalRows.toLocaleString("en")} rows (~${size(totalRows * BYTES_PER_ROW[p.format])} of ${p.format}), about ${size(memoryBytes)} of memory${threads}\n`,
    );
    const started = performance.now();
    const store = localStore(p.out);
    const bar = progress();
    const feed =
      p.defects === undefined ? undefined : createLegacyFeed({ seed: p.seed, rate: p.defects });
    const legacy =
      p.layout && createLayoutFeedWriter(store, p.layout, { seed: p.seed, rate: p.defects ?? 0 });
    const writing = {
      format: p.format,
      workers: p.workers,
      storeGroups: p.storeGroups,
      batchSize: p.batchSize,
    };
    let result: Awaited<ReturnType<typeof writeSimulation>>;
    if (p.onePass) {
      // The legacy feeds number rows across every store: every batch through them, in order.
      const writer = createLakeWriter({ store, ...writing });
      const rowsByEntity = await writeSimulationBatches(p.sim, writer, {
        batchSize: p.batchSize,
        onBatch: async (batch) => {
          if (feed) await writer.writeText(feed.convert(batch));
          if (legacy) await legacy.write(batch);
        },
        onProgress: bar.update,
      });
      if (feed) for (const rest of feed.flush()) await writer.writeText(rest);
      result = { ...(await writer.close()), rowsByEntity };
    } else {
      result = await writeSimulation(p.sim.config, {
        store,
        ...writing,
        threads: p.threads,
        onProgress: bar.update,
      });
    }
    const rows = result.rowsByEntity;
    const total = Object.values(rows).reduce((n, r) => n + r, 0);
    const layoutFeed = legacy && (await legacy.close());
    const layoutDefectsPath =
      p.layout &&
      layoutFeed &&
      (await publishLayoutManifest(
        store,
        p.layout,
        { runId: result.runId, seed: p.seed, rate: p.defects ?? 0 },
        layoutFeed.manifest,
      ));
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
      await publishOnce(
        store,
        defectsPath,
        Buffer.from(`${JSON.stringify(body, null, 1)}\n`),
        "application/json",
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const bytes = result.files.reduce((sum, f) => sum + f.bytes, 0);
    const lines = Object.entries(rows).map(
      ([entity, n]) => `  ${entity.padEnd(16)} ${n.toLocaleString("en").padStart(12)}`,
    );
    console.log(
      [
        `generated ${p.sim.config.days} day(s) from ${p.sim.config.from}, seed ${p.sim.config.seed}${p.sim.config.shard ? `, shard ${p.sim.config.shard.index}/${p.sim.config.shard.count}` : ""}, into ${store.root}`,
        ...lines,
        ...(feed
          ? [
              `  ${"legacy rows".padEnd(16)} ${result.rowsLegacy.toLocaleString("en").padStart(12)} (${feed.manifest.length} defects, ${defectsPath})`,
            ]
          : []),
        ...(layoutFeed && p.layout
          ? [
              `  ${`${p.layout.name}`.padEnd(16)} ${layoutFeed.rows.toLocaleString("en").padStart(12)} rows in ${layoutFeed.files.length} legacy file(s) under legacy_raw/${p.layout.name}/ (${layoutFeed.manifest.length} defects, ${layoutDefectsPath})`,
            ]
          : []),
        `files ${result.files.length} (${result.published} new, ${result.unchanged} unchanged), ${(bytes / 1e6).toFixed(1)} MB, ` +
          `${Math.round(total / seconds).toLocaleString("en")} rows/s, ${seconds.toFixed(1)} s`,
        `manifest ${(result.manifests ?? [result]).map((m) => m.manifestPath).join(", ")}`,
      ].join("\n"),
    );
    return 0;
  },
};
