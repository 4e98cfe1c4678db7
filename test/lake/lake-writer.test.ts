import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import {
  type Batch,
  saleLine,
  stockSnapshot,
  store,
  ValidationError,
} from "../../src/entities/index.js";
import {
  type BlobCreatedEvent,
  createLakeWriter,
  inProcessEventSink,
  type LakeObject,
  type LakeStore,
  LakeWriteError,
  localStore,
  parseLakePath,
  type RejectedRecord,
  readLakeFile,
} from "../../src/lake/index.js";
import { manySaleLines, saleLines, stockSnapshots, stores } from "./fixtures.js";
import { tempDir } from "./temp-dir.js";

const window = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T10:00:00Z" };
const tempRoot = () => tempDir("lake-writer-");

async function paths(lake: LakeStore, prefix?: string) {
  const out: LakeObject[] = [];
  for await (const o of lake.list(prefix)) out.push(o);
  return out.map((o) => o.path).sort();
}

function batches<T>(
  records: readonly T[],
  size: number,
  entity: Batch["entity"] = saleLine,
  w = window,
): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < records.length; i += size)
    out.push({ entity, window: w, records: records.slice(i, i + size) } as Batch);
  return out;
}

test("files land in event-time partitions with deterministic names, events and a manifest", async () => {
  const lake = localStore(tempRoot());
  const events = inProcessEventSink();
  const writer = createLakeWriter({ store: lake, format: "parquet", events });
  await writer.write({ entity: saleLine, window, records: saleLines });
  await writer.write({
    entity: store,
    window: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" },
    records: stores,
  });
  await writer.write({
    entity: stockSnapshot,
    window: { from: "2026-11-01T00:00:00Z", to: "2026-11-03T00:00:00Z" },
    records: stockSnapshots,
  });
  const result = await writer.close();
  events.close();
  expect(await paths(lake)).toEqual([
    `_manifests/${result.runId}.json`,
    "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T1000Z-00001.parquet",
    "sale_line/dt=2026-11-01/hour=09/sale_line-20261101T0800Z-20261101T1000Z-00001.parquet",
    "stock_snapshot/dt=2026-11-01/stock_snapshot-20261101T0000Z-20261103T0000Z-00001.parquet",
    "stock_snapshot/dt=2026-11-02/stock_snapshot-20261101T0000Z-20261103T0000Z-00001.parquet",
    "store/store-20261101T0000Z-20261102T0000Z-00001.parquet",
  ]);
  expect(result.runId).toMatch(/^run-[0-9a-f]{16}$/);
  expect(result).toMatchObject({
    format: "parquet",
    compression: "snappy",
    rowsWritten: 7,
    rowsQuarantined: 0,
    rowsLegacy: 0,
    published: 5,
    unchanged: 0,
  });
  expect(result.files.map((f) => [f.path.split("/").pop(), f.rows])).toEqual([
    ["sale_line-20261101T0800Z-20261101T1000Z-00001.parquet", 2],
    ["sale_line-20261101T0800Z-20261101T1000Z-00001.parquet", 1],
    ["stock_snapshot-20261101T0000Z-20261103T0000Z-00001.parquet", 1],
    ["stock_snapshot-20261101T0000Z-20261103T0000Z-00001.parquet", 1],
    ["store-20261101T0000Z-20261102T0000Z-00001.parquet", 2],
  ]);
  const manifest = JSON.parse(readFileSync(lake.localPath(result.manifestPath), "utf8"));
  const { manifestPath: _p, published: _n, unchanged: _u, ...written } = result;
  expect(manifest).toEqual(written);
  for (const file of result.files) {
    const bytes = readFileSync(lake.localPath(file.path));
    expect(bytes.length).toBe(file.bytes);
    expect((await lake.list(file.path)[Symbol.asyncIterator]().next()).value?.eTag).toBe(
      file.sha256,
    );
  }
  const hour8 = await readLakeFile(lake, result.files[0]?.path as string);
  expect(hour8.records).toEqual(saleLines.slice(0, 2));
  const received: BlobCreatedEvent[] = [];
  for await (const event of events) received.push(event);
  // One event per data file; the manifest is not announced.
  expect(received.map((e) => e.subject.split("/blobs/")[1]).sort()).toEqual(
    result.files.map((f) => f.path),
  );
  expect(received[0]?.data).toMatchObject({
    api: "PutBlob",
    blobType: "BlockBlob",
    contentType: "application/vnd.apache.parquet",
  });
});

