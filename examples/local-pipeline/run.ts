// The main job of retail-mds in one script: a week of sales and stock, checked in-stream, landed
// as Parquet in a local lake, loaded into DuckDB by the local pipe as each file is published.
// Run from the repository root: npx tsx examples/local-pipeline/run.ts [lake] [warehouse.duckdb]
import { createRetailSimulation } from "retail-mds/generators";
import { createLakeWriter, inProcessEventSink, localStore } from "retail-mds/lake";
import { createEvaluator, lakeQuarantine, qualityRules, referenceKeys } from "retail-mds/quality";
import { openLocalPipe } from "retail-mds/warehouse";

const [lakeDir = "./lake", database = "./warehouse/retail.duckdb"] = process.argv.slice(2);
const sim = createRetailSimulation({
  seed: 42,
  from: "2026-11-02",
  days: 7,
  stores: 5,
  products: 200,
});
const store = localStore(lakeDir);

// The pipe consumes BlobCreated events as the writer publishes files, as Snowpipe would.
const pipe = await openLocalPipe({ lake: store, database });
const events = inProcessEventSink({ capacity: 64 });
const loading = pipe.consume(events);
const writer = createLakeWriter({ store, format: "parquet", events });
const quarantine = lakeQuarantine(store);

// Quality in-stream: one evaluator per entity; foreign keys checked against the reference data.
const references = referenceKeys(sim.reference());
const evaluators = new Map<string, ReturnType<typeof createEvaluator>>();
let generated = 0;
// generate(): the reference data, then every hour of the period, in order.
for (const batch of sim.generate()) {
  generated += batch.records.length;
  const evaluator =
    evaluators.get(batch.entity.name) ??
    createEvaluator(qualityRules(batch.entity), { references });
  evaluators.set(batch.entity.name, evaluator);
  const { passed, rejected } = evaluator.split(batch.records, { window: batch.window });
  if (rejected.length) await quarantine.reject(rejected);
  await writer.write({ ...batch, records: passed });
}
const run = await writer.close();
events.close();
const loaded = await loading;

console.log(`generated ${generated}, landed ${run.rowsWritten}, quarantined ${quarantine.written}`);
console.log(
  `pipe: ${loaded.loaded} files loaded, ${loaded.failed} failed, ${loaded.rowsLoaded} rows`,
);
console.log(
  await pipe.query(
    "select strftime(sold_at, '%Y-%m-%d') as day, sum(net_amount)::DOUBLE as net from raw.sale_line group by 1 order by 1",
  ),
);
console.log((await pipe.copyHistory()).slice(0, 2));
await pipe.close(); // before dbt: DuckDB allows one writing process per file
