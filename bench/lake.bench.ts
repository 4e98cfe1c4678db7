// Lake benchmarks: Parquet, CSV and NDJSON encoders on the same rows in the same run (ours
// against parquetjs-lite and raw hyparquet-writer), local-store write throughput, and the
// lake writer end to end with its peak RSS measured in a child process.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { parquetWriteBuffer } from "hyparquet-writer";
import { unitsNumberOf } from "../src/entities/decimal.js";
import {
  type Batch,
  type ColumnBatch,
  columnBatchRecords,
  type LogicalType,
  saleLine,
  stockSnapshot,
} from "../src/entities/index.js";
import { createRetailSimulation } from "../src/generators/index.js";
import { createLakeWriter, fileEncoder, localStore } from "../src/lake/index.js";
import { daysOf, microsInto, toPhysical } from "../src/lake/parquet-physical.js";
import * as reference from "../test/lake/physical-reference.js";

const ROWS = 200_000;
const MB = 1024 * 1024;

type Row = Record<string, unknown>;

/** Six-column rows: a stock snapshot (date, two codes, three ints), as in the measurement. */
function snapshotRows(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    snapshot_date: `2026-11-${String((i % 28) + 1).padStart(2, "0")}`,
    store_id: `S${String((i % 250) + 1).padStart(3, "0")}`,
    sku: `P${String((i * 7919) % 1_000_000).padStart(6, "0")}`,
    on_hand: (i * 31) % 500,
    on_order: (i * 17) % 200,
    reorder_point: (i % 40) + 5,
  }));
}

/** Fourteen-column sale lines with decimals and microsecond timestamps. */
function saleRows(count: number, offset = 0, hour?: number): Row[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const second = hour === undefined ? i % 86_400 : hour * 3600 + (i % 3600);
    const time = `${String(Math.floor(second / 3600)).padStart(2, "0")}:${String(Math.floor((second % 3600) / 60)).padStart(2, "0")}:${String(second % 60).padStart(2, "0")}`;
    return {
      transaction_id: `T-S001-20261101-${String(i + 1).padStart(7, "0")}`,
      line_no: (i % 5) + 1,
      sold_at: `2026-11-01T${time}.${String(i % 1_000_000).padStart(6, "0")}Z`,
      store_id: `S${String((i % 250) + 1).padStart(3, "0")}`,
      sku: `P${String((i * 7919) % 1_000_000).padStart(6, "0")}`,
      customer_id: i % 3 === 0 ? null : `C${String(i % 1_000_000).padStart(7, "0")}`,
      quantity: (i % 7) + 1,
      unit_price: `${(i % 500) + 1}.${String(i % 100).padStart(2, "0")}`,
      discount_amount: "0.00",
      net_amount: `${(i % 900) + 1}.99`,
      vat_amount: `${(i % 150) + 1}.17`,
      payment_method: "card",
      channel: "store",
      currency: "EUR",
    };
  });
}

interface Measured {
  name: string;
  rows: number;
  seconds: number;
  bytes: number;
}

async function time(
  name: string,
  rows: number,
  run: () => Promise<Uint8Array | number>,
): Promise<Measured> {
  const started = process.hrtime.bigint();
  const out = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, rows, seconds, bytes: typeof out === "number" ? out : out.length };
}

async function parquetjsLite(rows: Row[]): Promise<Uint8Array> {
  const parquet = createRequire(import.meta.url)("parquetjs-lite");
  const schema = new parquet.ParquetSchema({
    snapshot_date: { type: "DATE", compression: "SNAPPY" },
    store_id: { type: "UTF8", compression: "SNAPPY" },
    sku: { type: "UTF8", compression: "SNAPPY" },
    on_hand: { type: "INT32", compression: "SNAPPY" },
    on_order: { type: "INT32", compression: "SNAPPY" },
    reorder_point: { type: "INT32", compression: "SNAPPY" },
  });
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const writer = await parquet.ParquetWriter.openStream(schema, sink);
  for (const row of rows) {
    await writer.appendRow({ ...row, snapshot_date: new Date(`${row.snapshot_date}T00:00:00Z`) });
  }
  await writer.close();
  return Buffer.concat(chunks);
}

