// The Parquet encoder choice, re-measured side by side on our own rows (issue 16): the lake's
// encoder (parquet-wasm, arrow-rs compiled to WebAssembly, fed an Arrow table built straight
// into typed arrays: src/lake/parquet-encoder.ts), hyparquet-writer (the lake's encoder until
// session 5, kept here as the baseline), the same parquet-wasm fed Arrow vectors built with
// `vectorFromArray` (how an earlier run of this bench built them, and found it slower), and
// DuckDB's own Parquet writer fed columnar through its appender. Every encoder starts from the
// records the lake writer holds (objects with canonical text for decimals, dates and instants)
// and ends with the file's bytes, so each pays its own conversion. Each output is then checked,
// in the same run, for the guarantees the lake gives: the exact logical types (read back by
// DuckDB's parquet_schema), REQUIRED for NOT NULL columns, min/max statistics on every column
// chunk, and the same bytes for the same rows (each file is encoded twice); then the same checks
// on a file with every decimal width (up to DECIMAL(38,10) on FIXED_LEN_BYTE_ARRAY) and nulls in
// every nullable column, and on a file of zero rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
} from "@duckdb/node-api";
import {
  Bool,
  type Data,
  DateDay,
  Decimal,
  Field,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMicrosecond,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import type { SchemaElement } from "hyparquet";
import { ByteWriter, parquetWrite } from "hyparquet-writer";
import * as wasm from "parquet-wasm";
import { z } from "zod";
import { unitsNumberOf } from "../src/entities/decimal.js";
import type { Column } from "../src/entities/index.js";
import { decimal, defineEntity, isoDate, toUnits, utcTimestamp } from "../src/entities/index.js";
import { createRetailSimulation } from "../src/generators/index.js";
import { arrowStream } from "../src/lake/arrow-stream.js";
import { arrowTable } from "../src/lake/arrow-table.js";
import {
  fromTransferColumns,
  hasFewValues,
  type TransferColumn,
  toTransferColumns,
} from "../src/lake/column-transfer.js";
import {
  DEFAULT_ROW_GROUP_BYTES,
  PARQUET_WASM_VERSION,
  parquetBytes,
  parquetColumnsBytes,
  parquetRowGroupRows,
} from "../src/lake/parquet-encoder.js";
import { daysOf, microsOf, toPhysical } from "../src/lake/parquet-physical.js";

const CONFIG = { seed: 42, from: "2026-11-02", days: 1, stores: 20, products: 2000 };
const ROWS_PER_FILE = 100_000;

type Row = Record<string, unknown>;
interface File {
  readonly entity: string;
  readonly columns: readonly Column[];
  readonly records: readonly Row[];
}
type Encode = (file: File) => Promise<Uint8Array>;

/** One simulated day of every entity, cut into files of ROWS_PER_FILE rows, as the writer rolls them. */
function ourFiles(): File[] {
  const byEntity = new Map<string, { columns: readonly Column[]; records: Row[] }>();
  for (const batch of createRetailSimulation(CONFIG).generate()) {
    const held = byEntity.get(batch.entity.name) ?? { columns: batch.entity.columns, records: [] };
    for (const record of batch.records) held.records.push(record as Row);
    byEntity.set(batch.entity.name, held);
  }
  const files: File[] = [];
  for (const [entity, { columns, records }] of byEntity) {
    for (let i = 0; i < records.length; i += ROWS_PER_FILE) {
      files.push({ entity, columns, records: records.slice(i, i + ROWS_PER_FILE) });
    }
  }
  return files;
}

// The Parquet schema of hyparquet-writer's files: what parquet-wasm derives from the Arrow
// schema, written out by hand for the baseline.
/** Parquet schema element of a column: DECIMAL stays DECIMAL, DATE, TIMESTAMP(UTC, MICROS)... */
function parquetElement(column: Column): SchemaElement {
  const repetition_type = column.nullable ? "OPTIONAL" : "REQUIRED";
  const { name, type } = column;
  switch (type.kind) {
    case "string":
      return {
        name,
        repetition_type,
        type: "BYTE_ARRAY",
        converted_type: "UTF8",
        logical_type: { type: "STRING" },
      };
    case "int":
      return { name, repetition_type, type: "INT32" };
    case "boolean":
      return { name, repetition_type, type: "BOOLEAN" };
    case "date":
      return {
        name,
        repetition_type,
        type: "INT32",
        converted_type: "DATE",
        logical_type: { type: "DATE" },
      };
    case "timestamp":
      return {
        name,
        repetition_type,
        type: "INT64",
        converted_type: "TIMESTAMP_MICROS",
        logical_type: { type: "TIMESTAMP", isAdjustedToUTC: true, unit: "MICROS" },
      };
    case "decimal": {
      const { precision, scale } = type;
      const decimal = {
        converted_type: "DECIMAL",
        precision,
        scale,
        logical_type: { type: "DECIMAL", precision, scale },
      } as const;
      // The Parquet spec's physical types for DECIMAL: INT32 up to 9 digits, INT64 up to 18,
      // then a fixed-length two's-complement byte array just wide enough for the precision.
      if (precision <= 9) return { name, repetition_type, type: "INT32", ...decimal };
      if (precision <= 18) return { name, repetition_type, type: "INT64", ...decimal };
      return {
        name,
        repetition_type,
        type: "FIXED_LEN_BYTE_ARRAY",
        type_length: decimalBytes(precision),
        ...decimal,
      };
    }
  }
}

/** Smallest byte width whose two's complement holds every `precision`-digit integer. */
function decimalBytes(precision: number): number {
  const max = 10n ** BigInt(precision) - 1n;
  let bytes = 1;
  while (2n ** BigInt(8 * bytes - 1) - 1n < max) bytes++;
  return bytes;
}

const lake: Encode = (file) => parquetBytes(file.columns, file.records);

// hyparquet-writer as the lake used it until session 5: an explicit schema, physical values
// converted one by one (bigint units, day counts, bigint microseconds), SNAPPY.
const hyparquet: Encode = async (file) => {
  const { columns, records } = file;
  const schema: SchemaElement[] = [
    { name: "root", num_children: columns.length },
    ...columns.map(parquetElement),
  ];
  const columnData = columns.map((column) => {
    const data = new Array(records.length);
    for (let i = 0; i < records.length; i++)
      data[i] = toPhysical(column.type, (records[i] as Row)[column.name]);
    return { name: column.name, data, nullable: column.nullable };
  });
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData,
    schema,
    codec: "SNAPPY",
    rowGroupSize: parquetRowGroupRows(columns, records, DEFAULT_ROW_GROUP_BYTES),
    createdBy: "retail-mds (hyparquet-writer)",
  });
  return writer.getBytes();
};