test("files roll at maxRows and at maxBytes", async () => {
  const lake = localStore(tempRoot());
  const byRows = createLakeWriter({ store: lake, format: "csv", roll: { maxRows: 1000 } });
  await byRows.writeAll(batches(manySaleLines(2500), 300));
  const rows = await byRows.close();
  expect(rows.files.map((f) => [parseLakePath(f.path)?.seq, f.rows])).toEqual([
    [1, 1000],
    [2, 1000],
    [3, 500],
  ]);
  const bySize = createLakeWriter({
    store: localStore(tempRoot()),
    format: "csv",
    roll: { maxBytes: 20_000 },
  });
  await bySize.writeAll(batches(manySaleLines(2500), 300));
  const sized = await bySize.close();
  expect(sized.files.length).toBeGreaterThan(10);
  expect(sized.files.reduce((n, f) => n + f.rows, 0)).toBe(2500);
  // The header line is not in the estimate: a file may pass the target by it and one record.
  for (const file of sized.files) expect(file.bytes).toBeLessThanOrEqual(20_000 + 400);
  // Compressed files are sized on their compressed bytes once a first file gave the ratio.
  const gz = createLakeWriter({
    store: localStore(tempRoot()),
    format: "csv",
    compression: "gzip",
    roll: { maxBytes: 20_000 },
  });
  await gz.writeAll(batches(manySaleLines(20_000), 1000));
  const gzipped = await gz.close();
  expect(gzipped.files.length).toBeLessThan(sized.files.length * 8);
  for (const file of gzipped.files.slice(1, -1)) {
    expect(file.bytes).toBeLessThanOrEqual(20_000 * 1.25);
    expect(file.bytes).toBeGreaterThan(20_000 * 0.5);
  }
});

test("the same generation gives the same files whatever the batch size; a re-run changes no byte", async () => {
  const dir = tempRoot();
  const lake = localStore(dir);
  const records = manySaleLines(2000);
  const first = createLakeWriter({
    store: lake,
    format: "ndjson",
    compression: "gzip",
    roll: { maxRows: 700 },
  });
  await first.writeAll(batches(records, 7));
  const a = await first.close();
  const before = new Map(a.files.map((f) => [f.path, statSync(lake.localPath(f.path)).mtimeMs]));
  const events = inProcessEventSink();
  const again = createLakeWriter({
    store: lake,
    format: "ndjson",
    compression: "gzip",
    roll: { maxRows: 700 },
    events,
  });
  await again.writeAll(batches(records, 1000));
  const b = await again.close();
  events.close();
  expect(b.files).toEqual(a.files);
  expect(b.runId).toBe(a.runId);
  expect(b).toMatchObject({ published: 0, unchanged: a.files.length });
  expect(events.buffered).toBe(0);
  for (const [path, mtime] of before) expect(statSync(lake.localPath(path)).mtimeMs).toBe(mtime);
  expect((await paths(lake)).length).toBe(a.files.length + 1);
});

test("Parquet files are byte-identical whatever the encode workers, batch size and roll size", async () => {
  const records = [...manySaleLines(900, "08"), ...manySaleLines(700, "09")];
  const write = async (workers: number, batchSize: number, maxBytes: number) => {
    const dir = tempRoot();
    const writer = createLakeWriter({
      store: localStore(dir),
      format: "parquet",
      workers,
      roll: { maxBytes },
      rowGroupBytes: 20_000,
    });
    await writer.writeAll([
      ...batches(records, batchSize),
      ...batches(stockSnapshots, batchSize, stockSnapshot),
      ...batches(stores, batchSize, store, { from: window.from, to: window.from }),
    ]);
    const result = await writer.close();
    return result.files.map((f) => ({
      ...f,
      body: readFileSync(join(dir, f.path)).toString("base64"),
    }));
  };
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 1200 }),
      fc.constantFrom(4_000, 40_000, 128 * 1024 * 1024),
      async (workers, batchSize, maxBytes) => {
        const inThread = await write(0, 500, maxBytes);
        const pooled = await write(workers, batchSize, maxBytes);
        expect(pooled).toEqual(inThread);
        expect(inThread.length).toBeGreaterThan(maxBytes === 4_000 ? 10 : 2);
      },
    ),
    // Each run starts its workers (through tsx here, as the sources are TypeScript): few runs.
    { numRuns: 4 },
  );
});