function rawHyparquet(rows: Row[]): Uint8Array {
  const column = (name: string, map: (v: unknown) => unknown = (v) => v) =>
    rows.map((r) => map(r[name]));
  const buffer = parquetWriteBuffer({
    columnData: [
      {
        name: "snapshot_date",
        data: column("snapshot_date", (v) => new Date(`${v}T00:00:00Z`)),
        type: "TIMESTAMP",
      },
      { name: "store_id", data: column("store_id"), type: "STRING" },
      { name: "sku", data: column("sku"), type: "STRING" },
      { name: "on_hand", data: column("on_hand"), type: "INT32" },
      { name: "on_order", data: column("on_order"), type: "INT32" },
      { name: "reorder_point", data: column("reorder_point"), type: "INT32" },
    ],
  });
  return new Uint8Array(buffer);
}

function table(title: string, results: Measured[], baseline?: Measured) {
  console.log(`\n${title}`);
  console.log("| encoder | rows | s | rows/s | MB/s (out) | size MB | rows/s vs baseline |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const ratio = baseline
      ? `${(r.rows / r.seconds / (baseline.rows / baseline.seconds)).toFixed(2)}x`
      : "";
    console.log(
      `| ${r.name} | ${r.rows} | ${r.seconds.toFixed(2)} | ${Math.round(r.rows / r.seconds)} | ${(r.bytes / MB / r.seconds).toFixed(1)} | ${(r.bytes / MB).toFixed(2)} | ${ratio} |`,
    );
  }
}

async function encoders() {
  const snapshots = snapshotRows(ROWS);
  const sales = saleRows(ROWS / 2);
  const encode =
    (
      format: "parquet" | "csv" | "ndjson",
      compression: "snappy" | "zstd" | "gzip" | "none",
      rows: Row[],
      columns = stockSnapshot.columns,
    ) =>
    () =>
      fileEncoder({ format, compression }).encode(columns, rows);
  // Warm the JIT (and load zstd's wasm) on a slice, so the first encoder measured is not penalised.
  const warm = snapshots.slice(0, 5000);
  await parquetjsLite(warm);
  rawHyparquet(warm);
  for (const c of ["snappy", "zstd"] as const) await encode("parquet", c, warm)();
  await encode("csv", "gzip", warm)();
  await encode("ndjson", "gzip", warm)();

  const baseline = await time("parquetjs-lite 0.8.7 (SNAPPY)", ROWS, () =>
    parquetjsLite(snapshots),
  );
  const six = [
    baseline,
    await time("hyparquet-writer raw (SNAPPY, basic types)", ROWS, async () =>
      rawHyparquet(snapshots),
    ),
    await time("retail-mds parquet snappy", ROWS, encode("parquet", "snappy", snapshots)),
    await time("retail-mds parquet zstd", ROWS, encode("parquet", "zstd", snapshots)),
    await time("retail-mds csv", ROWS, encode("csv", "none", snapshots)),
    await time("retail-mds csv gzip", ROWS, encode("csv", "gzip", snapshots)),
    await time("retail-mds ndjson", ROWS, encode("ndjson", "none", snapshots)),
    await time("retail-mds ndjson gzip", ROWS, encode("ndjson", "gzip", snapshots)),
  ];
  table(`Encoders, ${ROWS} six-column rows (stock_snapshot), same rows, same run`, six, baseline);
  const wide = [
    await time(
      "retail-mds parquet snappy",
      ROWS / 2,
      encode("parquet", "snappy", sales, saleLine.columns),
    ),
    await time(
      "retail-mds parquet zstd",
      ROWS / 2,
      encode("parquet", "zstd", sales, saleLine.columns),
    ),
    await time("retail-mds csv gzip", ROWS / 2, encode("csv", "gzip", sales, saleLine.columns)),
    await time(
      "retail-mds ndjson gzip",
      ROWS / 2,
      encode("ndjson", "gzip", sales, saleLine.columns),
    ),
  ];
  table(
    `Encoders, ${ROWS / 2} fourteen-column rows (sale_line: decimals, microsecond timestamps)`,
    wide,
  );
}

