// Opt-in (RETAIL_MDS_SCALE_BENCH=1): a large chain through `retail-mds generate` (the built CLI, as
// users run it, with its printed estimate and its peak RSS) and the local pipe, with the pipe's
// load rate against DuckDB's own read_parquet of the same files, and a linear extrapolation of
// the measured rates to the full year. A year of 50 stores x 5 000 SKUs (the default size, about
// 380 M rows) runs for hours on 2 cores; RETAIL_MDS_SCALE_DAYS (docs/generators.md: 14 was run),
// _STORES and _PRODUCTS shrink it, RETAIL_MDS_SCALE_ROUNDS sets the rounds of the load comparison.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { saleLine, stockMovement, stockSnapshot } from "../src/entities/index.js";
import { estimateRun } from "../src/generators/index.js";
import {
  type FileLoad,
  openLocalPipe,
  rawTable,
  rawTableSql,
  sqlFilePath,
} from "../src/warehouse/index.js";

// The pipe's scan groups (src/warehouse/local-pipe.ts): runs of one table's files.
const GROUP_FILES_NOTE = "512 files and 256 MB";

const root = fileURLToPath(new URL("..", import.meta.url));
const SIZE = {
  days: Number(process.env.RETAIL_MDS_SCALE_DAYS ?? 365),
  stores: Number(process.env.RETAIL_MDS_SCALE_STORES ?? 50),
  products: Number(process.env.RETAIL_MDS_SCALE_PRODUCTS ?? 5000),
};
const ROUNDS = Number(process.env.RETAIL_MDS_SCALE_ROUNDS ?? 2);
const CONFIG = { seed: 42, from: "2026-01-01", ...SIZE };
const FACTS = [saleLine, stockMovement, stockSnapshot];

// Reports the process's peak RSS (worker threads included) on stderr as it exits, whatever ends it.
const PEAK_RSS = `data:text/javascript,${encodeURIComponent(
  `import { writeSync } from "node:fs"; process.on("exit", () => writeSync(2, "\\npeak-rss-kb " + process.resourceUsage().maxRSS + "\\n"));`,
)}`;

interface Generated {
  readonly rows: number;
  readonly files: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssBytes: number;
  readonly estimate: string;
}

function generate(lake: string): Generated {
  const args = ["--import", PEAK_RSS, join(root, "dist", "cli.js"), "generate"];
  for (const [option, value] of Object.entries(CONFIG)) args.push(`--${option}`, String(value));
  args.push("--format", "parquet", "--out", lake);
  const cpuBefore = childCpuSeconds();
  const started = performance.now();
  const run = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`generate exited ${run.status}: ${run.stderr}`);
  // A run of store groups writes a manifest per group: they add up to the run.
  const manifests = readdirSync(join(lake, "_manifests"))
    .filter((f) => /^run-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(lake, "_manifests", f), "utf8")));
  const usage = run.stderr.match(/peak-rss-kb (\d+)/);
  return {
    rows: manifests.reduce((n, m) => n + m.rowsWritten, 0),
    files: manifests.reduce((n, m) => n + m.files.length, 0),
    seconds,
    cpuSeconds: childCpuSeconds() - cpuBefore,
    peakRssBytes: Number(usage?.[1]) * 1024, // maxRSS is in KiB
    estimate: /generate: (about [^\n]*)/.exec(run.stderr)?.[1] ?? "?",
  };
}

/** User + system CPU of this process's waited-for children (Linux /proc: cutime + cstime):
 * spawnSync gives no child rusage. */
function childCpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Load {
  readonly rows: number;
  readonly ms: number;
  readonly cpuMs: number;
}

/** Wall and CPU (all of DuckDB's threads: they are this process's) of one load, checkpoint included. */
async function timed(run: () => Promise<number>): Promise<Load> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const rows = await run();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { rows, ms, cpuMs: (used.user + used.system) / 1000 };
}

function factFiles(lake: string, entity: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith(".parquet")) files.push(join(dir, e.name));
  };
  walk(join(lake, entity));
  return files.sort();
}

/**
 * DuckDB on its own, no history, no checks: `shaped` loads each entity's files with one insert
 * into the pipe's RAW table (the same columns, `_source_file`, `_source_row`, `_loaded_at`), the
 * baseline of bench/warehouse.bench.ts and of the 0.9x target; `unordered` is the same without
 * keeping the files' row order, which the pipe's grouped insert (a join) does not keep either;
 * `bare` is `create table as select *`.
 */
