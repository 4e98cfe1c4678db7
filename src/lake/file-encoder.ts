import { createGzip } from "node:zlib";
import type { Column } from "../entities/index.js";
import { type CellValue, checkDelimiter, csvChunks } from "./csv-encoder.js";
import type { FileExtension, FileFormat } from "./lake-path.js";
import { ndjsonChunks } from "./ndjson-encoder.js";
import { type ParquetCodec, parquetBytes } from "./parquet-encoder.js";

/** Compression of a lake file: gzip for the text formats, snappy or zstd inside Parquet. */
export type Compression = "none" | "gzip" | "snappy" | "zstd";

/** How lake files are encoded. */
export interface EncodingOptions {
  readonly format: FileFormat;
  /** Default: `snappy` for Parquet, `none` for CSV and NDJSON. */
  readonly compression?: Compression;
  /** CSV field delimiter (default `,`). */
  readonly delimiter?: string;
  /** Parquet row-group target in bytes of record text (default 64 MiB). */
  readonly rowGroupBytes?: number;
}

/** Turns the records of one file into its bytes. */
export interface FileEncoder {
  readonly format: FileFormat;
  readonly compression: Compression;
  readonly extension: FileExtension;
  readonly contentType: string;
  encode(
    columns: readonly Column[],
    records: readonly Readonly<Record<string, unknown>>[],
  ): Promise<Uint8Array>;
}

const CONTENT_TYPES: Record<FileExtension, string> = {
  parquet: "application/vnd.apache.parquet",
  csv: "text/csv",
  "csv.gz": "application/gzip",
  ndjson: "application/x-ndjson",
  "ndjson.gz": "application/gzip",
};

/**
 * The encoder for a format and compression, checked up front so that a bad combination fails
 * before any record is read.
 * @example
 * const encoder = fileEncoder({ format: "csv", compression: "gzip", delimiter: ";" });
 * const bytes = await encoder.encode(store.columns, stores); // a .csv.gz file
 */
export function fileEncoder(options: EncodingOptions): FileEncoder {
  const { format } = options;
  const compression = options.compression ?? (format === "parquet" ? "snappy" : "none");
  if (format === "parquet") {
    if (compression === "gzip")
      throw new RangeError('Parquet compression must be "snappy", "zstd" or "none", not "gzip"');
    const codec: ParquetCodec = compression;
    return {
      format,
      compression,
      extension: "parquet",
      contentType: CONTENT_TYPES.parquet,
      encode: (columns, records) =>
        parquetBytes(columns, records, {
          codec,
          ...(options.rowGroupBytes ? { rowGroupBytes: options.rowGroupBytes } : {}),
        }),
    };
  }
  if (format !== "csv" && format !== "ndjson")
    throw new RangeError(`unknown lake file format ${JSON.stringify(format)}`);
  if (compression !== "none" && compression !== "gzip") {
    throw new RangeError(
      `${format} compression must be "gzip" or "none", not ${JSON.stringify(compression)}`,
    );
  }
  const delimiter = checkDelimiter(options.delimiter ?? ",");
  const gzip = compression === "gzip";
  const extension: FileExtension =
    format === "csv" ? (gzip ? "csv.gz" : "csv") : gzip ? "ndjson.gz" : "ndjson";
  return {
    format,
    compression,
    extension,
    contentType: CONTENT_TYPES[extension],
    encode: (columns, records) => {
      const names = columns.map((c) => c.name);
      const rows = records as readonly Readonly<Record<string, CellValue>>[];
      const chunks =
        format === "csv" ? csvChunks(names, rows, { delimiter }) : ndjsonChunks(names, rows);
      return gzip ? gzipChunks(chunks) : Promise.resolve(concat(chunks));
    },
  };
}

function concat(chunks: Iterable<string>): Uint8Array {
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(chunk, "utf8"));
  return Buffer.concat(parts);
}

// Streams the text through gzip chunk by chunk, so the uncompressed file never exists whole.
// zlib's output does not depend on how its input is split, so the bytes stay deterministic
// (and Node writes MTIME 0 in the header).
async function gzipChunks(chunks: Iterable<string>): Promise<Uint8Array> {
  const gzip = createGzip({ level: 6 });
  const out: Buffer[] = [];
  gzip.on("data", (chunk: Buffer) => out.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    gzip.on("end", resolve);
    gzip.on("error", reject);
  });
  for (const chunk of chunks) {
    if (!gzip.write(chunk, "utf8")) await new Promise((resolve) => gzip.once("drain", resolve));
  }
  gzip.end();
  await done;
  return Buffer.concat(out);
}
