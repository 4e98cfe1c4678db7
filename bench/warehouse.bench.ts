// Local pipe benchmarks: throughput against DuckDB reading the same Parquet files directly,
// latency from publish to visible in RAW, and (opt-in) the demo's wall time at scale.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { saleLine } from "../src/entities/index.js";
import { blobCreatedEvent, csvText, lakePath, localStore } from "../src/lake/index.js";
import { duckdbType, openLocalPipe } from "../src/warehouse/index.js";

const FILES = Number(process.env.RETAIL_MDS_BENCH_FILES ?? 16);
const ROWS = Number(process.env.RETAIL_MDS_BENCH_ROWS ?? 250_000);
const SMALL_FILES = 200;
const ROUNDS = Number(process.env.RETAIL_MDS_BENCH_ROUNDS ?? 2);

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function writeParquetLake(lake: string): Promise<string[]> {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run("set TimeZone = 'UTC'");
  const paths: string[] = [];
  for (let f = 0; f < FILES; f++) {
    const path = lakePath({
      feed: "data",
      entity: "sale_line",
      dt: "2026-11-01",
      hour: String(f % 24).padStart(2, "0"),
      window: "20261101T0000Z-20261102T0000Z",
      seq: f + 1,
      extension: "parquet",
    });
    const full = join(lake, path);
    mkdirSync(join(full, ".."), { recursive: true });
    // The lake writer's types: INT32, DECIMAL, TIMESTAMP(UTC, micros), UTF8 strings.
    await c.run(`copy (select
        'T-S' || lpad(((i % 20) + 1)::VARCHAR, 3, '0') || '-20261101-' || lpad((${f} * ${ROWS} + i)::VARCHAR, 8, '0') as transaction_id,
        ((i % 5) + 1)::INTEGER as line_no,
        (TIMESTAMPTZ '2026-11-01 00:00:00+00' + to_microseconds(i * 997)) as sold_at,
        'S' || lpad(((i % 20) + 1)::VARCHAR, 3, '0') as store_id,
        'P' || lpad((i % 2000)::VARCHAR, 6, '0') as sku,
        case when i % 3 = 0 then null else 'C' || lpad((i % 9000)::VARCHAR, 7, '0') end as customer_id,
        ((i % 4) + 1)::INTEGER as quantity, ((i % 500) / 10 + 0.99)::DECIMAL(12,2) as unit_price, 0::DECIMAL(12,2) as discount_amount,
        (((i % 4) + 1) * ((i % 500) / 10 + 0.99))::DECIMAL(12,2) as net_amount, 0.5::DECIMAL(12,2) as vat_amount,
        'card' as payment_method, 'store' as channel, 'EUR' as currency
      from range(${ROWS}) t(i)) to ${q(full)} (format parquet, compression snappy)`);
    paths.push(full);
  }
  c.closeSync();
  db.closeSync();
  return paths;
}

async function baseline(files: readonly string[], database: string): Promise<number> {
  const db = await DuckDBInstance.create(database);
  const c = await db.connect();
  await c.run("set TimeZone = 'UTC'");
  const columns = saleLine.columns.map((col) => `"${col.name}" ${duckdbType(col.type)}`).join(", ");
  await c.run(
    `create schema raw; create table raw.sale_line (${columns}, _source_file VARCHAR, _source_row BIGINT, _loaded_at TIMESTAMP)`,
  );
  const started = performance.now();
  const casts = saleLine.columns
    .map((col) => `cast("${col.name}" as ${duckdbType(col.type)})`)
    .join(", ");
  await c.run(
    `insert into raw.sale_line select ${casts}, filename, file_row_number + 1, now()::TIMESTAMP from read_parquet([${files.map(q).join(", ")}], filename = true, file_row_number = true)`,
  );
  await c.run("checkpoint");
  const ms = performance.now() - started;
  c.closeSync();
  db.closeSync();
  return ms;
}

