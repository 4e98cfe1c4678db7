// Generator throughput against the Parquet encoder, and peak RSS of a 10 M sale-line run.
// Ratios compare runs measured here, in this process, one after the other. Wall time is what a
// user waits; CPU time (user + system of this process) is steadier on a busy machine.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Batch } from "../src/entities/index.js";
import { saleLine } from "../src/entities/index.js";
import { createRetailSimulation, writeSimulation } from "../src/generators/index.js";
import { createEncodePool } from "../src/lake/encode-pool.js";
import { localStore } from "../src/lake/local-store.js";
import { DEFAULT_ROW_GROUP_BYTES, parquetBytes } from "../src/lake/parquet-encoder.js";

const CONFIG = { seed: 42, from: "2026-11-02", days: 2, stores: 20, products: 2000 };
// A short untimed run of each path first, so no timed run pays for JIT warm-up alone.
const WARM_UP = { seed: 7, from: "2026-11-02", days: 1, stores: 5, products: 500 };
const BIG = { seed: 42, from: "2026-11-01", days: 90, stores: 20, products: 2000 };
const SALE_LINES = 10_000_000;
// generate's default: one core for the generating thread, the others encode.
const cores = Math.max(1, availableParallelism() - 1);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Timing {
  readonly rows: number;
  readonly wall: number;
  readonly cpu: number;
}

async function timed(run: () => Promise<number> | number): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const rows = await run();
  const wall = (performance.now() - wall0) / 1000;
  const c = process.cpuUsage(cpu0);
  return { rows, wall, cpu: (c.user + c.system) / 1e6 };
}

async function throughput() {
  for (const batch of createRetailSimulation(WARM_UP).generate()) {
    await parquetBytes(batch.entity.columns, batch.records as Record<string, unknown>[]);
  }
  const generateValidate = await timed(() => {
    let rows = 0;
    for (const batch of createRetailSimulation(CONFIG).generate()) rows += batch.records.length;
    return rows;
  });
  const generateEncode = await timed(async () => {
    let rows = 0;
    for (const batch of createRetailSimulation(CONFIG).generate()) {
      await parquetBytes(batch.entity.columns, batch.records as Record<string, unknown>[]);
      rows += batch.records.length;
    }
    return rows;
  });
  // The same, with the encoding on worker threads (the lake writer's `workers`): this thread
  // generates and hands each batch over in columns while the workers encode; at most two
  // batches a worker in flight, as the writer's upload slots bound it.
  const pool = createEncodePool(cores);
  await pool.encode(saleLine.columns, [], {
    codec: "snappy",
    rowGroupBytes: DEFAULT_ROW_GROUP_BYTES,
  });
  const generateWorkers = await timed(async () => {
    let rows = 0;
    const inFlight = new Set<Promise<unknown>>();
    for (const batch of createRetailSimulation(CONFIG).generate()) {
      while (inFlight.size >= 2 * cores) await Promise.race(inFlight);
      const encoded: Promise<unknown> = pool
        .encode(batch.entity.columns, batch.records as Record<string, unknown>[], {
          codec: "snappy",
          rowGroupBytes: DEFAULT_ROW_GROUP_BYTES,
        })
        .finally(() => inFlight.delete(encoded));
      inFlight.add(encoded);
      rows += batch.records.length;
    }
    await Promise.all(inFlight);
    return rows;
  });
  await pool.close();
  // What `generate --workers 0` does per row: the same, through the lake writer (its record
  // check, routing to files and partitions, rolling, hashing) into a local folder, in this thread.
  const lake = mkdtempSync(join(tmpdir(), "retail-mds-bench-lake-"));
  const generateWrite = await timed(async () => {
    const result = await writeSimulation(CONFIG, {
      store: localStore(lake),
      format: "parquet",
      workers: 0,
    });
    return result.rowsWritten;
  });
  rmSync(lake, { recursive: true, force: true });
  const built: Batch[] = [...createRetailSimulation(CONFIG).generate()];
  const encodeOnly = await timed(async () => {
    let rows = 0;
    for (const batch of built) {
      await parquetBytes(batch.entity.columns, batch.records as Record<string, unknown>[]);
      rows += batch.records.length;
    }
    return rows;
  });
  const load = loadavg()[0]?.toFixed(1);
  const line = (name: string, t: Timing) =>
    `| ${name.padEnd(36)} | ${String(t.rows).padStart(8)} | ${fmt(t.rows / t.wall)} | ${ratio(encodeOnly.wall / encodeOnly.rows, t.wall / t.rows)} | ${fmt(t.rows / t.cpu)} | ${ratio(encodeOnly.cpu / encodeOnly.rows, t.cpu / t.rows)} |`;
  console.log(
    `${CONFIG.stores} stores x ${CONFIG.products} SKUs, ${CONFIG.days} days from ${CONFIG.from}, batches of 10 000, Parquet (SNAPPY) per batch; load average ${loadavg()[0]?.toFixed(1)} at start, ${load} at the end of the runs (CPU time counts every thread of the process)\n`,
  );
  console.log(
    `| ${"run".padEnd(36)} | rows     | rows/s wall | x encode (wall) | rows/s CPU  | x encode (CPU)  |`,
  );
  console.log(
    `|${"-".repeat(38)}|----------|-------------|-----------------|-------------|-----------------|`,
  );
  console.log(line("generate + validate", generateValidate));
  console.log(line("generate + validate + Parquet encode", generateEncode));
  console.log(line(`same, encoded on ${cores} worker threads`, generateWorkers));
  console.log(line("same, through the lake writer to files", generateWrite));
  console.log(line("Parquet encode of the same rows", encodeOnly));
  console.log(
    "\ntarget: generate + validate + encode >= 0.70 x encode alone (CPU column; wall time is only" +
      " meaningful on an idle machine)",
  );
}

