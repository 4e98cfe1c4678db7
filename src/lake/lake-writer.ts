import type { Batch, ColumnBatch, Entity, TimeWindow } from "../entities/index.js";
import {
  columnBatchCheckOf,
  columnBatchRecords,
  isColumnBatch,
  ValidationError,
} from "../entities/index.js";
import { checkBatchWindow } from "./batch-window.js";
import { type BlobCreatedEventOptions, blobCreatedEvent } from "./blob-created-event.js";
import { gatherTextSizes, gatherTransferColumns } from "./column-gather.js";
import {
  BatchRowList,
  type BatchRows,
  eventsInsideWindow,
  type Part,
  partitionReader,
  rowTextSizes,
  storeGroupReader,
} from "./column-route.js";
import type { TransferColumn } from "./column-transfer.js";
import { createEncodePool, type EncodePool } from "./encode-pool.js";
import type { EventSink } from "./event-sink.js";
import { type Compression, fileEncoder } from "./file-encoder.js";
import {
  type Feed,
  type FileFormat,
  lakePath,
  MAX_STORE_GROUPS,
  partitionOf,
  storeGroupOf,
  windowToken,
} from "./lake-path.js";
import type { LakeStore } from "./lake-store.js";
import { sha256Hex } from "./local-store.js";
import {
  DEFAULT_ROW_GROUP_BYTES,
  type ParquetCodec,
  parquetColumnsBytes,
  rowGroupRowsOf,
} from "./parquet-encoder.js";
import { publishOnce } from "./publish-once.js";
import { recordTextSize } from "./record-size.js";
import type { QuarantineSink, RejectedRecord } from "./rejected-record.js";
import { type ManifestFile, manifestPath, type RunManifest } from "./run-manifest.js";

/** When a file is closed and the next one started. */
export interface RollPolicy {
  /** Rows per file (default 1,000,000). */
  readonly maxRows?: number;
  /**
   * Target file size in bytes (default 128 MiB, inside Snowpipe's 100-250 MB compressed
   * guidance). Estimated from record text and the compression ratio of the entity's previous file.
   */
  readonly maxBytes?: number;
}

export interface LakeWriterOptions {
  readonly store: LakeStore;
  readonly format: FileFormat;
  /** Default `snappy` for Parquet, `none` for CSV and NDJSON; `gzip` for text, `zstd` for Parquet. */
  readonly compression?: Compression;
  /** CSV delimiter (default `,`); legacy CSV uses it too. */
  readonly delimiter?: string;
  /** Parquet row-group target in bytes (default 64 MiB). */
  readonly rowGroupBytes?: number;
  readonly roll?: RollPolicy;
  /** Receives one BlobCreated event per published file. */
  readonly events?: EventSink;
  readonly eventOptions?: BlobCreatedEventOptions;
  /** Receives invalid records; without it an invalid record throws its `ValidationError`. */
  readonly quarantine?: QuarantineSink;
  /** Uploads at once (default 4); files being encoded on workers count against it. */
  readonly concurrency?: number;
  /**
   * Worker threads that encode Parquet files while this thread goes on validating and routing
   * (default 0: encode in this thread). The files are byte-identical whatever the count.
   * CSV, NDJSON and legacy files are always encoded in this thread.
   */
  readonly workers?: number;
  /**
   * Records held in open files at most (default 500,000): past it the largest open file is
   * closed early. Files of one window stay open while its batches arrive, so this is what bounds
   * memory when a window spans many partitions.
   */
  readonly maxBufferedRows?: number;
  /** Batches `writeAll` reads ahead of the encoder (default 2). */
  readonly maxPendingBatches?: number;
  /** Names the manifest; default derived from the files, so a re-run names it the same. */
  readonly runId?: string;
  /**
   * Splits every file of an entity with a `store_id` column and an event time by store group
   * (`storeGroupOf`: store `S001` in group 1, `S002` in group 2, ..., `S00<G+1>` in group 1
   * again), with the group in the name: `<entity>-<window>-g002-<seq>.<ext>`. Default 1: no
   * group, today's names. With G > 1 each file holds one group's records, so writers given
   * disjoint groups' records (the shards of `--shard i/n`) write exactly the files one writer
   * given them all writes; see docs/lake.md.
   */
  readonly storeGroups?: number;
}