test("a different file under an existing name fails: lake files are immutable", async () => {
  const lake = localStore(tempRoot());
  const first = createLakeWriter({ store: lake, format: "csv" });
  await first.write({ entity: saleLine, window, records: saleLines.slice(0, 1) });
  await first.close();
  const second = createLakeWriter({ store: lake, format: "csv" });
  await second.write({
    entity: saleLine,
    window,
    records: [{ ...saleLines[0], quantity: 4 }] as typeof saleLines,
  });
  const error = await second.close().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LakeWriteError);
  const { store: where, path } = error as LakeWriteError;
  expect(where).toBe(lake.url);
  expect(path).toBe(
    "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T1000Z-00001.csv",
  );
  expect((error as Error).message).toMatch(
    /immutable: a different file already exists there \(sha256 [0-9a-f]{64}, new [0-9a-f]{64}\)/,
  );
});

test("invalid records go to the quarantine sink with rule, field, row and file; counts reconcile", async () => {
  const lake = localStore(tempRoot());
  const rejected: RejectedRecord[] = [];
  const writer = createLakeWriter({
    store: lake,
    format: "csv",
    quarantine: { reject: async (r) => void rejected.push(...r) },
  });
  const bad = [
    saleLines[0],
    { ...saleLines[1], unit_price: "1.5" },
    { ...saleLines[2], sold_at: "yesterday" },
    { ...saleLines[0], line_no: 2, surprise: 1 },
  ];
  await writer.write({ entity: saleLine, window, records: bad } as Batch);
  const result = await writer.close();
  expect(result).toMatchObject({ rowsWritten: 1, rowsQuarantined: 3 });
  expect(
    rejected.map((r) => ({ row: r.row, file: r.file, reasons: r.reasons })),
  ).toMatchInlineSnapshot(`
    [
      {
        "file": "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T1000Z-00001.csv",
        "reasons": [
          {
            "field": "unit_price",
            "message": "expected decimal(12,2) text like "12.34"",
            "rule": "schema",
          },
        ],
        "row": 2,
      },
      {
        "file": undefined,
        "reasons": [
          {
            "field": "sold_at",
            "message": "expected a UTC timestamp like "2026-11-01T08:15:30.123Z"",
            "rule": "schema",
          },
        ],
        "row": 3,
      },
      {
        "file": "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T1000Z-00001.csv",
        "reasons": [
          {
            "field": "surprise",
            "message": "is not a column of this entity",
            "rule": "schema",
          },
        ],
        "row": 4,
      },
    ]
  `);
  expect(rejected[0]?.record).toEqual(bad[1]);
  expect(result.files.map((f) => [f.path, f.rows])).toEqual([
    ["sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T1000Z-00001.csv", 1],
  ]);
});

test("without a quarantine sink an invalid record throws its ValidationError", async () => {
  const writer = createLakeWriter({ store: localStore(tempRoot()), format: "parquet" });
  const records = [saleLines[0], { ...saleLines[1], quantity: 1000 }];
  const error = await writer
    .write({ entity: saleLine, window, records } as Batch)
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchInlineSnapshot(
    `[ValidationError: sale_line in sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T1000Z-00001.parquet row 2: field "quantity" Too big: expected number to be <=999 (got 1000)]`,
  );
  expect(error).toMatchObject({ entity: "sale_line", field: "quantity", row: 2 });
  await expect(writer.write({ entity: saleLine, window, records: saleLines })).rejects.toBe(error);
});

