import { gunzipSync } from "node:zlib";
import {
  type AsyncBuffer,
  parquetMetadata,
  parquetReadObjects,
  type SchemaElement,
} from "hyparquet";
import { type Column, type Entity, entities, type RecordOf } from "../entities/index.js";
import { csvRows } from "./csv-decoder.js";
import { type FileFormat, formatOf, type LakeFile, parseLakePath } from "./lake-path.js";
import type { LakeStore } from "./lake-store.js";
import { fromPhysical } from "./parquet-physical.js";
import { loadZstd, zstdDecompress } from "./zstd-codec.js";

/** A lake file cannot be read back: names the file and, where known, the row. */
export class LakeReadError extends Error {
  override readonly name = "LakeReadError";
  readonly file: string;
  readonly row: number | undefined;
  constructor(file: string, problem: string, options: { row?: number; cause?: unknown } = {}) {
    super(`${file}${options.row === undefined ? "" : ` row ${options.row}`}: ${problem}`, {
      cause: options.cause,
    });
    this.file = file;
    this.row = options.row;
  }
}

export interface ReadLakeFileOptions<E extends Entity = Entity> {
  /** The entity of the file; default the built-in entity its path names. */
  readonly entity?: E;
  /** CSV delimiter (default `,`). */
  readonly delimiter?: string;
}

interface LakeFileFields {
  readonly path: string;
  /** What the path says (feed, entity, partition, window, sequence). */
  readonly file: LakeFile;
  readonly format: FileFormat;
  readonly columns: readonly string[];
}

/**
 * A decoded lake file. Check `feed` to get typed records: the data and quarantine feeds hold
 * the entity's values (decimals, dates and timestamps as canonical text), typed `RecordOf<E>`;
 * the legacy feed holds the raw text fields as landed.
 */
export type LakeFileContent<E extends Entity = Entity> =
  | (LakeFileFields & {
      readonly feed: "data" | "quarantine";
      readonly records: RecordOf<E>[];
    })
  | (LakeFileFields & {
      readonly feed: "legacy";
      readonly records: Record<string, string | null>[];
    });

/**
 * Reads a lake file back into records: Parquet (via hyparquet, exact decimals and microsecond
 * timestamps), CSV and NDJSON, gzipped or not. Used by the quality CLI and the tests.
 * @example
 * const { records } = await readLakeFile(store, "sale_line/dt=2026-11-01/hour=08/sale_line-...-00001.parquet");
 */
