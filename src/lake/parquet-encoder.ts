import type { SchemaElement } from "hyparquet";
import { ByteWriter, parquetWrite } from "hyparquet-writer";
import type { Column } from "../entities/index.js";
import { parquetElement, toPhysical } from "./parquet-physical.js";
import { recordTextSize } from "./record-size.js";
import { loadZstd, zstdCompress } from "./zstd-codec.js";

/** Parquet page compression: hyparquet-writer's built-in SNAPPY, or ZSTD through libzstd (wasm). */
export type ParquetCodec = "snappy" | "zstd" | "none";

export interface ParquetOptions {
  readonly codec?: ParquetCodec;
  /** Target uncompressed size of a row group, in bytes of record text (default 64 MiB). */
  readonly rowGroupBytes?: number;
  /** Key-value metadata stored in the footer. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Default row-group target: large enough for efficient scans, small enough to bound memory. */
export const DEFAULT_ROW_GROUP_BYTES = 64 * 1024 * 1024;

/**
 * Encodes records as one Parquet file with the exact types of the columns: DECIMAL(p,s) on
 * INT32/INT64/FIXED_LEN_BYTE_ARRAY, DATE, TIMESTAMP(UTC, MICROS), UTF8 strings, INT32, BOOLEAN.
 * Row groups hold about `rowGroupBytes` of record text each. Same records, same bytes.
 * @example
 * const bytes = await parquetBytes(saleLine.columns, records, { codec: "zstd" });
 */
export async function parquetBytes(
  columns: readonly Column[],
  records: readonly Readonly<Record<string, unknown>>[],
  options: ParquetOptions = {},
): Promise<Uint8Array> {
  const values = columns.map((column) => {
    const data = new Array(records.length);
    for (let i = 0; i < records.length; i++)
      data[i] = (records[i] as Record<string, unknown>)[column.name];
    return data;
  });
  return parquetColumnsBytes(columns, values, {
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
 * The columnar core of `parquetBytes`: `values[c][i]` is the logical value (canonical text for
 * decimal, date and timestamp) of column c in row i. An encode worker runs this on columns
 * handed over from the writer's thread; same values and options, same bytes as `parquetBytes`.
 */
export async function parquetColumnsBytes(
  columns: readonly Column[],
  values: readonly (readonly unknown[])[],
  options: ParquetColumnsOptions,
): Promise<Uint8Array> {
  const { codec } = options;
  if (codec === "zstd") await loadZstd();
  const schema: SchemaElement[] = [
    { name: "root", num_children: columns.length },
    ...columns.map(parquetElement),
  ];
  const columnData = columns.map((column, c) => {
    const logical = values[c] as readonly unknown[];
    const data = new Array(logical.length);
    for (let i = 0; i < logical.length; i++) data[i] = toPhysical(column.type, logical[i]);
    return { name: column.name, data, nullable: column.nullable };
  });
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData,
    schema,
    codec: codec === "zstd" ? "ZSTD" : codec === "none" ? "UNCOMPRESSED" : "SNAPPY",
    ...(codec === "zstd"
      ? { compressors: { ZSTD: (input: Uint8Array) => zstdCompress(input) } }
      : {}),
    rowGroupSize: options.rowGroupRows,
    kvMetadata: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
    createdBy: "retail-mds (hyparquet-writer)",
  });
  return writer.getBytes();
}

/** Rows per row group: the mean record text size of a sample of the records sets the count. */
export function parquetRowGroupRows(
  columns: readonly Column[],
  records: readonly Readonly<Record<string, unknown>>[],
  bytes: number,
): number {
  if (!Number.isFinite(bytes) || bytes <= 0)
    throw new RangeError(`rowGroupBytes must be a positive number, got ${bytes}`);
  const step = Math.max(1, Math.floor(records.length / 1000));
  let sampled = 0;
  let size = 0;
  for (let i = 0; i < records.length; i += step) {
    size += recordTextSize(columns, records[i] as Record<string, unknown>);
    sampled++;
  }
  const mean = sampled ? size / sampled : 1;
  return Math.max(1, Math.floor(bytes / mean));
}
