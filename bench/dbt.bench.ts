// `npm run bench dbt`: a full refresh of the dbt project over a year of history against the
// incremental runs that follow the load of one new day. Size through env vars:
// RETAIL_MDS_DBT_BENCH_DAYS (365), RETAIL_MDS_DBT_BENCH_STORES (20), RETAIL_MDS_DBT_BENCH_SKUS (2000):
// the generator's default chain. A year of it is 14.7 M stock positions, about 80 s and 5.5 GB of
// peak RSS (the fixture is built in memory). Much smaller, dbt's fixed cost per node is most of
// both runs and the ratio says little about incrementality.
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildRetailFixture, writeRawTables } from "../test/dbt/support/raw-fixture.js";
import {
  notOk,
  runDbt,
  runResults,
  type Workspace,
  workspace,
} from "../test/dbt/support/run-dbt.js";

const intEnv = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 2)
    throw new Error(`${name} must be a whole number >= 2, got "${value}"`);
  return Number(value);
};

async function timedRun(ws: Workspace, args: readonly string[]) {
  const started = performance.now();
  const run = await runDbt(ws, args);
  const wall = (performance.now() - started) / 1000;
  if (run.code !== 0) throw new Error(`dbt ${args.join(" ")} failed:\n${run.output.slice(-3000)}`);
  const failed = notOk(runResults(ws));
  if (failed.length) throw new Error(`dbt ${args.join(" ")}: ${failed.join("\n")}`);
  // dbt's own measure of the work, without its start-up (parse, connection).
  const { elapsed_time: elapsed } = JSON.parse(
    readFileSync(join(ws.targetPath, "run_results.json"), "utf8"),
  ) as {
    elapsed_time: number;
  };
  return { wall, elapsed };
}

export default async function bench(): Promise<void> {
  const history = intEnv("RETAIL_MDS_DBT_BENCH_DAYS", 365);
  const days = history + 2; // the year, then two new days, one per incremental run
  const stores = intEnv("RETAIL_MDS_DBT_BENCH_STORES", 20);
  const skus = intEnv("RETAIL_MDS_DBT_BENCH_SKUS", 2000);
  const tables = buildRetailFixture({ start: "2025-11-01", days, stores, skus });
  const loadSet = new Set<string>();
  for (const rows of Object.values(tables)) for (const r of rows) loadSet.add(r._loaded_at ?? "");
  const loads = [...loadSet].sort();
  // A day's rows are loaded the next morning (a few late ones two days later).
  const loadOf = (offset: number) => {
    const day = new Date(Date.parse("2025-11-01T00:00:00Z") + offset * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return loads.filter((l) => l.slice(0, 10) <= day).pop() ?? "";
  };
  const yearEnd = loadOf(history);
  const nextDay = loadOf(history + 1);
  const ws = workspace("bench");
  await writeRawTables(ws.database, tables, { upTo: yearEnd });
  await runDbt(ws, ["parse"]); // warm the partial-parse cache so both runs pay the same start-up
  const full = await timedRun(ws, ["run", "--full-refresh"]);
  // The manifest of that build is the state a scheduled run compares against (see the DAG).
  const state = join(ws.dir, "state");
  mkdirSync(state);
  copyFileSync(join(ws.targetPath, "manifest.json"), join(state, "manifest.json"));
  const newRows = await writeRawTables(ws.database, tables, { after: yearEnd, upTo: nextDay });
  const incremental = await timedRun(ws, ["run"]);
  // The next day, as the Airflow DAG runs it: unchanged views are not re-created.
  await writeRawTables(ws.database, tables, { after: nextDay });
  const scheduled = await timedRun(ws, ["run", "--selector", "scheduled", "--state", state]);
  const slowest = runResults(ws)
    .map((r) => ({
      node: r.unique_id.split(".").pop(),
      seconds: (r as { execution_time?: number }).execution_time ?? 0,
    }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 6)
    .map((r) => `${r.node} ${r.seconds.toFixed(2)}s`);
  const rows = Object.entries(tables)
    .filter(([name]) => !name.endsWith("_legacy"))
    .map(([name, r]) => `${name} ${r.length}`)
    .join(", ");
  console.log(
    `history: ${history} days, ${stores} stores, ${skus} SKUs (${rows}); new day: ${newRows} rows`,
  );
  console.table([
    {
      run: `full refresh (${history} days)`,
      "wall s": full.wall.toFixed(2),
      "dbt elapsed s": full.elapsed.toFixed(2),
      ratio: "1.00",
    },
    {
      run: "incremental (+1 day, every view re-created)",
      "wall s": incremental.wall.toFixed(2),
      "dbt elapsed s": incremental.elapsed.toFixed(2),
      ratio: `${(incremental.elapsed / full.elapsed).toFixed(3)} (wall ${(incremental.wall / full.wall).toFixed(3)})`,
    },
    {
      run: "scheduled incremental (+1 day, --selector scheduled)",
      "wall s": scheduled.wall.toFixed(2),
      "dbt elapsed s": scheduled.elapsed.toFixed(2),
      ratio: `${(scheduled.elapsed / full.elapsed).toFixed(3)} (wall ${(scheduled.wall / full.wall).toFixed(3)})`,
    },
  ]);
  console.log("target: incremental <= 0.15 x full refresh (dbt elapsed)");
  console.log(`slowest models of the scheduled run: ${slowest.join(", ")}`);
}
