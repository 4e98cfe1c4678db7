// Opt-in (RETAIL_MDS_SCALE_BENCH=1): a year of a large chain through `retail-mds generate` and
// the local pipe, with the generator's rows/s and peak RSS, and the pipe's load rate against
// DuckDB's own read_parquet of the same files. The default size (365 days x 50 stores x 5 000
// SKUs) runs for hours on 2 cores and needs tens of GB of disk; RETAIL_MDS_SCALE_DAYS, _STORES
// and _PRODUCTS shrink it to try the bench itself.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { localStore } from "../src/lake/index.js";
import { openLocalPipe } from "../src/warehouse/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const SIZE = {
  days: Number(process.env.RETAIL_MDS_SCALE_DAYS ?? 365),
  stores: Number(process.env.RETAIL_MDS_SCALE_STORES ?? 50),
  products: Number(process.env.RETAIL_MDS_SCALE_PRODUCTS ?? 5000),
};

// The generator runs in a child process from the built package, as users run it, so its peak
// RSS is its own (`process.resourceUsage` of the child) and not this process's.
const GENERATE_CHILD = `
const { createRetailSimulation } = await import("retail-mds/generators");
const { createLakeWriter, localStore } = await import("retail-mds/lake");
const [out, days, stores, products] = process.argv.slice(1);
const started = performance.now();
const sim = createRetailSimulation({ seed: 42, from: "2026-01-01", days: +days, stores: +stores, products: +products });
const writer = createLakeWriter({ store: localStore(out), format: "parquet" });
await writer.writeAll(sim.generate());
const manifest = await writer.close();
console.log(JSON.stringify({ rows: manifest.rowsWritten, files: manifest.published,
  seconds: (performance.now() - started) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

interface Generated {
  readonly rows: number;
  readonly files: number;
  readonly seconds: number;
  readonly peakRssMb: number;
}

function generate(lake: string): Generated {
  const run = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      GENERATE_CHILD,
      lake,
      String(SIZE.days),
      String(SIZE.stores),
      String(SIZE.products),
    ],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) throw new Error(`generate child exited ${run.status}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() as string) as Generated;
}

// DuckDB reading the same files into one table a file at a time: no history, no checks.
async function directRead(lake: string, database: string): Promise<{ rows: number; ms: number }> {
  const db = await DuckDBInstance.create(database);
  const c = await db.connect();
  const started = performance.now();
  let rows = 0;
  for (const entity of ["sale_line", "stock_movement", "stock_snapshot"]) {
    const files = join(lake, entity, "**", "*.parquet");
    await c.run(`create table ${entity} as select * from read_parquet('${files}')`);
    const count = await c.runAndReadAll(`select count(*)::bigint from ${entity}`);
    rows += Number(count.getRows()[0]?.[0]);
  }
  await c.run("checkpoint");
  const ms = performance.now() - started;
  c.closeSync();
  db.closeSync();
  return { rows, ms };
}

export default async function (): Promise<void> {
  if (process.env.RETAIL_MDS_SCALE_BENCH !== "1") {
    console.log(
      `opt-in: RETAIL_MDS_SCALE_BENCH=1 npm run bench scale (${SIZE.days} days x ${SIZE.stores} stores x ${SIZE.products} SKUs)`,
    );
    return;
  }
  if (!existsSync(join(root, "dist", "generators.js"))) {
    spawnSync("npx", ["tsup", "--silent"], { cwd: root, stdio: "inherit" });
  }
  const work = mkdtempSync(join(tmpdir(), "retail-mds-scale-"));
  try {
    const lake = join(work, "lake");
    const g = generate(lake);
    const pipe = await openLocalPipe({
      lake: localStore(lake),
      database: join(work, "retail.duckdb"),
    });
    const started = performance.now();
    const summary = await pipe.refresh();
    const pipeMs = performance.now() - started;
    await pipe.close();
    const direct = await directRead(lake, join(work, "direct.duckdb"));
    const facts = summary.files
      .filter((f) => /^(sale_line|stock_movement|stock_snapshot)\//.test(f.file))
      .reduce((n, f) => n + f.rowsLoaded, 0);
    if (facts !== direct.rows)
      throw new Error(`the pipe loaded ${facts} fact rows, DuckDB read ${direct.rows}`);
    const rate = (rows: number, ms: number) => Math.round(rows / (ms / 1000)).toLocaleString("en");
    console.log(
      `${SIZE.days} days x ${SIZE.stores} stores x ${SIZE.products} SKUs: ${g.rows.toLocaleString("en")} rows in ${g.files} files\n`,
    );
    console.log("| step | rows/s | peak RSS (MB) | vs DuckDB read_parquet |");
    console.log("|---|---:|---:|---:|");
    console.log(
      `| generate -> Parquet lake | ${rate(g.rows, g.seconds * 1000)} | ${Math.round(g.peakRssMb)} | |`,
    );
    console.log(`| local pipe refresh (all entities) | ${rate(summary.rowsLoaded, pipeMs)} | | |`);
    console.log(
      `| local pipe, fact rows only | ${rate(facts, pipeMs)} | | ${(direct.ms / pipeMs).toFixed(2)}x (target >= 0.9x) |`,
    );
    console.log(
      `| DuckDB read_parquet of the fact files | ${rate(direct.rows, direct.ms)} | | 1.00x |`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