async function throughput(root: string): Promise<string[]> {
  const lake = join(root, "lake");
  const files = await writeParquetLake(lake);
  const rows = FILES * ROWS;
  // Alternate the two, best of ROUNDS each: the machine may be shared, and both read the same files.
  let base = Number.POSITIVE_INFINITY;
  let ms = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    base = Math.min(base, await baseline(files, join(root, `baseline-${round}.duckdb`)));
    const pipe = await openLocalPipe({ lake, database: join(root, `local-pipe-${round}.duckdb`) });
    const started = performance.now();
    const summary = await pipe.refresh();
    await pipe.query("checkpoint");
    ms = Math.min(ms, performance.now() - started);
    await pipe.close();
    if (summary.rowsLoaded !== rows)
      throw new Error(`pipe loaded ${summary.rowsLoaded} rows, expected ${rows}`);
  }
  const fmt = (v: number) => Math.round(v).toLocaleString("en-US");
  return [
    `| DuckDB read_parquet into a table (baseline, best of ${ROUNDS}) | ${FILES} x ${fmt(ROWS)} | ${fmt(base)} ms | ${fmt(rows / (base / 1000))} rows/s | 1.00x |`,
    `| local pipe refresh (grouped insert, a history row per file; best of ${ROUNDS}) | ${FILES} x ${fmt(ROWS)} | ${fmt(ms)} ms | ${fmt(rows / (ms / 1000))} rows/s | ${(base / ms).toFixed(2)}x |`,
  ];
}

async function latency(root: string): Promise<string> {
  const lake = join(root, "latency-lake");
  const store = localStore(lake);
  const pipe = await openLocalPipe({ lake: store, database: join(root, "latency.duckdb") });
  const columns = saleLine.columns.map((c) => c.name);
  const times: number[] = [];
  for (let f = 0; f < SMALL_FILES; f++) {
    const records = Array.from({ length: 100 }, (_, i) => ({
      transaction_id: `T-S001-20261101-${String(f * 100 + i).padStart(6, "0")}`,
      line_no: 1,
      sold_at: "2026-11-01T08:00:00.000Z",
      store_id: "S001",
      sku: "P000001",
      customer_id: null,
      quantity: 1,
      unit_price: "1.00",
      discount_amount: "0.00",
      net_amount: "1.00",
      vat_amount: "0.17",
      payment_method: "card",
      channel: "store",
      currency: "EUR",
    }));
    const path = lakePath({
      feed: "data",
      entity: "sale_line",
      dt: "2026-11-01",
      hour: "08",
      window: "20261101T0800Z-20261101T0900Z",
      seq: f + 1,
      extension: "csv",
    });
    const put = await store.put(path, new TextEncoder().encode(csvText(columns, records)), {
      contentType: "text/csv",
    });
    const event = blobCreatedEvent(put);
    const started = performance.now();
    await pipe.publish(event);
    const [visible] = await pipe.query(
      `select count(*)::INTEGER as n from raw.sale_line where _source_file = ${q(path)}`,
    );
    times.push(performance.now() - started);
    if (visible?.n !== 100)
      throw new Error(`file ${path}: ${String(visible?.n)} rows visible, expected 100`);
  }
  await pipe.close();
  times.sort((a, b) => a - b);
  return `| publish -> visible in RAW (${SMALL_FILES} CSV files x 100 rows) | p50 ${percentile(times, 50).toFixed(1)} ms | p95 ${percentile(times, 95).toFixed(1)} ms | max ${percentile(times, 100).toFixed(1)} ms | target p95 < 1000 ms |`;
}

function demoWallTime(): string {
  if (process.env.RETAIL_MDS_BENCH_DEMO !== "1") {
    return "| demo 30 days x 20 stores x 2000 SKUs | skipped: set RETAIL_MDS_BENCH_DEMO=1 to run it (long) | | | |";
  }
  const root = mkdtempSync(join(tmpdir(), "retail-mds-bench-demo-"));
  const args = [
    "--import",
    "tsx",
    "src/cli/main.ts",
    "demo",
    "--days",
    "30",
    "--stores",
    "20",
    "--products",
    "2000",
    "--lake",
    join(root, "lake"),
    "--warehouse",
    join(root, "warehouse"),
  ];
  const started = performance.now();
  const result = spawnSync(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  const s = (performance.now() - started) / 1000;
  const output = `${result.stderr}\n${result.stdout}`;
  const generated = /generated ([\d,]+) rows; landed/.exec(output)?.[1] ?? "?";
  const dbt = /dbt (ok|FAILED)[^\n]*?(PASS=\d+ WARN=\d+ ERROR=\d+)/.exec(output);
  rmSync(root, { recursive: true, force: true });
  return `| demo 30 days x 20 stores x 2000 SKUs (node ${args.slice(2).join(" ")}) | exit ${result.status}, ${generated} rows generated, dbt ${dbt ? `${dbt[1]} ${dbt[2]}` : "?"} | ${s.toFixed(0)} s wall | | |`;
}

export default async function (): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "retail-mds-bench-wh-"));
  try {
    console.log("| what | size | time | rate | vs baseline |");
    console.log("|---|---|---|---|---|");
    for (const line of await throughput(root)) console.log(line);
    console.log(await latency(root));
    console.log(demoWallTime());
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
