// `npm run bench dbt`: a full refresh of the dbt project over a year of history against the
// incremental run that follows the load of one new day. Size through env vars:
// RETAIL_MDS_DBT_BENCH_DAYS (365), RETAIL_MDS_DBT_BENCH_STORES (10), RETAIL_MDS_DBT_BENCH_SKUS (60).
import { readFileSync } from "node:fs";
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
  const stores = intEnv("RETAIL_MDS_DBT_BENCH_STORES", 10);
  const skus = intEnv("RETAIL_MDS_DBT_BENCH_SKUS", 60);
  const tables = buildRetailFixture({ start: "2025-11-01", days, stores, skus });
  const loads = [
    ...new Set(Object.values(tables).flatMap((rows) => rows.map((r) => r._loaded_at ?? ""))),
  ].sort();
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
  const newRows = await writeRawTables(ws.database, tables, { after: yearEnd, upTo: nextDay });
  const incremental = await timedRun(ws, ["run"]);
  const slowest = runResults(ws)
    .map((r) => ({
      node: r.unique_id.split(".").pop(),
      seconds: (r as { execution_time?: number }).execution_time ?? 0,
    }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 6)
    .map((r) => `${r.node} ${r.seconds.toFixed(2)}s`);
  // Views only change when their SQL does (deploys run them); a scheduled run can skip them.
  await writeRawTables(ws.database, tables, { after: nextDay });
  const tablesOnly = await timedRun(ws, ["run", "--exclude", "config.materialized:view"]);
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
      run: "incremental (+1 day)",
      "wall s": incremental.wall.toFixed(2),
      "dbt elapsed s": incremental.elapsed.toFixed(2),
      ratio: `${(incremental.elapsed / full.elapsed).toFixed(3)} (wall ${(incremental.wall / full.wall).toFixed(3)})`,
    },
    {
      run: "incremental (+1 day), views skipped",
      "wall s": tablesOnly.wall.toFixed(2),
      "dbt elapsed s": tablesOnly.elapsed.toFixed(2),
      ratio: `${(tablesOnly.elapsed / full.elapsed).toFixed(3)} (wall ${(tablesOnly.wall / full.wall).toFixed(3)})`,
    },
  ]);
  console.log("target: incremental <= 0.15 x full refresh (dbt elapsed)");
  console.log(`slowest models of the incremental run: ${slowest.join(", ")}`);
}