async function duckdbAlone(lake: string, database: string, shape: "shaped" | "unordered" | "bare") {
  const db = await DuckDBInstance.create(database);
  const c = await db.connect();
  await c.run("set TimeZone = 'UTC'; create schema raw");
  if (shape === "unordered") await c.run("set preserve_insertion_order = false");
  const load = await timed(async () => {
    let rows = 0;
    for (const entity of FACTS) {
      const list = `[${factFiles(lake, entity.name).map(sqlFilePath).join(", ")}]`;
      if (shape === "bare") {
        await c.run(`create table raw.${entity.name} as select * from read_parquet(${list})`);
      } else {
        const table = rawTable(entity);
        await c.run(rawTableSql(table));
        const casts = table.columns.map((col) => `cast("${col.name}" as ${col.type})`).join(", ");
        await c.run(
          `insert into raw.${entity.name} select ${casts}, filename, file_row_number + 1, now()::TIMESTAMP from read_parquet(${list}, filename = true, file_row_number = true)`,
        );
      }
      const count = await c.runAndReadAll(`select count(*)::BIGINT from raw.${entity.name}`);
      rows += Number(count.getRows()[0]?.[0]);
    }
    await c.run("checkpoint");
    return rows;
  });
  c.closeSync();
  db.closeSync();
  rmSync(database, { force: true });
  return load;
}

/** The local pipe's refresh of the whole lake (reference entities too), checkpoint included. */
async function pipeLoad(lake: string, database: string) {
  const pipe = await openLocalPipe({ lake, database });
  let facts = 0;
  // A scan's group reports its files in one burst: the time since the last burst is the group's.
  const groups: Group[] = [];
  let last = performance.now();
  const onFile = (file: FileLoad) => {
    const now = performance.now();
    if (now - last > 5 || groups.length === 0)
      groups.push({ table: file.table ?? "", rows: 0, ms: now - last });
    last = now;
    const group = groups.at(-1);
    if (group && FACTS.some((e) => file.file.startsWith(`${e.name}/`)))
      group.rows += file.rowsLoaded;
  };
  const load = await timed(async () => {
    const summary = await pipe.refresh({ onFile });
    await pipe.query("checkpoint");
    if (summary.failed > 0) throw new Error(`the pipe failed ${summary.failed} file(s)`);
    facts = summary.files
      .filter((f) => FACTS.some((e) => f.file.startsWith(`${e.name}/`)))
      .reduce((n, f) => n + f.rowsLoaded, 0);
    return summary.rowsLoaded;
  });
  await pipe.close();
  rmSync(database, { force: true });
  return { ...load, facts, groups: groups.filter((g) => g.rows > 0) };
}

interface Group {
  readonly table: string;
  rows: number;
  readonly ms: number;
}

/** Per fact table, rows/s of its first and its last fifth of groups: does a group cost more as RAW grows? */
function groupTrend(groups: readonly Group[]): string {
  const rateOf = (part: readonly Group[]) =>
    rate(
      part.reduce((n, g) => n + g.rows, 0),
      part.reduce((n, g) => n + g.ms, 0),
    );
  const trends = FACTS.map((entity) => {
    const own = groups.filter((g) => g.table === `raw.${entity.name}`);
    const fifth = Math.max(1, Math.floor(own.length / 5));
    return `${entity.name} ${rateOf(own.slice(0, fifth))} -> ${rateOf(own.slice(-fifth))} (${own.length} groups)`;
  });
  return `pipe, rows/s of the first and last fifth of each table's scan groups (up to ${GROUP_FILES_NOTE} each): ${trends.join("; ")}`;
}

function folderBytes(dir: string): number {
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true }))
    bytes += e.isDirectory() ? folderBytes(join(dir, e.name)) : statSync(join(dir, e.name)).size;
  return bytes;
}

const int = (n: number) => Math.round(n).toLocaleString("en");
const rate = (rows: number, ms: number) => int(rows / (ms / 1000));
const best = (loads: Load[]) => ({
  ms: Math.min(...loads.map((l) => l.ms)),
  cpuMs: Math.min(...loads.map((l) => l.cpuMs)),
  rows: loads[0]?.rows ?? 0,
});
const duration = (s: number) =>
  s >= 3600
    ? `${(s / 3600).toFixed(1)} h`
    : s >= 60
      ? `${(s / 60).toFixed(1)} min`
      : `${s.toFixed(0)} s`;