function duckdbType(column: Column): string {
  const { type } = column;
  switch (type.kind) {
    case "string":
      return "VARCHAR";
    case "int":
      return "INTEGER";
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return "TIMESTAMPTZ";
    case "decimal":
      return `DECIMAL(${type.precision},${type.scale})`;
  }
}

function duckdbValue(column: Column, value: unknown): DuckDBValue {
  if (value === null || value === undefined) return null;
  const { type } = column;
  switch (type.kind) {
    case "decimal":
      return new DuckDBDecimalValue(
        toUnits(value as string, type.scale),
        type.precision,
        type.scale,
      );
    case "date":
      return new DuckDBDateValue(daysOf(value as string));
    case "timestamp":
      return new DuckDBTimestampTZValue(microsOf(value as string));
    default:
      return value as DuckDBValue;
  }
}

// DuckDB writes Parquet only to a file (COPY ... TO): a temp table is filled from data chunks of
// DuckDB's vector size, copied out, read back and dropped.
function duckdbEncoder(connection: DuckDBConnection, dir: string): Encode {
  let n = 0;
  return async (file) => {
    const table = `t${++n}`;
    const path = join(dir, `${table}.parquet`);
    await connection.run(
      `create table ${table} (${file.columns.map((c) => `"${c.name}" ${duckdbType(c)}${c.nullable ? "" : " not null"}`).join(", ")})`,
    );
    const appender = await connection.createAppender(table);
    const types: DuckDBType[] = [];
    const described = await connection.runAndReadAll(`select * from ${table} limit 0`);
    for (let c = 0; c < described.columnCount; c++) types.push(described.columnType(c));
    const size = 2048;
    for (let start = 0; start < file.records.length; start += size) {
      const end = Math.min(file.records.length, start + size);
      const chunk = DuckDBDataChunk.create(types, end - start);
      file.columns.forEach((column, c) => {
        const values: DuckDBValue[] = new Array(end - start);
        for (let i = start; i < end; i++)
          values[i - start] = duckdbValue(column, (file.records[i] as Row)[column.name]);
        chunk.setColumnValues(c, values);
      });
      appender.appendDataChunk(chunk);
    }
    appender.closeSync();
    await connection.run(
      `copy ${table} to '${path}' (format parquet, compression snappy, row_group_size 1000000)`,
    );
    await connection.run(`drop table ${table}`);
    const bytes = readFileSync(path);
    rmSync(path);
    return bytes;
  };
}