/** Flat-file text rows as a legacy system sends them, landed as CSV without validation. */
export interface TextBatch {
  readonly entity: Entity;
  readonly window: TimeWindow;
  readonly rows: readonly Readonly<Record<string, string | null>>[];
  /** Header, in order; default the entity's columns, then any other keys in first-seen order. */
  readonly columns?: readonly string[];
}

/** What `close` returns: the manifest as written, and what this run changed. */
export interface RunResult extends RunManifest {
  /**
   * With `storeGroups` > 1 the fields above sum up the whole run (`files` all of them) and
   * `runId` / `manifestPath` are those of the first of `manifests`.
   */
  readonly manifestPath: string;
  /**
   * Only with `storeGroups` > 1: every manifest this run wrote, with its path: one for the files
   * of no store group (reference data, legacy feeds) if it got rows, and one per store group
   * that got rows (if none did: one empty manifest, as with G = 1).
   */
  readonly manifests?: readonly (RunManifest & { readonly manifestPath: string })[];
  /** Data files published by this run (the manifest, written last, is not counted). */
  readonly published: number;
  /** Files already in the store with identical bytes (a re-run), left untouched. */
  readonly unchanged: number;
}

export interface LakeWriter {
  /**
   * Validates and routes a batch of records or of columns; resolves once it is in open files
   * (not yet necessarily stored). A `ColumnBatch` writes the files its records would.
   */
  write(batch: Batch | ColumnBatch): Promise<void>;
  /** Lands legacy-feed text rows as CSV under `legacy/`, as they are. */
  writeText(batch: TextBatch): Promise<void>;
  /** Writes every batch of a (sync or async) iterable, reading at most `maxPendingBatches` ahead. */
  writeAll(
    batches: Iterable<Batch | ColumnBatch> | AsyncIterable<Batch | ColumnBatch>,
  ): Promise<void>;
  /** Flushes every file, waits for the uploads, writes the manifest last and returns it. */
  close(): Promise<RunResult>;
}

interface OpenFile {
  readonly feed: Feed;
  readonly entity: Entity;
  readonly columns: readonly string[];
  readonly window: string;
  readonly dt?: string;
  readonly hour?: string;
  /** 0: no store group (every file of a writer with `storeGroups` 1). */
  readonly group: number;
  readonly seq: number;
  readonly path: string;
  /** The file's rows in the order they came: runs of records, runs of a column batch's rows. */
  readonly chunks: (Record<string, unknown>[] | BatchRowList)[];
  rows: number;
  textBytes: number;
}

const DEFAULTS = {
  maxRows: 1_000_000,
  maxBytes: 128 * 1024 * 1024,
  maxBufferedRows: 500_000,
  concurrency: 4,
  maxPendingBatches: 2,
};

// Encoded size over text size is capped, so a file's roll by size can be decided before the
// previous file has finished encoding on a worker: below maxBytes / MAX_RATIO of text no cap
// is reached and nothing need be awaited. Data files run at 0.05-1.2; only a file of a few rows
// (a Parquet footer over one record) comes near the cap.
const MAX_RATIO = 16;

/**
 * Writes batches into the lake: validates each record (invalid ones to quarantine), routes it to
 * its event-time partition, rolls files at `maxRows`/`maxBytes`, names them deterministically,
 * publishes them atomically with bounded concurrency, emits one BlobCreated event per new file,
 * and writes the run manifest last. A re-run of the same generation publishes nothing and
 * changes no byte; a different file under an existing name fails with a `LakeWriteError`.
 * @example
 * const writer = createLakeWriter({ store: localStore("./lake"), format: "parquet", quarantine });
 * await writer.writeAll(generateSales(config));
 * const manifest = await writer.close();
 */