export default async function (): Promise<void> {
  const label = `${SIZE.days} days x ${SIZE.stores} stores x ${SIZE.products} SKUs`;
  if (process.env.RETAIL_MDS_SCALE_BENCH !== "1") {
    console.log(`opt-in: RETAIL_MDS_SCALE_BENCH=1 npm run bench scale (${label})`);
    return;
  }
  // Always built afresh: a stale dist/ would measure someone else's generator.
  const build = spawnSync("npx", ["tsup", "--silent"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) throw new Error(`npx tsup exited ${build.status}`);
  const work = mkdtempSync(join(tmpdir(), "retail-mds-scale-"));
  const load = [loadavg()[0] as number];
  try {
    const lake = join(work, "lake");
    const g = generate(lake);
    load.push(loadavg()[0] as number);
    const lakeBytes = folderBytes(lake);
    const pipe: Load[] = [];
    const shaped: Load[] = [];
    const unordered: Load[] = [];
    const bare: Load[] = [];
    let facts = 0;
    let trend = "";
    // Alternated, best of ROUNDS each: the machine is shared and all three read the same files.
    for (let round = 0; round < ROUNDS; round++) {
      shaped.push(await duckdbAlone(lake, join(work, "shaped.duckdb"), "shaped"));
      const p = await pipeLoad(lake, join(work, "retail.duckdb"));
      facts = p.facts;
      trend = groupTrend(p.groups);
      pipe.push({ rows: p.facts, ms: p.ms, cpuMs: p.cpuMs });
      unordered.push(await duckdbAlone(lake, join(work, "unordered.duckdb"), "unordered"));
      bare.push(await duckdbAlone(lake, join(work, "bare.duckdb"), "bare"));
      load.push(loadavg()[0] as number);
    }
    const base = best(shaped);
    if (facts !== base.rows)
      throw new Error(`the pipe loaded ${facts} fact rows, DuckDB read ${base.rows}`);
    const p = best(pipe);
    const u = best(unordered);
    const b = best(bare);

    // generate's default: one encode worker per core but one, at least 1.
    const year = estimateRun(
      { ...CONFIG, days: 365 },
      { workers: Math.max(1, availableParallelism() - 1) },
    );
    const factShare = facts / g.rows;
    const perRow = {
      generate: g.seconds / g.rows,
      pipe: p.ms / 1000 / facts,
      shaped: base.ms / 1000 / facts,
      bytes: lakeBytes / g.rows,
    };
    console.log(
      `${label}, seed 42 from ${CONFIG.from}: ${int(g.rows)} rows (${int(facts)} of them facts) in ${int(g.files)} files, lake ${(lakeBytes / 1e9).toFixed(2)} GB`,
    );
    console.log(`generate printed: ${g.estimate}`);
    console.log(
      `load average (1 min) ${load.map((l) => l.toFixed(1)).join(", ")} on ${availableParallelism()} cores; load figures best of ${ROUNDS}\n`,
    );
    console.log(`${trend}\n`);
    console.log(
      "| run | rows | files | lake GB | generate rows/s (CPU s) | generate peak RSS (estimate) | pipe rows/s (CPU s) | read_parquet rows/s (CPU s) | pipe / read_parquet, wall (CPU) |",
    );
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    const ratio = (of: { ms: number; cpuMs: number }) =>
      `${(of.ms / p.ms).toFixed(2)}x (${(of.cpuMs / p.cpuMs).toFixed(2)}x)`;
    console.log(
      `| measured, ${SIZE.days} days | ${int(g.rows)} | ${int(g.files)} | ${(lakeBytes / 1e9).toFixed(2)} | ${rate(g.rows, g.seconds * 1000)} (${g.cpuSeconds.toFixed(1)}) | ${int(g.peakRssBytes / 1e6)} MB (${/about ([\d.,]+ [MG]B) of memory/.exec(g.estimate)?.[1] ?? "?"}) | ${rate(facts, p.ms)} (${(p.cpuMs / 1000).toFixed(1)}) | ${rate(facts, base.ms)} (${(base.cpuMs / 1000).toFixed(1)}) | **${ratio(base)}** (target >= 0.9x) |`,
    );
    console.log(
      `| same, read_parquet with preserve_insertion_order = false | | | | | | | ${rate(facts, u.ms)} (${(u.cpuMs / 1000).toFixed(1)}) | ${ratio(u)} |`,
    );
    console.log(
      `| same, read_parquet as bare create table as select * | | | | | | | ${rate(facts, b.ms)} (${(b.cpuMs / 1000).toFixed(1)}) | ${ratio(b)} |`,
    );
    const yearFacts = year.totalRows * factShare;
    console.log(
      `| extrapolated, 365 days (linear: estimateRun's rows at the rates above) | ${int(year.totalRows)} | ${int((g.files / SIZE.days) * 365)} | ${((year.totalRows * perRow.bytes) / 1e9).toFixed(1)} | ${duration(year.totalRows * perRow.generate)} | ${int(year.memoryBytes / 1e6)} MB estimated | ${duration(yearFacts * perRow.pipe)} | ${duration(yearFacts * perRow.shaped)} | |`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