test("back-pressure: bounded uploads in flight and bounded batches read ahead", async () => {
  const inner = localStore(tempRoot());
  let running = 0;
  let maxRunning = 0;
  let started = 0;
  const gate: (() => void)[] = [];
  let twoStarted: () => void = () => undefined;
  const bothStarted = new Promise<void>((resolve) => {
    twoStarted = resolve;
  });
  const slow: LakeStore = {
    ...inner,
    async put(path, body, options) {
      started++;
      if (started === 2) twoStarted();
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => gate.push(resolve));
      try {
        return await inner.put(path, body, options);
      } finally {
        running--;
      }
    },
  };
  let pulled = 0;
  const records = manySaleLines(50);
  function* source(): Generator<Batch> {
    for (const record of records) {
      pulled++;
      yield { entity: saleLine, window, records: [record] };
    }
  }
  const writer = createLakeWriter({
    store: slow,
    format: "csv",
    roll: { maxRows: 1 },
    concurrency: 2,
    maxPendingBatches: 3,
  });
  const done = writer.writeAll(source());
  await bothStarted;
  for (let i = 0; i < 200; i++) await new Promise((resolve) => setImmediate(resolve));
  // Two uploads held, one encoded file waiting for a slot, three batches queued: no more.
  expect(started).toBe(2);
  expect(pulled).toBeLessThanOrEqual(2 + 1 + 3);
  const release = setInterval(() => gate.shift()?.(), 1);
  await done;
  const result = await writer.close();
  clearInterval(release);
  expect(maxRunning).toBe(2);
  expect(pulled).toBe(50);
  expect(result.files.length).toBe(50);
});

test("legacy text rows land as CSV under legacy/, as they are", async () => {
  const lake = localStore(tempRoot());
  const writer = createLakeWriter({ store: lake, format: "parquet", delimiter: ";" });
  const rows: Record<string, string | null>[] = [
    {
      store_id: " S001 ",
      store_name: "Caf\uFFFD",
      format: "hyper",
      city: "Paris",
      region: null,
      country: "fr",
      timezone: "CET",
      opened_on: "31/12/1999",
      surface_m2: "12 000",
    },
    {
      store_id: "S002",
      store_name: 'Line\nbreak; quoted "x"',
      format: "",
      city: "",
      region: "",
      country: "",
      timezone: "",
      opened_on: "",
      surface_m2: "",
      extra: "?",
    },
  ];
  await writer.writeText({
    entity: store,
    window: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" },
    rows,
  });
  const result = await writer.close();
  expect(result).toMatchObject({ rowsLegacy: 2, rowsWritten: 0 });
  expect(result.files.map((f) => f.path)).toEqual([
    "legacy/store/store-20261101T0000Z-20261102T0000Z-00001.csv",
  ]);
  const read = await readLakeFile(lake, result.files[0]?.path as string, { delimiter: ";" });
  expect(read.columns).toEqual([...store.columns.map((c) => c.name), "extra"]);
  expect(read.records).toEqual([{ ...rows[0], extra: null }, rows[1]]);
});

test("options are checked when the writer is made", () => {
  const lake = localStore(tempRoot());
  expect(() =>
    createLakeWriter({ store: lake, format: "csv", roll: { maxRows: 0 } }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: roll.maxRows must be a positive integer, got 0]`,
  );
  expect(() =>
    createLakeWriter({ store: lake, format: "csv", runId: "../x" }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: run id "../x" must be 1-128 of A-Z a-z 0-9 . _ - (and not start with . _ -)]`,
  );
});

test("memory stays bounded: past maxBufferedRows the largest open file is closed early", async () => {
  const hours = ["08", "09", "10"].map((h) => manySaleLines(20, h));
  const interleaved = Array.from(
    { length: 60 },
    (_, i) => hours[i % 3]?.[Math.floor(i / 3)],
  ) as typeof saleLines;
  const wide = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T11:00:00Z" };
  const run = async (size: number) => {
    const writer = createLakeWriter({
      store: localStore(tempRoot()),
      format: "csv",
      maxBufferedRows: 10,
    });
    await writer.writeAll(batches(interleaved, size, saleLine, wide));
    return writer.close();
  };
  const result = await run(7);
  expect(result.rowsWritten).toBe(60);
  expect(result.files.length).toBeGreaterThan(3);
  for (const file of result.files) expect(file.rows).toBeLessThanOrEqual(10);
  expect((await run(60)).files).toEqual(result.files);
});

