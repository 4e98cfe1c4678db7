// The main job of retail-mds from a program: a week of sales and stock, checked in-stream, landed
// as Parquet in a local lake, loaded into DuckDB by the local pipe as each file is published,
// `dbt build`, and the HTML report: `runLocalPipeline`, the function `retail-mds demo` runs.
// Run from the repository root: npx tsx examples/local-pipeline/run.ts [lake] [warehouse-folder]
import { type PipelineEvent, runLocalPipeline } from "retail-mds/pipeline";

const [lake = "./lake", warehouse = "./warehouse"] = process.argv.slice(2);

// Ctrl-C stops between hourly windows; what was landed stays landed and loaded.
const stop = new AbortController();
process.once("SIGINT", () => stop.abort(new Error("interrupted")));

// Every event is plain data: here one JSON line per stage event, the hourly ticks left out.
const log = (event: PipelineEvent) => {
  if (event.type !== "generated" && event.type !== "dbt-node") console.error(JSON.stringify(event));
};

const result = await runLocalPipeline(
  { days: 7, stores: 5, products: 200, seed: 42, lake, warehouse },
  { signal: stop.signal, onProgress: log },
);

for (const line of result.reconciliation)
  console.log(
    `${line.left === line.right ? "ok " : "BAD"} ${line.label}: ${line.left} = ${line.right}`,
  );
console.log(`dbt: ${result.dbt.text}`);
console.log(`report: ${result.report}`);
process.exitCode = result.balanced ? 0 : 1;