function arrowVector(column: Column, records: readonly Row[]): Vector {
  const { type } = column;
  const n = records.length;
  const values = (i: number) => (records[i] as Row)[column.name];
  const nullBitmap = () => {
    if (!column.nullable) return { nullCount: 0 };
    const bitmap = new Uint8Array(Math.ceil(n / 8));
    let nullCount = 0;
    for (let i = 0; i < n; i++) {
      if (values(i) === null || values(i) === undefined) nullCount++;
      else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    }
    return { nullCount, nullBitmap: bitmap };
  };
  switch (type.kind) {
    case "string":
      return vectorFromArray(
        Array.from({ length: n }, (_, i) => values(i) ?? null),
        new Utf8(),
      );
    case "boolean":
      return vectorFromArray(
        Array.from({ length: n }, (_, i) => values(i) ?? null),
        new Bool(),
      );
    case "int": {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = Number(values(i) ?? 0);
      return makeVector(makeData({ type: new Int32(), length: n, data, ...nullBitmap() }));
    }
    case "date": {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = values(i) == null ? 0 : daysOf(values(i) as string);
      return makeVector(makeData({ type: new DateDay(), length: n, data, ...nullBitmap() }));
    }
    case "timestamp": {
      const data = new BigInt64Array(n);
      for (let i = 0; i < n; i++) data[i] = values(i) == null ? 0n : microsOf(values(i) as string);
      return makeVector(
        makeData({ type: new TimestampMicrosecond("UTC"), length: n, data, ...nullBitmap() }),
      );
    }
    case "decimal": {
      // Decimal128: two 64-bit little-endian words per value, low word first.
      const words = new BigInt64Array(2 * n);
      for (let i = 0; i < n; i++) {
        const units = values(i) == null ? 0n : (toPhysical(type, values(i)) as bigint);
        words[2 * i] = BigInt.asIntN(64, units);
        words[2 * i + 1] = units < 0n ? -1n : 0n;
      }
      const data = new Uint32Array(words.buffer);
      return makeVector(
        makeData({
          type: new Decimal(type.scale, type.precision, 128),
          length: n,
          data,
          ...nullBitmap(),
        }),
      );
    }
  }
}

const wasmFromArrays: Encode = async (file) => {
  // Arrow fields are nullable unless said otherwise; a non-nullable column must stay REQUIRED.
  const vectors = file.columns.map((column) => arrowVector(column, file.records));
  const fields = file.columns.map(
    (column, c) => new Field(column.name, (vectors[c] as Vector).type, column.nullable),
  );
  const struct = makeData({
    type: new Struct(fields),
    length: file.records.length,
    nullCount: 0,
    children: vectors.map((v) => v.data[0] as Data),
  });
  const batch = new RecordBatch(new Schema(fields), struct);
  const table = wasm.Table.fromIPCStream(tableToIPC(new Table(batch), "stream"));
  const properties = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.SNAPPY)
    .setMaxRowGroupSize(1_000_000)
    .setCreatedBy("retail-mds bench (parquet-wasm)")
    .build();
  return wasm.writeParquet(table, properties);
};

interface Guarantees {
  readonly types: string;
  readonly statistics: string;
  readonly deterministic: boolean;
}

const EXPECTED: Record<Column["type"]["kind"], (c: Column) => string> = {
  string: () => "BYTE_ARRAY/STRING",
  int: () => "INT32/-",
  boolean: () => "BOOLEAN/-",
  date: () => "INT32/DATE",
  timestamp: () => "INT64/TIMESTAMP(UTC,MICROS)",
  decimal: (c) => {
    const p = c.type.kind === "decimal" ? c.type.precision : 0;
    const s = c.type.kind === "decimal" ? c.type.scale : 0;
    return `${p <= 9 ? "INT32" : p <= 18 ? "INT64" : "FIXED_LEN_BYTE_ARRAY"}/DECIMAL(${p},${s})`;
  },
};