// The child runs the built package (`retail-mds/generators` through the exports map, from dist/)
// the way users run it, so tsx's in-process TypeScript compiler is not counted.
const RSS_CHILD = `
const { createRetailSimulation } = await import("retail-mds/generators");
const started = performance.now();
let rows = 0;
let saleLines = 0;
for (const batch of createRetailSimulation(${JSON.stringify(BIG)}).generate()) {
  rows += batch.records.length;
  if (batch.entity.name === "sale_line") saleLines += batch.records.length;
  if (saleLines >= ${SALE_LINES}) break;
}
console.log(JSON.stringify({ rows, saleLines, seconds: Math.round((performance.now() - started) / 100) / 10,
  maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
`;

function peakRss(nodeFlags: readonly string[]) {
  const run = spawnSync(process.execPath, [...nodeFlags, "--input-type=module", "-e", RSS_CHILD], {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as Record<string, number>;
  console.log(
    `| ${(nodeFlags.join(" ") || "(node defaults)").padEnd(26)} | ${String(result.maxRssMb).padStart(12)} | ` +
      `${fmt(result.saleLines ?? 0)} | ${fmt(result.rows ?? 0)} | ${String(result.seconds).padStart(9)} | ` +
      `${fmt((result.rows ?? 0) / (result.seconds ?? 1))} |`,
  );
}

const fmt = (n: number) => Math.round(n).toLocaleString("en").padStart(11);
const ratio = (baseline: number, perRow: number) =>
  `${(baseline / perRow).toFixed(2)}`.padStart(15);

export default async function (): Promise<void> {
  if (!existsSync(join(root, "dist", "generators.js"))) {
    spawnSync("npx", ["tsup", "--silent"], { cwd: root, stdio: "inherit" });
  }
  await throughput();
  console.log(
    `\npeak RSS of a child process streaming generate + validate until ${SALE_LINES.toLocaleString("en")} sale lines ` +
      `(${BIG.stores} stores x ${BIG.products} SKUs; the child runs the built package from dist/)\n`,
  );
  console.log(
    "| node flags                 | peak RSS (MB) |  sale lines |        rows | seconds   |      rows/s |",
  );
  console.log(
    "|----------------------------|--------------|-------------|-------------|-----------|-------------|",
  );
  peakRss([]);
  // A smaller young generation trades a little GC time for a lower, flatter RSS.
  peakRss(["--max-semi-space-size=4"]);
  console.log("\ntarget: < 300 MB");
}