export async function readLakeFile<E extends Entity = Entity>(
  store: LakeStore,
  path: string,
  options: ReadLakeFileOptions<E> = {},
): Promise<LakeFileContent<E>> {
  const file = parseLakePath(path);
  if (!file)
    throw new LakeReadError(
      path,
      "is not a lake file path (<entity>/dt=.../<entity>-<window>-<seq>.<ext>)",
    );
  const entity: Entity | undefined =
    options.entity ?? (entities as Record<string, Entity>)[file.entity];
  if (!entity)
    throw new LakeReadError(
      path,
      `names entity "${file.entity}", which is not built in; pass options.entity`,
    );
  if (entity.name !== file.entity)
    throw new LakeReadError(path, `holds "${file.entity}" records, not "${entity.name}"`);
  let bytes = await store.get(path);
  if (file.extension.endsWith(".gz")) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new LakeReadError(path, `is not valid gzip: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const format = formatOf(file.extension);
  try {
    const decoded =
      format === "parquet"
        ? await decodeParquet(path, bytes, entity.columns)
        : format === "csv"
          ? decodeCsv(path, bytes, entity.columns, file.feed === "legacy", options.delimiter ?? ",")
          : decodeNdjson(path, bytes, entity.columns);
    return { path, file, feed: file.feed, format, ...decoded } as LakeFileContent<E>;
  } catch (error) {
    if (error instanceof LakeReadError) throw error;
    // A decoder's own message ("thrift unhandled type", "cannot copy from before start of
    // buffer") names no file: say which one could not be decoded.
    throw new LakeReadError(path, `cannot be decoded as ${format}: ${errorText(error)}`, {
      cause: error,
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function decodeCsv(
  path: string,
  bytes: Uint8Array,
  columns: readonly Column[],
  raw: boolean,
  delimiter: string,
) {
  let rows: (string | null)[][];
  try {
    rows = csvRows(Buffer.from(bytes).toString("utf8"), delimiter);
  } catch (error) {
    throw new LakeReadError(path, (error as Error).message, { cause: error });
  }
  // No line at all: a header of no names would read "has columns []".
  if (rows.length === 0 && !raw)
    throw new LakeReadError(
      path,
      `is empty: expected a header line naming [${columns.map((c) => c.name).join(", ")}]`,
    );
  const header = (rows.shift() ?? []).map((name) => name ?? "");
  if (!raw) checkHeader(path, header, columns);
  const types = new Map(columns.map((c) => [c.name, c]));
  const records = rows.map((fields, i) => {
    if (fields.length !== header.length) {
      throw new LakeReadError(path, `has ${fields.length} fields, the header ${header.length}`, {
        row: i + 1,
      });
    }
    const record: Record<string, unknown> = {};
    header.forEach((name, j) => {
      const text = fields[j] ?? null;
      record[name] = raw ? text : fromText(path, i + 1, types.get(name) as Column, text);
    });
    return record;
  });
  return { columns: header, records };
}

function fromText(path: string, row: number, column: Column, text: string | null): unknown {
  if (text === null) return null;
  switch (column.type.kind) {
    case "int": {
      if (!/^-?\d+$/.test(text))
        throw new LakeReadError(
          path,
          `field "${column.name}" is not an integer: ${JSON.stringify(text)}`,
          { row },
        );
      return Number(text);
    }
    case "boolean":
      if (text !== "true" && text !== "false")
        throw new LakeReadError(
          path,
          `field "${column.name}" is not true/false: ${JSON.stringify(text)}`,
          { row },
        );
      return text === "true";
    default:
      return text;
  }
}

function decodeNdjson(path: string, bytes: Uint8Array, columns: readonly Column[]) {
  const names = columns.map((c) => c.name);
  const lines = Buffer.from(bytes).toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  const records = lines.map((line, i) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch (error) {
      throw new LakeReadError(path, `is not JSON: ${(error as Error).message}`, {
        row: i + 1,
        cause: error,
      });
    }
  });
  return { columns: names, records };
}

async function decodeParquet(path: string, bytes: Uint8Array, columns: readonly Column[]) {
  const buffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  const file: AsyncBuffer = {
    byteLength: buffer.byteLength,
    slice: (start, end) => buffer.slice(start, end),
  };
  let metadata: ReturnType<typeof parquetMetadata>;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    throw new LakeReadError(path, `is not a Parquet file: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const header = metadata.schema.slice(1).map((element) => element.name);
  checkHeader(path, header, columns);
  // hyparquet turns DECIMAL into a float and TIMESTAMP into a millisecond Date; read the physical
  // values instead and convert them exactly.
  const schema = metadata.schema.map((element): SchemaElement => {
    if (element.converted_type === "UTF8" || element.logical_type?.type === "STRING")
      return element;
    const { converted_type: _c, logical_type: _l, ...physical } = element;
    return physical;
  });
  if (metadata.row_groups.some((group) => group.columns.some((c) => c.meta_data?.codec === "ZSTD")))
    await loadZstd();
  const rows = await parquetReadObjects({
    file,
    metadata: { ...metadata, schema },
    compressors: {
      ZSTD: (input: Uint8Array, outputLength: number) => zstdDecompress(input, outputLength),
    },
  });
  const byName = new Map(columns.map((c) => [c.name, c]));
  const records = rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const name of header)
      record[name] = fromPhysical((byName.get(name) as Column).type, row[name]);
    return record;
  });
  return { columns: header, records };
}

function checkHeader(path: string, header: readonly string[], columns: readonly Column[]) {
  const expected = columns.map((c) => c.name);
  if (header.length !== expected.length || header.some((name, i) => name !== expected[i])) {
    throw new LakeReadError(
      path,
      `has columns [${header.join(", ")}], expected [${expected.join(", ")}]`,
    );
  }
}