// What DuckDB reads back from the file's footer: physical type, logical type, and whether
// every column chunk of every row group carries min and max.
async function check(
  connection: DuckDBConnection,
  dir: string,
  file: File,
  first: Uint8Array,
  second: Uint8Array,
): Promise<Guarantees> {
  const path = join(dir, "check.parquet");
  writeFileSync(path, first);
  const schema = await connection.runAndReadAll(
    `select name, type, logical_type, converted_type, scale, precision, repetition_type from parquet_schema('${path}') where num_children is null`,
  );
  const wrong: string[] = [];
  for (const [name, type, logical, converted, scale, precision, repetition] of schema.getRows()) {
    const column = file.columns.find((c) => c.name === name);
    if (!column) continue;
    // A non-nullable column is REQUIRED in our files: readers (and Snowflake's schema
    // inference) see NOT NULL.
    if (repetition !== (column.nullable ? "OPTIONAL" : "REQUIRED"))
      wrong.push(`NOT NULL ${name} written ${repetition}`);
    const text = String(logical ?? "");
    const logicalName =
      column.type.kind === "timestamp"
        ? /isAdjustedToUTC=1|isAdjustedToUTC=true/i.test(text) && /MICROS/i.test(text)
          ? "TIMESTAMP(UTC,MICROS)"
          : `TIMESTAMP?${text}`
        : column.type.kind === "decimal"
          ? `DECIMAL(${precision},${scale})`
          : column.type.kind === "date"
            ? /DATE/i.test(text) || converted === "DATE"
              ? "DATE"
              : text
            : column.type.kind === "string"
              ? /STRING/i.test(text) || converted === "UTF8"
                ? "STRING"
                : text || "-"
              : text
                ? text
                : "-";
    const got = `${type}/${logicalName}`;
    if (got !== EXPECTED[column.type.kind](column)) wrong.push(`${name}: ${got}`);
  }
  const stats = await connection.runAndReadAll(
    `select count(*)::int, count(*) filter (where stats_min_value is null or stats_max_value is null)::int from parquet_metadata('${path}')`,
  );
  const [chunks, missing] = stats.getRows()[0] as [number, number];
  rmSync(path);
  return {
    types: wrong.length ? `WRONG (${wrong.length} columns): ${wrong[0]}...` : "exact",
    statistics: missing ? `${missing}/${chunks} chunks without min/max` : "min/max on all",
    deterministic: Buffer.compare(Buffer.from(first), Buffer.from(second)) === 0,
  };
}

// Every decimal width (DECIMAL(38,10) on FIXED_LEN_BYTE_ARRAY: no built-in entity is that wide)
// and a null in every nullable column, some rows apart: what our day of rows does not hold.
const ledger = defineEntity({
  name: "ledger_entry",
  description: "A bench entity with every decimal width and nullable columns.",
  partition: "day",
  eventTime: "booked_on",
  key: ["entry_id"],
  schema: z.object({
    entry_id: z.int32(),
    booked_on: isoDate(),
    posted_at: utcTimestamp().nullable(),
    rate: decimal(5, 4),
    amount: decimal(18, 2).nullable(),
    huge: decimal(38, 10),
    note: z.string().nullable(),
    units: z.int32().nullable(),
    flag: z.boolean().nullable(),
  }),
  docs: Object.fromEntries(
    ["entry_id", "booked_on", "posted_at", "rate", "amount", "huge", "note", "units", "flag"].map(
      (name) => [name, { description: name }],
    ),
  ) as never,
});

function ledgerFile(rows: number): File {
  const records = Array.from({ length: rows }, (_, i): Row => {
    const sign = i % 2 ? "-" : "";
    return {
      entry_id: i - 2 ** 31,
      booked_on: `${String(1 + (i % 9999)).padStart(4, "0")}-0${1 + (i % 9)}-2${i % 8}`,
      posted_at: i % 5 === 0 ? null : `2026-11-01T08:00:00.${String(i % 1e6).padStart(6, "0")}Z`,
      rate: `${sign}${i % 10}.${String(i % 1e4).padStart(4, "0")}`,
      // 18 digits: beyond 2^53, the bigint path of the decimal words.
      amount: i % 7 === 0 ? null : `${sign}9999999999999${String(i % 1000).padStart(3, "0")}.99`,
      huge: `${sign}${"9".repeat(28 - (i % 20))}.${String(i).padStart(10, "0")}`,
      note: i % 3 === 0 ? null : i % 11 === 0 ? "é ☃ 𝄞" : `note ${i % 50}`,
      units: i % 4 === 0 ? null : i,
      flag: i % 6 === 0 ? null : i % 2 === 0,
    };
  });
  for (const [i, r] of records.entries()) ledger.parse(r, { row: i + 1 });
  return { entity: ledger.name, columns: ledger.columns, records };
}