test("a legacy header that changes within a window starts a new file; unknown fields are refused", async () => {
  const lake = localStore(tempRoot());
  const writer = createLakeWriter({ store: lake, format: "csv" });
  const day = { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" };
  await writer.writeText({
    entity: store,
    window: day,
    rows: [{ store_id: "S001" }],
    columns: ["store_id"],
  });
  await writer.writeText({
    entity: store,
    window: day,
    rows: [{ store_id: "S002", note: "new" }],
    columns: ["store_id", "note"],
  });
  await expect(
    writer.writeText({
      entity: store,
      window: day,
      rows: [{ store_id: "S003", oops: "x" }],
      columns: ["store_id"],
    }),
  ).rejects.toThrowErrorMatchingInlineSnapshot(
    `[RangeError: legacy store row 1 of the batch has field "oops", which is not in its columns]`,
  );
});

test("DuckDB reads the writer's hive-partitioned layout back", async () => {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const lake = localStore(tempRoot());
  const writer = createLakeWriter({
    store: lake,
    format: "parquet",
    compression: "zstd",
    roll: { maxRows: 400 },
  });
  await writer.writeAll(batches([...manySaleLines(1000, "08"), ...manySaleLines(500, "09")], 250));
  await writer.close();
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const glob = `${lake.localPath("sale_line")}/**/*.parquet`;
  const reader = await connection.runAndReadAll(
    `SELECT dt::VARCHAR AS dt, hour::VARCHAR AS hour, count(*)::INTEGER AS n, count(DISTINCT filename)::INTEGER AS files
     FROM read_parquet('${glob}', hive_partitioning = true, filename = true) GROUP BY ALL ORDER BY hour`,
  );
  expect(reader.getRowObjectsJson()).toEqual([
    { dt: "2026-11-01", hour: "08", n: 1000, files: 3 },
    { dt: "2026-11-01", hour: "09", n: 500, files: 2 },
  ]);
  connection.closeSync();
  instance.closeSync();
});

test("a manifest's name follows all it says: groups and runs that differ only in quarantined rows each get their own", async () => {
  const lake = localStore(tempRoot());
  const reject = { reject: async () => undefined };
  const invalid = (storeId: string) => ({ ...saleLines[0], store_id: storeId, unit_price: "1.5" });
  // Two store groups that got only quarantined rows: no files, two different manifests.
  const grouped = createLakeWriter({
    store: lake,
    format: "csv",
    storeGroups: 2,
    quarantine: reject,
  });
  await grouped.write({
    entity: saleLine,
    window,
    records: [invalid("S001"), invalid("S002")],
  } as Batch);
  const result = await grouped.close();
  expect(result.manifests?.map((m) => [m.storeGroup, m.rowsQuarantined])).toEqual([
    [1, 1],
    [2, 1],
  ]);
  expect(new Set(result.manifests?.map((m) => m.manifestPath)).size).toBe(2);
  // The same data files with another count of quarantined rows: another run, another manifest.
  const runs: string[] = [];
  for (const bad of [1, 2]) {
    const writer = createLakeWriter({ store: lake, format: "csv", quarantine: reject });
    const records = [saleLines[0], ...Array.from({ length: bad }, () => invalid("S001"))];
    await writer.write({ entity: saleLine, window, records } as Batch);
    runs.push((await writer.close()).manifestPath);
  }
  expect(runs[0]).not.toBe(runs[1]);
  // And a re-run that says the same names the same manifest and changes nothing.
  const again = createLakeWriter({ store: lake, format: "csv", quarantine: reject });
  await again.write({
    entity: saleLine,
    window,
    records: [saleLines[0], invalid("S001")],
  } as Batch);
  expect(await again.close()).toMatchObject({ manifestPath: runs[0], published: 0, unchanged: 1 });
});
