import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { expect, test } from "vitest";
import { z } from "zod";
import {
  type Column,
  decimal,
  defineEntity,
  isoDate,
  utcTimestamp,
} from "../../src/entities/index.js";
import {
  localStore,
  PARQUET_WASM_VERSION,
  type ParquetCodec,
  parquetBytes,
  readLakeFile,
} from "../../src/lake/index.js";
import { instantOf } from "../../src/lake/parquet-physical.js";
import { duckRead, expectedRow } from "./duckdb-check.js";
import { samples } from "./fixtures.js";
import { tempDir } from "./temp-dir.js";

// What the lake promises of every Parquet file, read back from the footer by DuckDB: the exact
// physical and logical type of every column, REQUIRED for NOT NULL, min/max on every column
// chunk, the key-value metadata, and a created_by that names the encoder and nothing else.

const dir = tempDir("parquet-footer-");

async function footer(file: string) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
  try {
    const at = `'${file}'`;
    return {
      schema: await rows(
        `select name, type, logical_type, repetition_type from parquet_schema(${at}) where num_children is null`,
      ),
      chunks: await rows(
        `select path_in_schema, stats_min_value, stats_max_value, compression from parquet_metadata(${at})`,
      ),
      createdBy: (await rows(`select created_by from parquet_file_metadata(${at})`))[0]?.created_by,
      kv: await rows(
        `select decode(key) as key, decode(value) as value from parquet_kv_metadata(${at}) where decode(key) <> 'ARROW:schema'`,
      ),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Physical type / logical type the lake writes for a column (docs/lake.md, Encoders). */
function expectedType(column: Column): string {
  const { type } = column;
  switch (type.kind) {
    case "string":
      return "BYTE_ARRAY StringType()";
    case "int":
      return "INT32 null";
    case "boolean":
      return "BOOLEAN null";
    case "date":
      return "INT32 DateType()";
    case "timestamp":
      return "INT64 TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))";
    case "decimal": {
      const { precision: p, scale: s } = type;
      const physical = p <= 9 ? "INT32" : p <= 18 ? "INT64" : "FIXED_LEN_BYTE_ARRAY";
      return `${physical} DecimalType(scale=${s}, precision=${p})`;
    }
  }
}

for (const codec of ["snappy", "zstd", "none"] as ParquetCodec[]) {
  test(`every entity's Parquet footer (${codec}): exact types, REQUIRED for NOT NULL, min/max on every chunk, metadata, created_by`, async () => {
    for (const { entity, records } of samples) {
      const file = join(dir, `${entity.name}-${codec}.parquet`);
      const metadata = { "retail-mds.note": `${entity.name} é` };
      writeFileSync(file, await parquetBytes(entity.columns, records, { codec, metadata }));
      const { schema, chunks, createdBy, kv } = await footer(file);
      expect(schema.map((s) => `${s.name} ${s.type} ${s.logical_type}`)).toEqual(
        entity.columns.map((c) => `${c.name} ${expectedType(c)}`),
      );
      expect(schema.map((s) => s.repetition_type)).toEqual(
        entity.columns.map((c) => (c.nullable ? "OPTIONAL" : "REQUIRED")),
      );
      // The samples hold a value in every column, so every chunk has a min and a max.
      expect(chunks.length).toBe(entity.columns.length);
      expect(
        chunks.filter((c) => c.stats_min_value === null || c.stats_max_value === null),
      ).toEqual([]);
      expect(new Set(chunks.map((c) => c.compression))).toEqual(
        new Set([codec === "none" ? "UNCOMPRESSED" : codec.toUpperCase()]),
      );
      expect(createdBy).toBe(`retail-mds (parquet-wasm ${PARQUET_WASM_VERSION})`);
      expect(kv).toEqual(Object.entries(metadata).map(([key, value]) => ({ key, value })));
    }
  });
}

test("Parquet metadata of more than one key is refused: their order would change the bytes", async () => {
  const { entity, records } = samples[0] as (typeof samples)[number];
  await expect(
    parquetBytes(entity.columns, records, { metadata: { a: "1", b: "2" } }),
  ).rejects.toThrowErrorMatchingInlineSnapshot(
    `[RangeError: Parquet metadata holds at most one key (2 given: "a", "b"); put a JSON object in one key's value: the writer's order of several keys changes from call to call]`,
  );
});

test("created_by names the parquet-wasm that is installed: the lake's bytes change only with it", () => {
  const installed = JSON.parse(
    readFileSync(join("node_modules", "parquet-wasm", "package.json"), "utf8"),
  ) as { version: string };
  const manifest = JSON.parse(readFileSync("package.json", "utf8")) as {
    dependencies: Record<string, string>;
  };
  expect(PARQUET_WASM_VERSION).toBe(installed.version);
  // Pinned exactly: a caret range would let a fresh install change every file's bytes.
  expect(manifest.dependencies["parquet-wasm"]).toBe(PARQUET_WASM_VERSION);
  expect(manifest.dependencies["apache-arrow"]).toMatch(/^\d+\.\d+\.\d+$/);
});

test("a file of zero rows keeps its schema: DuckDB and our reader read it as empty", async () => {
  for (const { entity } of samples) {
    const lake = localStore(join(dir, "empty"));
    const path = `${entity.name}/${entity.name}-20261101T0000Z-20261102T0000Z-00001.parquet`;
    await lake.put(path, await parquetBytes(entity.columns, []));
    const { schema } = await footer(lake.localPath(path));
    expect(schema.map((s) => `${s.name} ${s.type} ${s.logical_type}`)).toEqual(
      entity.columns.map((c) => `${c.name} ${expectedType(c)}`),
    );
    expect((await duckRead(entity, lake.localPath(path), "parquet")).rows).toEqual([]);
    expect((await readLakeFile(lake, path)).records).toEqual([]);
  }
});

// Every path of the Arrow builder: coded and plain text (few or many distinct values), ASCII or
// not, nulls anywhere, decimals inside and beyond 2^53 units, negative, on all three widths.
const wide = defineEntity({
  name: "wide_entry",
  description: "A test entity with every decimal width and nullable columns of every kind.",
  partition: "day",
  eventTime: "booked_on",
  key: ["entry_id"],
  schema: z.object({
    entry_id: z.int32(),
    booked_on: isoDate(),
    posted_at: utcTimestamp().nullable(),
    rate: decimal(9, 4).nullable(),
    amount: decimal(18, 2),
    huge: decimal(38, 10).nullable(),
    code: z.string().nullable(),
    note: z.string().nullable(),
    units: z.int32().nullable(),
    flag: z.boolean().nullable(),
  }),
  docs: {
    entry_id: { description: "Entry number." },
    booked_on: { description: "Booking day." },
    posted_at: { description: "Posting instant." },
    rate: { description: "A rate." },
    amount: { description: "An amount." },
    huge: { description: "A very wide decimal." },
    code: { description: "A code of few values." },
    note: { description: "Free text." },
    units: { description: "A count." },
    flag: { description: "A flag." },
  },
});

const units = (digits: number) =>
  fc.bigInt({ min: -(10n ** BigInt(digits)) + 1n, max: 10n ** BigInt(digits) - 1n });
const asDecimal = (n: bigint, scale: number) => {
  const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, "0");
  return `${n < 0n ? "-" : ""}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
};
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const row = fc.record({
  entry_id: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  booked_on: fc
    .date({ min: new Date("0001-01-01"), max: new Date("9999-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  // Runs of one instant (a ticket's lines) as well as any instant.
  posted_at: nullable(
    fc.oneof(
      fc.constantFrom("2026-11-01T08:00:00.000001Z", "2026-11-01T08:00:00.000002Z"),
      fc.bigInt({ min: -62_135_596_800_000_000n, max: 253_402_300_799_999_999n }).map(instantOf),
    ),
  ),
  rate: nullable(units(9).map((n) => asDecimal(n, 4))),
  amount: units(18).map((n) => asDecimal(n, 2)),
  huge: nullable(units(38).map((n) => asDecimal(n, 10))),
  code: nullable(fc.constantFrom("S001", "S002", "Île", "𝄞", "")),
  note: nullable(fc.string({ unit: "grapheme", maxLength: 8 })),
  units: nullable(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  flag: nullable(fc.boolean()),
});

test("any records come back exactly, from our reader and from DuckDB, and encode to the same bytes twice", async () => {
  const lake = localStore(join(dir, "wide"));
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(row, { maxLength: 300, size: "max" }),
      fc.constantFrom<ParquetCodec>("snappy", "zstd"),
      async (records, codec) => {
        for (const [i, r] of records.entries()) wide.parse(r, { row: i + 1 });
        const bytes = await parquetBytes(wide.columns, records, { codec });
        expect(Buffer.from(await parquetBytes(wide.columns, records, { codec }))).toEqual(
          Buffer.from(bytes),
        );
        const path = `wide_entry/wide_entry-20261101T0000Z-20261102T0000Z-${String(++run).padStart(5, "0")}.parquet`;
        await lake.put(path, bytes);
        expect((await readLakeFile(lake, path, { entity: wide })).records).toEqual(records);
        const { rows } = await duckRead(wide, lake.localPath(path), "parquet");
        expect(rows).toEqual(records.map((r) => expectedRow(wide, r)));
      },
    ),
    { numRuns: 30 },
  );
});