/** The guarantee columns of a table row: the first wrong verdict of any file, else the right one. */
function verdictOf(verdicts: readonly Guarantees[]): [string, string, string] {
  return [
    verdicts.find((v) => v.types !== "exact")?.types ?? "exact",
    verdicts.find((v) => v.statistics !== "min/max on all")?.statistics ?? "min/max on all",
    verdicts.every((v) => v.deterministic) ? "yes" : "NO",
  ];
}

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "retail-mds-encoders-"));
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const files = ourFiles();
    // PARQUET_BENCH=sweep runs only the writer properties sweep, =encoders only the encoders.
    const part = process.env.PARQUET_BENCH;
    if (part !== "encoders") await writerPropertiesSweep(connection, dir, files);
    if (part === "sweep") return;
    const rows = files.reduce((n, f) => n + f.records.length, 0);
    const encoders: [string, Encode][] = [
      ["hyparquet-writer 0.17 (the lake's until session 5)", hyparquet],
      [
        `**parquet-wasm ${PARQUET_WASM_VERSION}, typed Arrow (the lake's, \`parquetBytes\`)**`,
        lake,
      ],
      [`parquet-wasm ${PARQUET_WASM_VERSION}, Arrow built with vectorFromArray`, wasmFromArrays],
      ["DuckDB COPY TO parquet (appender chunks)", duckdbEncoder(connection, dir)],
    ];
    // One untimed pass of each on a small file: JIT and WebAssembly compilation are not timed.
    const small = { ...(files[0] as File), records: (files[0] as File).records.slice(0, 5000) };
    for (const [, encode] of encoders) await encode(small);
    const load = loadavg()[0]?.toFixed(1);
    console.log(
      `${CONFIG.stores} stores x ${CONFIG.products} SKUs, ${CONFIG.days} day: ${rows.toLocaleString("en")} rows of ${new Set(files.map((f) => f.entity)).size} entities in ${files.length} files of <= ${ROWS_PER_FILE.toLocaleString("en")} rows, SNAPPY, one thread; load average ${load} at start\n`,
    );
    console.log(
      "| encoder | rows/s (wall) | us CPU a row | x hyparquet (CPU) | MB | logical types, REQUIRED | statistics | same rows, same bytes |",
    );
    console.log("|---|---:|---:|---:|---:|---|---|---|");
    // Round robin, file by file: on a shared machine the load moves during the run, and each
    // encoder gets the same share of it. CPU time (this process's user + system) is what
    // another engineer's load cannot inflate much; wall time is what it does.
    const outputs = encoders.map((): Uint8Array[] => []);
    const seconds = encoders.map(() => 0);
    const cpu = encoders.map(() => 0);
    for (const file of files) {
      for (const [e, [, encode]] of encoders.entries()) {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        (outputs[e] as Uint8Array[]).push(await encode(file));
        const used = process.cpuUsage(c0);
        cpu[e] = (cpu[e] as number) + (used.user + used.system) / 1e6;
        seconds[e] = (seconds[e] as number) + (performance.now() - t0) / 1000;
      }
    }
    // KEEP_PARQUET=<folder> keeps each encoder's first sale_line file, to read with pyarrow.
    const keep = process.env.KEEP_PARQUET;
    if (keep) {
      const sale = files.findIndex((f) => f.entity === "sale_line");
      for (const [e, [name]] of encoders.entries()) {
        const bytes = outputs[e]?.[sale] as Uint8Array;
        writeFileSync(join(keep, `${e}-${name.replace(/[^a-z0-9.-]+/gi, "_")}.parquet`), bytes);
      }
    }
    const edge = [ledgerFile(3000), ledgerFile(0)];
    const baseline = (cpu[0] as number) / rows;
    for (const [e, [name, encode]] of encoders.entries()) {
      const verdicts: Guarantees[] = [];
      for (const [i, file] of files.entries()) {
        verdicts.push(
          await check(connection, dir, file, outputs[e]?.[i] as Uint8Array, await encode(file)),
        );
      }
      for (const file of edge)
        verdicts.push(await check(connection, dir, file, await encode(file), await encode(file)));
      const mb = (outputs[e] as Uint8Array[]).reduce((n, o) => n + o.length, 0) / 1024 / 1024;
      const perRow = (cpu[e] as number) / rows;
      console.log(
        `| ${name} | ${Math.round(rows / (seconds[e] as number)).toLocaleString("en")} | ${(perRow * 1e6).toFixed(2)} | ${(baseline / perRow).toFixed(2)} | ${mb.toFixed(1)} | ${verdictOf(verdicts).join(" | ")} |`,
      );
    }
    console.log(
      `\nload average ${loadavg()[0]?.toFixed(1)} at end. The guarantee columns also cover a file of 3,000 rows with DECIMAL(5,4), (18,2), (38,10) and nulls in every nullable column, and a file of zero rows.`,
    );
  } finally {
    connection.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Writer properties sweep (issue 16): the lake's encoder with each parquet-wasm WriterProperties
// choice changed alone, on the day's sale_line, stock_movement and stock_snapshot files (the
// bulk of the rows). Every variant starts from the same transfer columns and pays the Arrow
// table, the IPC stream, the copy into WebAssembly and arrow-rs's encode. CPU per row and bytes
// are printed as ratios against today's settings, measured in the same run, round robin file
// by file; the guarantee columns are checked by DuckDB on every output.

interface Variant {
  readonly name: string;
  readonly codec?: wasm.Compression;
  readonly statistics?: wasm.EnabledStatistics;
  /** Whether the column gets a dictionary; default the lake's rule (off for a text column). */
  readonly dictionary?: (column: TransferColumn) => boolean;
  readonly pageBytes?: number;
  readonly batchRows?: number;
  readonly version?: wasm.WriterVersion;
  readonly rowGroupRows?: number;
}

interface SweepFile {
  readonly file: File;
  readonly transfer: readonly TransferColumn[];
  readonly rowGroupRows: number;
}

function sweepProperties(sweep: SweepFile, variant: Variant): wasm.WriterProperties {
  const { file, transfer } = sweep;
  let builder = new wasm.WriterPropertiesBuilder()
    .setWriterVersion(variant.version ?? wasm.WriterVersion.V1)
    .setCompression(variant.codec ?? wasm.Compression.SNAPPY)
    .setStatisticsEnabled(variant.statistics ?? wasm.EnabledStatistics.Page)
    .setMaxRowGroupSize(variant.rowGroupRows ?? sweep.rowGroupRows)
    .setKeyValueMetadata(new Map())
    .setCreatedBy(`retail-mds (parquet-wasm ${PARQUET_WASM_VERSION})`);
  if (variant.pageBytes) builder = builder.setDataPageSizeLimit(variant.pageBytes);
  if (variant.batchRows) builder = builder.setWriteBatchSize(variant.batchRows);
  const dictionary = variant.dictionary ?? ((column) => column.kind !== "text");
  for (const [c, column] of transfer.entries())
    builder = builder.setColumnDictionaryEnabled(
      (file.columns[c] as Column).name,
      dictionary(column),
    );
  return builder.build();
}

/** The whole path of one variant: Arrow table, IPC stream, into WebAssembly, encode. */
function sweepEncode(sweep: SweepFile, variant: Variant): Uint8Array {
  const table = wasm.Table.fromIPCStream(arrowStream(sweep.file.columns, sweep.transfer));
  return wasm.writeParquet(table, sweepProperties(sweep, variant));
}

/**
 * The file's decimal, date and timestamp columns as typed values (units, days, epoch ms), as
 * the columnar route hands them over: what the Arrow table costs without text to convert.
 */
function typedTransfer(sweep: SweepFile): TransferColumn[] {
  const { columns } = sweep.file;
  const canonical = fromTransferColumns(columns, sweep.transfer);
  return sweep.transfer.map((column, c) => {
    const { type } = columns[c] as Column;
    if (type.kind !== "decimal" && type.kind !== "date" && type.kind !== "timestamp") return column;
    const values = canonical[c] as (string | null)[];
    const nulls = Uint8Array.from(values, (v) => (v === null ? 1 : 0));
    const number = (v: string) =>
      type.kind === "decimal"
        ? unitsNumberOf(v, type.scale)
        : type.kind === "date"
          ? daysOf(v)
          : Date.parse(v);
    const numbers = values.map((v) => (v === null ? 0 : number(v)));
    const typed = type.kind === "date" ? Int32Array.from(numbers) : Float64Array.from(numbers);
    return { kind: type.kind, values: typed, nulls } as TransferColumn;
  });
}

// The lake's rule for text (off for more distinct values than an eighth of the rows), applied
// to int columns as well.
function manyValuedOff(column: TransferColumn): boolean {
  if (column.kind === "text") return false;
  return column.kind === "int" ? hasFewValues(column) : true;
}

const VARIANTS: readonly Variant[] = [
  { name: "**today: V1, SNAPPY, page statistics, dictionary but on many-valued text**" },
  { name: "today's again (the noise of this run)" },
  { name: "ZSTD (level 1)", codec: wasm.Compression.ZSTD },
  { name: "LZ4_RAW", codec: wasm.Compression.LZ4_RAW },
  { name: "UNCOMPRESSED", codec: wasm.Compression.UNCOMPRESSED },
  { name: "chunk statistics (no page index)", statistics: wasm.EnabledStatistics.Chunk },
  { name: "dictionary on every column", dictionary: () => true },
  { name: "dictionary off on every column", dictionary: () => false },
  { name: "dictionary only on coded text", dictionary: (c) => c.kind === "codes" },
  {
    name: "dictionary off on many-valued int columns too (the text rule)",
    dictionary: manyValuedOff,
  },
  {
    name: "the same, and write batches of 8,192 rows",
    dictionary: manyValuedOff,
    batchRows: 8192,
  },
  { name: "data pages of 64 KiB (1 MiB today)", pageBytes: 64 * 1024 },
  { name: "data pages of 8 MiB", pageBytes: 8 * 1024 * 1024 },
  { name: "write batches of 8,192 rows (1,024 today)", batchRows: 8192 },
  { name: "row groups of 25,000 rows", rowGroupRows: 25_000 },
  { name: "writer V2 (Snowflake loads V1 only)", version: wasm.WriterVersion.V2 },
];

/** CPU seconds of `run`, this process (user + system). */
function cpuOf(run: () => void): number {
  const c0 = process.cpuUsage();
  run();
  const used = process.cpuUsage(c0);
  return (used.user + used.system) / 1e6;
}

async function writerPropertiesSweep(connection: DuckDBConnection, dir: string, files: File[]) {
  const kept = files.filter((f) =>
    ["sale_line", "stock_movement", "stock_snapshot"].includes(f.entity),
  );
  const sweeps: SweepFile[] = kept.map((file) => ({
    file,
    transfer: toTransferColumns(file.columns, file.records),
    rowGroupRows: parquetRowGroupRows(file.columns, file.records, DEFAULT_ROW_GROUP_BYTES),
  }));
  const typed = sweeps.map(typedTransfer);
  const rows = kept.reduce((n, f) => n + f.records.length, 0);
  // The sweep's baseline is the lake's encoder (the same bytes as parquetBytes), and typed
  // columns give the same bytes as their text.
  for (const [i, sweep] of sweeps.entries()) {
    const lakeBytes = Buffer.from(await parquetBytes(sweep.file.columns, sweep.file.records));
    const typedBytes = await parquetColumnsBytes(sweep.file.columns, typed[i] as TransferColumn[], {
      codec: "snappy",
      rowGroupRows: sweep.rowGroupRows,
    });
    if (Buffer.compare(lakeBytes, Buffer.from(sweepEncode(sweep, {} as Variant))))
      throw new Error(`the sweep's baseline is not the lake's encoder (${sweep.file.entity})`);
    if (Buffer.compare(lakeBytes, Buffer.from(typedBytes)))
      throw new Error(`typed columns did not give the text's bytes (${sweep.file.entity})`);
  }
  for (const variant of VARIANTS) sweepEncode(sweeps[0] as SweepFile, variant);
  // Only arrow-rs's encode depends on the properties: it is timed alone, for each variant on
  // the same table; the rest of the path is timed once a file and pass, and shared.
  const passes = 4;
  const encode = VARIANTS.map(() => 0);
  const bytes = VARIANTS.map(() => 0);
  const outputs = VARIANTS.map((): Uint8Array[] => []);
  const split = { text: 0, typed: 0, ipc: 0, ownStream: 0, intoWasm: 0 };
  for (let pass = 0; pass < passes; pass++) {
    for (const [i, sweep] of sweeps.entries()) {
      const { columns } = sweep.file;
      split.typed += cpuOf(() => arrowTable(columns, typed[i] as TransferColumn[]));
      // apache-arrow's table and `tableToIPC` against the lake's own stream (arrow-stream.ts:
      // the same columns and their stream), from the same transfer columns, in turns: which
      // runs second pays more of the garbage the first left.
      let table: Table | undefined;
      let stream: Uint8Array = new Uint8Array();
      let own: Uint8Array = new Uint8Array();
      const viaApacheArrow = () => {
        split.text += cpuOf(() => {
          table = arrowTable(columns, sweep.transfer);
        });
        split.ipc += cpuOf(() => {
          stream = tableToIPC(table as Table, "stream");
        });
      };
      const viaOwnStream = () => {
        split.ownStream += cpuOf(() => {
          own = arrowStream(columns, sweep.transfer);
        });
      };
      if ((i + pass) % 2 === 0) {
        viaApacheArrow();
        viaOwnStream();
      } else {
        viaOwnStream();
        viaApacheArrow();
      }
      // The same table for arrow-rs, so the same bytes.
      if (pass === 0) {
        const ours = wasm.writeParquet(
          wasm.Table.fromIPCStream(own),
          sweepProperties(sweep, VARIANTS[0] as Variant),
        );
        const theirs = wasm.writeParquet(
          wasm.Table.fromIPCStream(stream),
          sweepProperties(sweep, VARIANTS[0] as Variant),
        );
        if (Buffer.compare(Buffer.from(ours), Buffer.from(theirs)))
          throw new Error(`arrowStream and tableToIPC disagree (${sweep.file.entity})`);
      }
      // Each file starts the round at the next variant: the first encode after a new table
      // pays for warming up, and no variant should always be the one that pays.
      for (let k = 0; k < VARIANTS.length; k++) {
        const v = (k + i + pass * sweeps.length) % VARIANTS.length;
        const variant = VARIANTS[v] as Variant;
        let inWasm: wasm.Table | undefined;
        const into = cpuOf(() => {
          inWasm = wasm.Table.fromIPCStream(stream);
        });
        if (k === 0) split.intoWasm += into;
        const properties = sweepProperties(sweep, variant);
        let out: Uint8Array = new Uint8Array();
        encode[v] =
          (encode[v] as number) +
          cpuOf(() => {
            out = wasm.writeParquet(inWasm as wasm.Table, properties);
          });
        if (pass === 0) {
          bytes[v] = (bytes[v] as number) + out.length;
          (outputs[v] as Uint8Array[])[i] = out;
        }
      }
    }
  }
  const us = (seconds: number) => (seconds / passes / rows) * 1e6;
  const shared = us(split.ownStream + split.intoWasm);
  console.log(
    `\nWriter properties sweep: ${rows.toLocaleString("en")} rows of sale_line, stock_movement, stock_snapshot in ${sweeps.length} files, ${passes} passes, round robin; load average ${loadavg()[0]?.toFixed(1)}. The path into arrow-rs, shared by every variant: Arrow table ${us(split.text).toFixed(2)} us CPU a row from the records' transfer columns (${us(split.typed).toFixed(2)} with decimals, dates and timestamps as typed values, same bytes), apache-arrow's IPC stream (\`tableToIPC\`) ${us(split.ipc).toFixed(2)}, so table and stream ${us(split.text + split.ipc).toFixed(2)} against ${us(split.ownStream).toFixed(2)} for the lake's own (\`arrowStream\`: the same columns and its stream, same Parquet bytes), into WebAssembly ${us(split.intoWasm).toFixed(2)} (parquet-wasm 0.8 takes a table only as an IPC stream). The "whole path" below counts the lake's own stream.\n`,
  );
  console.log(
    "| WriterProperties | arrow-rs encode, us CPU a row | x today | whole path, us CPU a row | x today | MB | size x today | logical types, REQUIRED | statistics | same rows, same bytes |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---|---|---|");
  const base = us(encode[0] as number);
  for (const [v, variant] of VARIANTS.entries()) {
    const verdicts: Guarantees[] = [];
    for (const [i, sweep] of sweeps.entries()) {
      verdicts.push(
        await check(
          connection,
          dir,
          sweep.file,
          outputs[v]?.[i] as Uint8Array,
          sweepEncode(sweep, variant),
        ),
      );
    }
    const own = us(encode[v] as number);
    console.log(
      `| ${variant.name} | ${own.toFixed(2)} | ${(own / base).toFixed(2)} | ${(shared + own).toFixed(2)} | ${((shared + own) / (shared + base)).toFixed(2)} | ${((bytes[v] as number) / 1024 / 1024).toFixed(2)} | ${((bytes[v] as number) / (bytes[0] as number)).toFixed(3)} | ${verdictOf(verdicts).join(" | ")} |`,
    );
  }
}