async function storeThroughput() {
  const root = mkdtempSync(join(tmpdir(), "lake-bench-store-"));
  try {
    const store = localStore(root);
    const body = Buffer.alloc(8 * MB, 0x61);
    const files = 32;
    const measured = await time("localStore.put (8 MB files, fsync + rename)", files, async () => {
      for (let i = 0; i < files; i++) await store.put(`bench/file-${i}.bin`, body);
      return files * body.length;
    });
    console.log("\nLocal store write throughput");
    console.log("| what | files | s | MB/s |");
    console.log("|---|---:|---:|---:|");
    console.log(
      `| ${measured.name} | ${files} | ${measured.seconds.toFixed(2)} | ${(measured.bytes / MB / measured.seconds).toFixed(1)} |`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Every column of one simulated day (20 stores x 2,000 SKUs, all entities): what the encoder converts. */
function dayColumns(): { rows: number; columns: { type: LogicalType; values: unknown[] }[] } {
  const config = { seed: 42, from: "2026-11-02", days: 1, stores: 20, products: 2000 };
  const byEntity = new Map<string, { type: LogicalType; values: unknown[] }[]>();
  let rows = 0;
  for (const batch of createRetailSimulation(config).generate()) {
    const { columns } = batch.entity;
    const held =
      byEntity.get(batch.entity.name) ?? columns.map((c) => ({ type: c.type, values: [] }));
    byEntity.set(batch.entity.name, held);
    for (const record of batch.records as Row[]) {
      columns.forEach((c, i) => {
        held[i]?.values.push(record[c.name]);
      });
    }
    rows += batch.records.length;
  }
  return { rows, columns: [...byEntity.values()].flat() };
}

/**
 * CPU per row of the per-value conversions of every value of every column: the library's
 * `toPhysical`, and the typed-array helpers a columnar encoder calls (`daysOf` into an Int32Array,
 * `microsInto`, `unitsNumberOf`, as src/lake/arrow-table.ts does), against the reference
 * implementation they replaced (test/lake/physical-reference.ts), in alternating rounds so load
 * falls on each alike. Process CPU time, so it includes the garbage collector's threads.
 */
export async function conversions(): Promise<void> {
  const { rows, columns } = dayColumns();
  type ConvertColumn = (type: LogicalType, values: readonly unknown[]) => unknown;
  const perValue =
    (convert: (type: LogicalType, value: unknown) => unknown): ConvertColumn =>
    (type, values) => {
      const out = new Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = convert(type, values[i]);
      return out;
    };
  const typed: ConvertColumn = (type, values) => {
    const n = values.length;
    const text = (i: number) => values[i] as string | null;
    if (type.kind === "date") {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) if (text(i) != null) out[i] = daysOf(text(i) as string);
      return out;
    }
    if (type.kind === "timestamp") {
      const words = new Int32Array(2 * n);
      for (let i = 0; i < n; i++) if (text(i) != null) microsInto(words, i, text(i) as string);
      return words;
    }
    if (type.kind === "decimal" && type.precision <= 15) {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (text(i) != null) out[i] = unitsNumberOf(text(i) as string, type.scale);
      }
      return out;
    }
    return perValue(toPhysical)(type, values);
  };
  const run = (convert: ConvertColumn) => {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (const { type, values } of columns) convert(type, values);
    const { user, system } = process.cpuUsage(cpu);
    return { cpu: (user + system) / 1e6, wall: Number(process.hrtime.bigint() - started) / 1e9 };
  };
  const impls = [
    {
      name: "reference toPhysical (regex, Date.parse, BigInt of strings)",
      convert: perValue(reference.toPhysical),
    },
    {
      name: "retail-mds toPhysical (char codes, Number, one bigint)",
      convert: perValue(toPhysical),
    },
    { name: "retail-mds daysOf / microsInto / unitsNumberOf into typed arrays", convert: typed },
  ];
  const load = loadavg()[0]?.toFixed(1);
  for (const impl of impls) run(impl.convert); // warm the JIT
  const rounds = impls.map(() => [] as { cpu: number; wall: number }[]);
  for (let round = 0; round < 7; round++) {
    impls.forEach((impl, i) => {
      rounds[i]?.push(run(impl.convert));
    });
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1] as number;
  const cpuOf = rounds.map((r) => median(r.map((m) => m.cpu)));
  const wallOf = rounds.map((r) => median(r.map((m) => m.wall)));
  console.log(
    `\nPer-value conversions of one simulated day (${rows.toLocaleString("en")} rows, ${columns.length} columns of 6 entities), median of 7 alternating rounds; load average ${load} at start, ${loadavg()[0]?.toFixed(1)} at end`,
  );
  console.log("| conversions | CPU ns/row | wall ns/row | CPU vs reference |");
  console.log("|---|---:|---:|---:|");
  impls.forEach((impl, i) => {
    const cpu = cpuOf[i] as number;
    console.log(
      `| ${impl.name} | ${Math.round((cpu / rows) * 1e9)} | ${Math.round(((wallOf[i] as number) / rows) * 1e9)} | ${((cpuOf[0] as number) / cpu).toFixed(2)}x |`,
    );
  });
}

const CHILD_ROWS = 1_000_000;

/** Child mode: the lake writer end to end (validation, partitions, parquet, local store). */
async function writerChild(format: "parquet" | "csv") {
  const root = mkdtempSync(join(tmpdir(), "lake-bench-writer-"));
  try {
    // One window an hour, as a generator emits them: 24 windows of ~41,700 lines.
    const perHour = Math.ceil(CHILD_ROWS / 24);
    async function* batches(): AsyncGenerator<Batch> {
      for (let hour = 0; hour < 24; hour++) {
        const hh = String(hour).padStart(2, "0");
        const window = {
          from: `2026-11-01T${hh}:00:00Z`,
          to:
            hour === 23
              ? "2026-11-02T00:00:00Z"
              : `2026-11-01T${String(hour + 1).padStart(2, "0")}:00:00Z`,
        };
        for (let done = 0; done < perHour; done += 5000) {
          const records = saleRows(Math.min(5000, perHour - done), hour * perHour + done, hour);
          yield { entity: saleLine, window, records } as Batch;
        }
      }
    }
    const writer = createLakeWriter({
      store: localStore(root),
      format,
      compression: format === "csv" ? "gzip" : "snappy",
      roll: { maxRows: 250_000 },
    });
    const started = process.hrtime.bigint();
    await writer.writeAll(batches());
    const result = await writer.close();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const bytes = result.files.reduce((n, f) => n + f.bytes, 0);
    process.stdout.write(
      `${JSON.stringify({ format, rows: result.rowsWritten, files: result.files.length, seconds, bytes, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function runChild(format: string): Promise<{
  format: string;
  rows: number;
  files: number;
  seconds: number;
  bytes: number;
  maxRssMb: number;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
      env: { ...process.env, LAKE_BENCH_CHILD: format },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").pop() as string))
        : reject(new Error(`bench child exited ${code}`)),
    );
  });
}

async function writerEndToEnd() {
  console.log(
    `\nLake writer end to end (${CHILD_ROWS} sale lines in hourly windows, batches of 5000, validated, local store), one child process each`,
  );
  console.log("| format | rows | files | s | rows/s | MB/s (out) | peak RSS MB |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const format of ["parquet", "csv"]) {
    const r = await runChild(format);
    console.log(
      `| ${r.format}${r.format === "csv" ? " gzip" : " snappy"} | ${r.rows} | ${r.files} | ${r.seconds.toFixed(1)} | ${Math.round(r.rows / r.seconds)} | ${(r.bytes / MB / r.seconds).toFixed(1)} | ${Math.round(r.maxRssMb)} |`,
    );
  }
}

const COLUMNAR_ROWS = 480_000;

/**
 * `count` sale lines of one hour as a `ColumnBatch`, as a columnar generator builds them: stores,
 * SKUs and enums as dictionaries, ids and customers a value per row, amounts as units, instants
 * as epoch milliseconds.
 */
function saleLineBatch(count: number, offset: number, hour: number): ColumnBatch {
  const start = Date.UTC(2026, 10, 1, hour);
  const window = {
    from: new Date(start).toISOString(),
    to: new Date(start + 3_600_000).toISOString(),
  };
  const stores = Array.from({ length: 20 }, (_, i) => `S${String(i + 1).padStart(3, "0")}`);
  const skus = Array.from({ length: 2000 }, (_, i) => `P${String(i * 37).padStart(6, "0")}`);
  const rows = (f: (i: number) => number) =>
    Float64Array.from({ length: count }, (_, k) => f(k + offset));
  const ints = (f: (i: number) => number) =>
    Int32Array.from({ length: count }, (_, k) => f(k + offset));
  const basket = (i: number) => Math.floor(i / 3);
  return {
    entity: saleLine,
    window,
    length: count,
    columns: [
      {
        kind: "string",
        values: Array.from(
          { length: count },
          (_, k) => `T-S001-20261101-${String(basket(k + offset)).padStart(7, "0")}`,
        ),
      },
      { kind: "int", values: ints((i) => (i % 3) + 1) },
      { kind: "timestamp", values: rows((i) => start + ((basket(i) * 1009) % 3_600_000)) },
      { kind: "dictionary", dictionary: stores, codes: ints((i) => basket(i) % 20) },
      { kind: "dictionary", dictionary: skus, codes: ints((i) => (i * 7919) % 2000) },
      {
        kind: "string",
        values: Array.from({ length: count }, (_, k) =>
          (k + offset) % 3 === 0
            ? null
            : `C${String(basket(k + offset) % 1_000_000).padStart(7, "0")}`,
        ),
      },
      { kind: "int", values: ints((i) => (i % 7) + 1) },
      { kind: "decimal", values: rows((i) => ((i % 500) + 1) * 100 + (i % 100)) },
      { kind: "decimal", values: rows(() => 0) },
      { kind: "decimal", values: rows((i) => ((i % 900) + 1) * 100 + 99) },
      { kind: "decimal", values: rows((i) => ((i % 150) + 1) * 100 + 17) },
      {
        kind: "dictionary",
        dictionary: ["card", "cash", "gift_card", "mobile", "paypal"],
        codes: ints((i) => basket(i) % 5),
      },
      {
        kind: "dictionary",
        dictionary: ["store", "web", "drive"],
        codes: ints((i) => basket(i) % 3),
      },
      { kind: "dictionary", dictionary: ["EUR"], codes: ints(() => 0) },
    ],
  };
}

/**
 * The lake writer given the same sale lines as column batches and as their records (made before
 * the clock starts, so only the writer is measured), Parquet snappy, in alternating rounds
 * (median of 3), in this thread (workers 0: CPU is the whole write) and with one encode worker
 * (the writer's thread routes while the worker encodes: wall is what a generator waits).
 */
async function columnarWriter() {
  const batches: ColumnBatch[] = [];
  const perHour = COLUMNAR_ROWS / 24;
  for (let hour = 0; hour < 24; hour++)
    for (let done = 0; done < perHour; done += 5000)
      batches.push(saleLineBatch(Math.min(5000, perHour - done), hour * perHour + done, hour));
  const records: Batch[] = batches.map((b) => ({
    entity: b.entity,
    window: b.window,
    records: columnBatchRecords(b),
  }));
  const once = async (input: readonly (Batch | ColumnBatch)[], workers: number) => {
    const root = mkdtempSync(join(tmpdir(), "lake-bench-columnar-"));
    try {
      const writer = createLakeWriter({ store: localStore(root), format: "parquet", workers });
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      for (const batch of input) await writer.write(batch);
      const result = await writer.close();
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const { user, system } = process.cpuUsage(cpu);
      return { wall, cpu: (user + system) / 1e6, files: result.files.map((f) => f.sha256).join() };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  const load = loadavg()[0]?.toFixed(1);
  console.log(
    `\nLake writer, ${COLUMNAR_ROWS} sale lines (24 hourly windows, batches of 5000) as records and as column batches, Parquet snappy, median of 3 alternating rounds; load average ${load}`,
  );
  console.log(
    "| workers | input | wall s | CPU s | rows/s (wall) | column batches vs records (wall) |",
  );
  console.log("|---:|---|---:|---:|---:|---:|");
  for (const workers of [0, 1]) {
    await once(batches.slice(0, 4), workers); // warm the JIT and the encoder
    await once(records.slice(0, 4), workers);
    const runs = {
      records: [] as Awaited<ReturnType<typeof once>>[],
      columns: [] as Awaited<ReturnType<typeof once>>[],
    };
    for (let round = 0; round < 3; round++) {
      runs.records.push(await once(records, workers));
      runs.columns.push(await once(batches, workers));
    }
    if (runs.records[0]?.files !== runs.columns[0]?.files)
      throw new Error("column batches and records wrote different files");
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1] as number;
    const wall = (k: "records" | "columns") => median(runs[k].map((r) => r.wall));
    const cpu = (k: "records" | "columns") => median(runs[k].map((r) => r.cpu));
    for (const k of ["records", "columns"] as const) {
      const ratio = k === "columns" ? `${(wall("records") / wall("columns")).toFixed(2)}x` : "";
      console.log(
        `| ${workers} | ${k === "records" ? "records" : "column batches"} | ${wall(k).toFixed(2)} | ${cpu(k).toFixed(2)} | ${Math.round(COLUMNAR_ROWS / wall(k))} | ${ratio} |`,
      );
    }
  }
}

export default async function lakeBench(): Promise<void> {
  await columnarWriter();
  await conversions();
  await encoders();
  await storeThroughput();
  await writerEndToEnd();
}

const childMode = process.env.LAKE_BENCH_CHILD;
if (process.env.LAKE_BENCH === "columnar") await columnarWriter();
if (childMode === "parquet" || childMode === "csv") await writerChild(childMode);