export function createLakeWriter(options: LakeWriterOptions): LakeWriter {
  const { store, events, quarantine } = options;
  const maxRows = positive("roll.maxRows", options.roll?.maxRows ?? DEFAULTS.maxRows);
  const maxBytes = positive("roll.maxBytes", options.roll?.maxBytes ?? DEFAULTS.maxBytes);
  const concurrency = positive("concurrency", options.concurrency ?? DEFAULTS.concurrency);
  const maxBufferedRows = positive(
    "maxBufferedRows",
    options.maxBufferedRows ?? DEFAULTS.maxBufferedRows,
  );
  const maxPendingBatches = positive(
    "maxPendingBatches",
    options.maxPendingBatches ?? DEFAULTS.maxPendingBatches,
  );
  if (options.runId !== undefined) manifestPath(options.runId);
  const storeGroups = options.storeGroups ?? 1;
  if (!Number.isInteger(storeGroups) || storeGroups < 1 || storeGroups > MAX_STORE_GROUPS)
    throw new RangeError(
      `storeGroups must be a whole number 1..${MAX_STORE_GROUPS}, got ${storeGroups}`,
    );
  // Each group and the files of no group hold their own share of the buffer, so what one group's
  // files hold never depends on the other groups' records: a shard writes the same files.
  const bufferLimit =
    storeGroups === 1
      ? maxBufferedRows
      : Math.max(1, Math.floor(maxBufferedRows / (storeGroups + 1)));
  const split = new Map<Entity, boolean>(); // an event entity with a store_id: split by group
  const splits = (entity: Entity): boolean => {
    if (storeGroups === 1) return false;
    let yes = split.get(entity);
    if (yes === undefined) {
      yes = entity.partition !== "none" && entity.columns.some((c) => c.name === "store_id");
      split.set(entity, yes);
    }
    return yes;
  };
  const groupOf = (entity: Entity, record: Record<string, unknown>): number => {
    if (!splits(entity)) return 0;
    const id = record.store_id;
    return typeof id === "string" ? storeGroupOf(id, storeGroups) : 0;
  };
  const workers = options.workers ?? 0;
  if (!Number.isInteger(workers) || workers < 0)
    throw new RangeError(`workers must be a whole number >= 0, got ${workers}`);
  const encoder = fileEncoder({
    format: options.format,
    ...(options.compression ? { compression: options.compression } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    ...(options.rowGroupBytes ? { rowGroupBytes: options.rowGroupBytes } : {}),
  });
  const legacyEncoder = fileEncoder({
    format: "csv",
    compression: encoder.compression === "gzip" ? "gzip" : "none",
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
  });

  const open = new Map<string, OpenFile>();
  const nextSeq = new Map<string, number>();
  const openWindow = new Map<string, string>();
  // Encoded size / text size of each entity's last file, to turn text size into file size: a
  // promise, as that file may still be encoding on a worker.
  const ratios = new Map<string, Promise<number>>();
  // Started with the first Parquet file, ended by close (or a failure).
  let pool: EncodePool | undefined;
  const codec = (encoder.compression === "gzip" ? "snappy" : encoder.compression) as ParquetCodec;
  const rowGroupBytes = options.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES;
  const encodeData = (columns: Entity["columns"], records: Record<string, unknown>[]) => {
    if (workers === 0 || encoder.format !== "parquet") return encoder.encode(columns, records);
    pool ??= createEncodePool(workers);
    return pool.encode(columns, records, { codec, rowGroupBytes });
  };
  // A Parquet file of column-batch rows: its transfer columns are gathered from the batches
  // (fresh arrays: moving them to a worker detaches none of the caller's), and give the bytes
  // `encodeData` gives its records.
  const encodeBatchRows = (columns: Entity["columns"], parts: readonly BatchRows[]) => {
    const transfer: TransferColumn[] = gatherTransferColumns(columns, parts);
    const sizes = gatherTextSizes(parts);
    const rowGroupRows = rowGroupRowsOf(sizes.length, (i) => sizes[i] as number, rowGroupBytes);
    if (workers === 0) return parquetColumnsBytes(columns, transfer, { codec, rowGroupRows });
    pool ??= createEncodePool(workers);
    return pool.encodeColumns(columns, transfer, { codec, rowGroupRows });
  };
  const streamRows = new Map<string, number>();
  const files: { entry: ManifestFile; group: number }[] = [];
  const uploads = new Set<Promise<void>>();
  // Per store group (0: none): records held in open files, and the run's row counts.
  const buffered = new Float64Array(storeGroups + 1);
  const counts = new Map<number, { written: number; quarantined: number; legacy: number }>();
  const countsOf = (group: number) => {
    let c = counts.get(group);
    if (!c) {
      c = { written: 0, quarantined: 0, legacy: 0 };
      counts.set(group, c);
    }
    return c;
  };
  const hold = (group: number, rows: number) => {
    (buffered[group] as number) += rows;
  };
  let published = 0;
  let unchanged = 0;
  let failure: unknown;
  let closed = false;
  let chain: Promise<void> = Promise.resolve();

  const fail = (error: unknown) => {
    failure ??= error;
    // A failed writer is never closed: its workers end here.
    pool?.close().catch(() => undefined);
  };
  const assertUsable = () => {
    if (failure) throw failure;
    if (closed) throw new Error("lake writer is closed");
  };

  // Runs steps one after another, so files roll and are numbered in input order whatever the
  // caller's concurrency: the same input always yields the same files.
  const serial = (step: () => Promise<void>): Promise<void> => {
    const run = chain.then(() => {
      if (failure) throw failure;
      return step();
    });
    chain = run.catch((error) => fail(error));
    return run;
  };

  // The key each store group looked up last, with what it was built from: a group's records come
  // in runs of one entity, window and partition, so most find their key here instead of joining
  // a new string per record (the largest self time of the routing in a profile of `generate`).
  const lastKeys: (FileKeyParts & { readonly key: string })[] = [];
  const keyOf = (
    feed: Feed,
    entity: Entity,
    window: string,
    part: { dt?: string; hour?: string },
    group: number,
  ): string => {
    const last = lastKeys[group];
    const { dt, hour } = part;
    if (
      last?.feed === feed &&
      last.entity === entity &&
      last.window === window &&
      last.dt === dt &&
      last.hour === hour
    )
      return last.key;
    const key = fileKey(feed, entity, window, part, group);
    lastKeys[group] = { feed, entity, window, dt, hour, key };
    return key;
  };

  const fileFor = (
    feed: Feed,
    entity: Entity,
    columns: readonly string[],
    window: string,
    part: { dt?: string; hour?: string },
    group: number,
  ) => {
    const key = keyOf(feed, entity, window, part, group);
    let file = open.get(key);
    if (!file) {
      const seq = (nextSeq.get(key) ?? 0) + 1;
      nextSeq.set(key, seq);
      const extension = feed === "legacy" ? legacyEncoder.extension : encoder.extension;
      const path = lakePath({
        feed,
        entity: entity.name,
        ...part,
        window,
        ...(group > 0 ? { storeGroup: group } : {}),
        seq,
        extension,
      });
      file = {
        feed,
        entity,
        columns,
        window,
        ...part,
        group,
        seq,
        path,
        chunks: [],
        rows: 0,
        textBytes: 0,
      };
      open.set(key, file);
    }
    return { key, file };
  };

  const finish = async (key: string) => {
    const file = open.get(key);
    if (!file) return;
    open.delete(key);
    hold(file.group, -file.rows);
    if (file.rows === 0) return;
    const fileEncoder = file.feed === "legacy" ? legacyEncoder : encoder;
    const columns =
      file.feed === "legacy"
        ? file.columns.map((name) => ({
            name,
            type: { kind: "string" as const },
            nullable: true,
            description: "",
            pii: false,
          }))
        : file.entity.columns;
    // The encode starts now (on a worker when there are any); the chain goes on while it runs.
    const parts = file.chunks;
    const encoded =
      file.feed === "legacy"
        ? fileEncoder.encode(columns, recordsOf(file))
        : parts.every(isBatchRows)
          ? encodeBatchRows(columns, parts)
          : encodeData(columns, recordsOf(file));
    const ratio = encoded.then((bytes) =>
      Math.min(MAX_RATIO, bytes.length / Math.max(1, file.textBytes)),
    );
    ratio.catch(() => undefined);
    ratios.set(ratioKey(file.feed, file.entity, file.group), ratio);
    await schedule(async () => {
      const bytes = await encoded;
      const entry: ManifestFile = {
        feed: file.feed,
        entity: file.entity.name,
        path: file.path,
        rows: file.rows,
        bytes: bytes.length,
        sha256: sha256Hex(bytes),
      };
      files.push({ entry, group: file.group });
      await publish(entry.path, bytes, fileEncoder.contentType, true);
    });
  };

  // At most `concurrency` uploads run; the caller waits for a free slot, which is what holds
  // the encoder (and through it the generator) back when the store is slow.
  const schedule = async (task: () => Promise<void>) => {
    while (uploads.size >= concurrency) await Promise.race(uploads).catch(() => undefined);
    if (failure) throw failure;
    const upload: Promise<void> = task()
      .catch((error) => fail(error))
      .finally(() => uploads.delete(upload));
    uploads.add(upload);
  };

  const publish = async (
    path: string,
    bytes: Uint8Array,
    contentType: string,
    // Data files are counted and announced; the run manifest is neither.
    dataFile: boolean,
  ) => {
    const outcome = await publishOnce(store, path, bytes, contentType);
    if (!outcome.published) {
      if (dataFile) unchanged++;
      return;
    }
    if (!dataFile) return;
    published++;
    if (events) await events.publish(blobCreatedEvent(outcome.put, options.eventOptions));
  };

  // A new window for an entity closes its files of the previous window: memory stays bounded
  // by the partitions of one window. With store groups, a data batch of a new window closes
  // every entity's data files of other windows: a group's files must close at the same point of
  // its own records whether or not the batches carry other groups' records (a shard's do not).
  const enterWindow = async (feed: Feed, entity: Entity, window: string) => {
    const grouped = storeGroups > 1 && feed === "data";
    const stream = grouped ? "data|" : `${feed}|${entity.name}`;
    if (openWindow.get(stream) === window) return;
    openWindow.set(stream, window);
    for (const [key, file] of [...open]) {
      if (file.feed !== feed || file.window === window) continue;
      if (grouped || file.entity.name === entity.name) await finish(key);
    }
  };

  // Whether a row of `size` might roll its file by size: only then is the ratio of the previous
  // file (maybe still encoding) awaited.
  const mayOverflow = (file: OpenFile, size: number) =>
    file.rows > 0 && (file.textBytes + size) * MAX_RATIO > maxBytes;

  // The file a row of `size` goes to when it might overflow `found`: `found`, or a new one once
  // `found` is closed.
  const roomFor = async (
    found: { key: string; file: OpenFile },
    feed: Feed,
    entity: Entity,
    columns: readonly string[],
    window: string,
    part: { dt?: string; hour?: string },
    group: number,
    size: number,
  ) => {
    const ratio = (await ratios.get(ratioKey(feed, entity, group))) ?? 1;
    if ((found.file.textBytes + size) * ratio <= maxBytes) return found;
    await finish(found.key);
    return fileFor(feed, entity, columns, window, part, group);
  };

  // After a row is added: its file closes at maxRows, or the group's largest open file past the
  // buffer limit. Undefined when nothing closes, so the caller need not await.
  const closeIfFull = (key: string, file: OpenFile, group: number) => {
    if (file.rows >= maxRows) return finish(key);
    if ((buffered[group] as number) > bufferLimit) return finish(largestOpenFile(group));
    return undefined;
  };

  const append = async (
    feed: Feed,
    entity: Entity,
    columns: readonly string[],
    window: string,
    part: { dt?: string; hour?: string },
    group: number,
    record: Record<string, unknown>,
    // The record's file, when the caller has just looked it up.
    found = fileFor(feed, entity, columns, window, part, group),
  ) => {
    const size = recordTextSize(entity.columns, record);
    if (mayOverflow(found.file, size))
      found = await roomFor(found, feed, entity, columns, window, part, group, size);
    const { key, file } = found;
    addRecord(file, record, size);
    hold(group, 1);
    await closeIfFull(key, file, group);
  };

  // Whether a column batch can go column by column: Parquet (the text formats take records), and
  // every row provably accepted by the record check and inside the window. Otherwise its records
  // go the record path, which quarantines and words errors as for any records.
  const columnar = (batch: ColumnBatch) =>
    encoder.format === "parquet" &&
    columnBatchCheckOf(batch.entity)(batch) &&
    eventsInsideWindow(batch.entity, batch);

  // The record path's routing, row by row on the columns: the same files, rolls and closes at
  // the same rows, with no record object and no await but where a file closes.
  const processColumns = async (batch: ColumnBatch) => {
    const { entity } = batch;
    const window = windowToken(batch.window.from, batch.window.to);
    const row = streamRows.get(entity.name) ?? 0;
    checkBatchWindow(entity, batch.window, [], row);
    await enterWindow("data", entity, window);
    const names = entity.columns.map((c) => c.name);
    const sizes = rowTextSizes(batch);
    const partOf = partitionReader(batch);
    const groupAt = splits(entity) ? storeGroupReader(batch, storeGroups) : () => 0;
    // The last row's partition and group, their file and counts: rows come in runs of one file,
    // which look it up once. Only `finish` closes a file, so the file stays right until a close.
    let lastPart: Part | undefined;
    let lastGroup = -1;
    let found: { key: string; file: OpenFile } | undefined;
    let tally: ReturnType<typeof countsOf> | undefined;
    for (let i = 0; i < batch.length; i++) {
      const part = partOf(i);
      const group = groupAt(i);
      const size = sizes[i] as number;
      if (!found || part !== lastPart || group !== lastGroup) {
        found = fileFor("data", entity, names, window, part, group);
        if (group !== lastGroup) tally = countsOf(group);
        lastPart = part;
        lastGroup = group;
      }
      if (mayOverflow(found.file, size))
        found = await roomFor(found, "data", entity, names, window, part, group, size);
      addBatchRow(found.file, batch, sizes, i, size);
      hold(group, 1);
      (tally as ReturnType<typeof countsOf>).written++;
      const closing = closeIfFull(found.key, found.file, group);
      if (closing) {
        await closing;
        found = undefined;
      }
    }
    streamRows.set(entity.name, row + batch.length);
  };

  const processBatch = async (input: Batch | ColumnBatch) => {
    if (isColumnBatch(input) && columnar(input)) return processColumns(input);
    const batch: Batch = isColumnBatch(input)
      ? { entity: input.entity, window: input.window, records: columnBatchRecords(input) }
      : input;
    const { entity } = batch;
    const window = windowToken(batch.window.from, batch.window.to);
    checkBatchWindow(entity, batch.window, batch.records, streamRows.get(entity.name) ?? 0);
    await enterWindow("data", entity, window);
    const names = entity.columns.map((c) => c.name);
    const rejected: RejectedRecord[] = [];
    let row = streamRows.get(entity.name) ?? 0;
    // Records come in event-time order, runs of them with one instant (a basket's lines, a day's
    // snapshots): the partition of the last event time is reused, one object for the run.
    let lastTime: unknown;
    let lastPart: { dt?: string; hour?: string } | undefined;
    for (const input of batch.records) {
      row++;
      const raw = input as Record<string, unknown>;
      const time = entity.eventTime ? raw[entity.eventTime] : undefined;
      let part: { dt?: string; hour?: string } | undefined;
      if (typeof time === "string" && time === lastTime) part = lastPart;
      else {
        try {
          part = partitionOf(entity.partition, time as string | undefined);
        } catch {
          part = undefined; // the schema check below names the bad event time
        }
        lastTime = time;
        lastPart = part;
      }
      const group = groupOf(entity, raw);
      const found = part && fileFor("data", entity, names, window, part, group);
      // The location is only built for a record the check refuses (checked again with it: the
      // check is a pure function of the record), not an object or two per record.
      let result = entity.check(input, NO_LOCATION);
      if (!result.ok)
        result = entity.check(input, { row, ...(found ? { file: found.file.path } : {}) });
      if (result.ok && part && found) {
        const record = result.value as Record<string, unknown>;
        await append("data", entity, names, window, part, group, record, found);
        countsOf(group).written++;
        continue;
      }
      const error = result.ok
        ? new ValidationError(
            entity.name,
            [
              {
                field: entity.eventTime ?? "",
                message: "is not a usable event time",
                value: raw[entity.eventTime ?? ""],
              },
            ],
            { row },
          )
        : result.error;
      if (!quarantine) {
        streamRows.set(entity.name, row);
        throw error;
      }
      countsOf(group).quarantined++;
      rejected.push({
        entity: entity.name,
        row,
        record: input,
        reasons: error.issues.map((issue) => ({
          rule: "schema",
          field: issue.field,
          message: issue.message,
        })),
        window: batch.window,
        ...(error.file ? { file: error.file } : {}),
      });
    }
    streamRows.set(entity.name, row);
    // Drop files opened only to name a rejected record's target.
    for (const [key, file] of [...open]) {
      if (file.rows > 0) continue;
      open.delete(key);
      rollBack(key);
    }
    if (rejected.length && quarantine) await quarantine.reject(rejected);
  };

  const largestOpenFile = (group: number): string => {
    let largest = "";
    let rows = -1;
    for (const [key, file] of open) {
      if (file.group === group && file.rows > rows) {
        largest = key;
        rows = file.rows;
      }
    }
    return largest;
  };

  // A file opened and dropped empty gives its sequence number back, so numbering stays dense.
  const rollBack = (key: string) => {
    const seq = nextSeq.get(key) ?? 0;
    if (seq <= 1) nextSeq.delete(key);
    else nextSeq.set(key, seq - 1);
  };

  const processText = async (batch: TextBatch) => {
    const { entity } = batch;
    const window = windowToken(batch.window.from, batch.window.to);
    // Legacy rows are text, their times unchecked: only the window itself must be one.
    checkBatchWindow(entity, batch.window, [], 0);
    await enterWindow("legacy", entity, window);
    // Legacy event times are not trusted: the window's start picks the partition.
    const part = partitionOf(entity.partition, batch.window.from);
    const columns = batch.columns ?? headerOf(entity, batch.rows);
    const known = new Set(columns);
    batch.rows.forEach((row, i) => {
      const unknown = Object.keys(row).find((key) => !known.has(key));
      if (unknown !== undefined) {
        throw new RangeError(
          `legacy ${entity.name} row ${i + 1} of the batch has field "${unknown}", which is not in its columns`,
        );
      }
    });
    // A header that changes within a window starts a new file: no field is ever dropped.
    const key = fileKey("legacy", entity, window, part, 0);
    const current = open.get(key);
    if (current && current.columns.join("\u0000") !== columns.join("\u0000")) await finish(key);
    for (const row of batch.rows) {
      await append("legacy", entity, columns, window, part, 0, row as Record<string, unknown>);
      countsOf(0).legacy++;
    }
  };

  return {
    async write(batch) {
      assertUsable();
      return serial(() => processBatch(batch));
    },
    async writeText(batch) {
      assertUsable();
      return serial(() => processText(batch));
    },
    async writeAll(batches) {
      assertUsable();
      const pending: Promise<void>[] = [];
      for await (const batch of batches) {
        const accepted = serial(() => processBatch(batch));
        accepted.catch(() => undefined);
        pending.push(accepted);
        if (pending.length >= maxPendingBatches) await pending.shift();
      }
      await Promise.all(pending);
      if (failure) throw failure;
    },
    async close() {
      assertUsable();
      await serial(async () => {
        for (const key of [...open.keys()]) await finish(key);
      });
      closed = true;
      while (uploads.size) await Promise.all(uploads);
      await pool?.close();
      if (failure) throw failure;
      // One manifest per store group that got rows (and one for the files of no group), each
      // named and written as a run of its own, so shards write the manifests one run writes.
      const groups = [...counts.keys()].sort((a, b) => a - b);
      if (groups.length === 0) groups.push(0);
      const manifests: (RunManifest & { manifestPath: string })[] = [];
      for (const group of groups) {
        const sorted = files
          .filter((f) => f.group === group)
          .map((f) => f.entry)
          .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        const c = counts.get(group);
        const content = {
          format: encoder.format,
          compression: encoder.compression,
          ...(storeGroups > 1 ? { storeGroups, storeGroup: group } : {}),
          files: sorted,
          rowsWritten: c?.written ?? 0,
          rowsQuarantined: c?.quarantined ?? 0,
          rowsLegacy: c?.legacy ?? 0,
        };
        // Named after all it says, not its files alone: two groups of quarantined rows only, or
        // runs of the same files and other counts, would otherwise claim one immutable name.
        const id = options.runId
          ? `${options.runId}${group > 0 ? `-g${String(group).padStart(3, "0")}` : ""}`
          : `run-${sha256Hex(Buffer.from(JSON.stringify(content))).slice(0, 16)}`;
        const manifest: RunManifest = { runId: id, ...content };
        const path = manifestPath(id);
        const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
        await publish(path, body, "application/json", false);
        manifests.push({ ...manifest, manifestPath: path });
      }
      const first = manifests[0] as RunManifest & { manifestPath: string };
      if (storeGroups === 1) return { ...first, published, unchanged };
      const sum = (of: (m: RunManifest) => number) => manifests.reduce((n, m) => n + of(m), 0);
      return {
        runId: first.runId,
        format: encoder.format,
        compression: encoder.compression,
        files: manifests.flatMap((m) => m.files).sort((a, b) => (a.path < b.path ? -1 : 1)),
        rowsWritten: sum((m) => m.rowsWritten),
        rowsQuarantined: sum((m) => m.rowsQuarantined),
        rowsLegacy: sum((m) => m.rowsLegacy),
        manifestPath: first.manifestPath,
        manifests,
        published,
        unchanged,
      };
    },
  };
}

const NO_LOCATION = Object.freeze({});

function isBatchRows(chunk: Record<string, unknown>[] | BatchRowList): chunk is BatchRowList {
  return !Array.isArray(chunk);
}

function addRecord(file: OpenFile, record: Record<string, unknown>, size: number) {
  const last = file.chunks[file.chunks.length - 1];
  if (Array.isArray(last)) last.push(record);
  else file.chunks.push([record]);
  file.rows++;
  file.textBytes += size;
}

function addBatchRow(
  file: OpenFile,
  batch: ColumnBatch,
  sizes: Int32Array,
  i: number,
  size: number,
) {
  let last = file.chunks[file.chunks.length - 1];
  if (!last || Array.isArray(last) || last.batch !== batch) {
    last = new BatchRowList(batch, sizes, batch.length - i);
    file.chunks.push(last);
  }
  last.add(i);
  file.rows++;
  file.textBytes += size;
}

/** A file's rows as records: its column-batch rows made into their canonical records. */
function recordsOf(file: OpenFile): Record<string, unknown>[] {
  const [only] = file.chunks;
  if (file.chunks.length === 1 && Array.isArray(only)) return only;
  return file.chunks.flatMap((chunk) =>
    Array.isArray(chunk) ? chunk : columnBatchRecords(chunk.batch, chunk.rows),
  );
}

interface FileKeyParts {
  readonly feed: Feed;
  readonly entity: Entity;
  readonly window: string;
  readonly dt: string | undefined;
  readonly hour: string | undefined;
}

function fileKey(
  feed: Feed,
  entity: Entity,
  window: string,
  part: { dt?: string; hour?: string },
  group: number,
): string {
  return [feed, entity.name, window, part.dt ?? "", part.hour ?? "", group].join("|");
}

function ratioKey(feed: Feed, entity: Entity, group: number): string {
  return `${feed}|${entity.name}|${group}`;
}

function headerOf(
  entity: Entity,
  rows: readonly Readonly<Record<string, string | null>>[],
): string[] {
  const names = entity.columns.map((c) => c.name);
  const seen = new Set(names);
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (seen.has(key)) continue;
      seen.add(key);
      names.push(key);
    }
  }
  return names;
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
