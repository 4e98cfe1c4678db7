import type { Column } from "../entities/index.js";
import {
  hasFewValues,
  isNumericColumn,
  type TransferColumn,
  toTransferColumns,
} from "./column-transfer.js";
import { recordTextSize } from "./record-size.js";

/** Parquet page compression: SNAPPY, ZSTD (level 1) or none. */
export type ParquetCodec = "snappy" | "zstd" | "none";

export interface ParquetOptions {
  readonly codec?: ParquetCodec;
  /** Target uncompressed size of a row group, in bytes of record text (default 64 MiB). */
  readonly rowGroupBytes?: number;
  /**
   * Key-value metadata stored in the footer: at most one key (a JSON object as its value holds
   * more). parquet-wasm 0.8 passes the pairs through a Rust HashMap, whose order changes from
   * one call to the next, and the same rows must give the same bytes.
   */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Default row-group target: large enough for efficient scans, small enough to bound memory. */
export const DEFAULT_ROW_GROUP_BYTES = 64 * 1024 * 1024;

/**
 * The Parquet writer: parquet-wasm (arrow-rs compiled to WebAssembly), at exactly this version.
 * It is named in every file's `created_by`, so the lake's bytes change only when it does.
 */
export const PARQUET_WASM_VERSION = "0.8.0";
const CREATED_BY = `retail-mds (parquet-wasm ${PARQUET_WASM_VERSION})`;

/**
 * Encodes records as one Parquet file with the exact types of the columns: DECIMAL(p,s) on
 * INT32/INT64/FIXED_LEN_BYTE_ARRAY, DATE, TIMESTAMP(UTC, MICROS), UTF8 strings, INT32, BOOLEAN;
 * REQUIRED for NOT NULL columns, min/max statistics on every column chunk. Row groups hold about
 * `rowGroupBytes` of record text each. Same records, same bytes.
 * @example
 * const bytes = await parquetBytes(saleLine.columns, records, { codec: "zstd" });
 */
export async function parquetBytes(
  columns: readonly Column[],
  records: readonly Readonly<Record<string, unknown>>[],
  options: ParquetOptions = {},
): Promise<Uint8Array> {
  return parquetColumnsBytes(columns, toTransferColumns(columns, records), {
    codec: options.codec ?? "snappy",
    rowGroupRows: parquetRowGroupRows(
      columns,
      records,
      options.rowGroupBytes ?? DEFAULT_ROW_GROUP_BYTES,
    ),
    ...(options.metadata ? { metadata: options.metadata } : {}),
  });
}

/** How `parquetColumnsBytes` writes: everything that decides the bytes besides the values. */
export interface ParquetColumnsOptions {
  readonly codec: ParquetCodec;
  readonly rowGroupRows: number;
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The columnar core of `parquetBytes`, on the records' columns as `toTransferColumns` gives
 * them (what an encode worker receives from the writer's thread). Same columns and options,
 * same bytes as `parquetBytes`.
 */
export async function parquetColumnsBytes(
  columns: readonly Column[],
  transfer: readonly TransferColumn[],
  options: ParquetColumnsOptions,
): Promise<Uint8Array> {
  const metadata = Object.entries(options.metadata ?? {});
  if (metadata.length > 1) {
    throw new RangeError(
      `Parquet metadata holds at most one key (${metadata.length} given: ${metadata.map(([k]) => JSON.stringify(k)).join(", ")}); put a JSON object in one key's value: the writer's order of several keys changes from call to call`,
    );
  }
  const { wasm, arrowStream } = await modules();
  // Into WebAssembly memory through the Arrow IPC stream format: one copy of the buffers.
  const table = wasm.Table.fromIPCStream(arrowStream(columns, transfer));
  let builder = new wasm.WriterPropertiesBuilder()
    .setWriterVersion(wasm.WriterVersion.V1)
    .setCompression(
      options.codec === "zstd"
        ? wasm.Compression.ZSTD
        : options.codec === "none"
          ? wasm.Compression.UNCOMPRESSED
          : wasm.Compression.SNAPPY,
    )
    .setStatisticsEnabled(wasm.EnabledStatistics.Page)
    .setMaxRowGroupSize(options.rowGroupRows)
    .setKeyValueMetadata(new Map(metadata))
    .setCreatedBy(CREATED_BY);
  // A column sent as plain text has more distinct values than an eighth of its rows (ids,
  // instants): a dictionary of them saves little, and the file comes out larger with it (one
  // day of the six entities in ZSTD: 2.27 MB without, 2.69 MB with). A typed decimal, date or
  // timestamp column is judged by the same rule, so it gives the bytes its text would. Which
  // columns are such depends only on the rows, so the same rows still give the same bytes.
  for (const [c, column] of transfer.entries()) {
    const many =
      column.kind === "text" ||
      (isNumericColumn(column) &&
        column.kind !== "int" &&
        column.kind !== "boolean" &&
        !hasFewValues(column));
    if (many) builder = builder.setColumnDictionaryEnabled((columns[c] as Column).name, false);
  }
  const properties = builder.build();
  // Both are consumed (freed in WebAssembly) by the call.
  return wasm.writeParquet(table, properties);
}

interface Modules {
  readonly wasm: typeof import("parquet-wasm");
  readonly arrowStream: typeof import("./arrow-stream.js").arrowStream;
}
let loading: Promise<Modules> | undefined;

// Loaded on first use, not at import: parquet-wasm compiles a 5 MB WebAssembly module
// synchronously when loaded, and apache-arrow adds a tenth of a second and 20 MB, which no CSV
// user nor `retail-mds --help` should pay.
function modules(): Promise<Modules> {
  loading ??= Promise.all([import("parquet-wasm"), import("./arrow-stream.js")]).then(
    ([wasm, { arrowStream }]) => ({ wasm, arrowStream }),
  );
  return loading;
}

/** Rows per row group: the mean record text size of a sample of the records sets the count. */
export function parquetRowGroupRows(
  columns: readonly Column[],
  records: readonly Readonly<Record<string, unknown>>[],
  bytes: number,
): number {
  return rowGroupRowsOf(
    records.length,
    (i) => recordTextSize(columns, records[i] as Record<string, unknown>),
    bytes,
  );
}

/**
 * `parquetRowGroupRows` from each row's record text size (`sizeOf(i)`, row `i` of `count`): the
 * lake writer's column-batch rows carry their sizes, and must size row groups as records do.
 */
export function rowGroupRowsOf(count: number, sizeOf: (i: number) => number, bytes: number) {
  if (!Number.isFinite(bytes) || bytes <= 0)
    throw new RangeError(`rowGroupBytes must be a positive number, got ${bytes}`);
  const step = Math.max(1, Math.floor(count / 1000));
  let sampled = 0;
  let size = 0;
  for (let i = 0; i < count; i += step) {
    size += sizeOf(i);
    sampled++;
  }
  const mean = sampled ? size / sampled : 1;
  return Math.max(1, Math.floor(bytes / mean));
}
