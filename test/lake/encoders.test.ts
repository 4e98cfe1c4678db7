import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { saleLine, type store } from "../../src/entities/index.js";
import {
  type Compression,
  csvRows,
  csvText,
  type FileFormat,
  fileEncoder,
  localStore,
  ndjsonText,
  parquetBytes,
  readLakeFile,
} from "../../src/lake/index.js";
import { instantOf, microsOf } from "../../src/lake/parquet-physical.js";
import { duckRead, duckType, expectedRow, parquetLayout } from "./duckdb-check.js";
import { manySaleLines, samples } from "./fixtures.js";
import { tempDir } from "./temp-dir.js";

const dir = tempDir("lake-encoders-");

test("CSV follows RFC 4180: header, CRLF, quoting, empty string apart from null", () => {
  const text = csvText(
    ["a", "b", "c", "d"],
    [
      { a: 'say "hi"', b: "x,y", c: "", d: null },
      { a: "line\nbreak", b: " padded ", c: 1.5, d: true },
    ],
  );
  expect(text).toBe('a,b,c,d\r\n"say ""hi""","x,y","",\r\n"line\nbreak"," padded ",1.5,true\r\n');
  expect(csvRows(text)).toEqual([
    ["a", "b", "c", "d"],
    ['say "hi"', "x,y", "", null],
    ["line\nbreak", " padded ", "1.5", "true"],
  ]);
  expect(csvText(["a", "b"], [{ a: "x;y", b: "1,2" }], { delimiter: ";" })).toBe(
    'a;b\r\n"x;y";1,2\r\n',
  );
  expect(() => csvText(["a"], [], { delimiter: '"' })).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: CSV delimiter "\\"" must be one character other than '"', CR or LF]`,
  );
  expect(() => csvRows('a,"b\r\n')).toThrowErrorMatchingInlineSnapshot(
    `[CsvSyntaxError: CSV line 1: quoted field is never closed]`,
  );
  expect(() => csvRows('a,b"c\r\n')).toThrowErrorMatchingInlineSnapshot(
    `[CsvSyntaxError: CSV line 1: a quote inside an unquoted field: "b\\"c"]`,
  );
});

test("NDJSON keeps column order, nulls, and decimals as strings", () => {
  expect(
    ndjsonText(["sku", "price", "gone", "ok"], [{ sku: "P000001", price: "1.50", ok: false }]),
  ).toBe('{"sku":"P000001","price":"1.50","gone":null,"ok":false}\n');
});

test("NDJSON escapes what JSON must escape", () => {
  const tricky = ['say "hi"', "back\\slash", "tab\tand\u0001", "Crème", "emoji 🛒", "</script>"];
  const text = ndjsonText(
    ["a", "n"],
    tricky.map((a, n) => ({ a, n })),
  );
  expect(
    text
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line)),
  ).toEqual(tricky.map((a, n) => ({ a, n })));
});

test("encoder options are checked before any record", () => {
  expect(() =>
    fileEncoder({ format: "parquet", compression: "gzip" }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: Parquet compression must be "snappy", "zstd" or "none", not "gzip"]`,
  );
  expect(() =>
    fileEncoder({ format: "csv", compression: "zstd" }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: csv compression must be "gzip" or "none", not "zstd"]`,
  );
  expect(fileEncoder({ format: "ndjson", compression: "gzip" }).extension).toBe("ndjson.gz");
  expect(fileEncoder({ format: "parquet" }).compression).toBe("snappy");
});

test("Parquet physical conversions are exact", () => {
  expect(microsOf("1970-01-01T00:00:01.000002Z")).toBe(1_000_002n);
  expect(microsOf("1969-12-31T23:59:59.5Z")).toBe(-500_000n);
  expect(instantOf(1_000_002n)).toBe("1970-01-01T00:00:01.000002Z");
  expect(instantOf(microsOf("1969-12-31T23:59:59.999001Z"))).toBe("1969-12-31T23:59:59.999001Z");
  expect(instantOf(microsOf("2026-11-01T08:00:00Z"))).toBe("2026-11-01T08:00:00.000Z");
  expect(() => microsOf("2026-11-01T08:00:00.0000001Z")).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: timestamp "2026-11-01T08:00:00.0000001Z" is finer than microseconds]`,
  );
});

const variants: { format: FileFormat; compression: Compression; delimiter?: string }[] = [
  { format: "parquet", compression: "snappy" },
  { format: "parquet", compression: "zstd" },
  { format: "parquet", compression: "none" },
  { format: "csv", compression: "none" },
  { format: "csv", compression: "gzip", delimiter: ";" },
  { format: "ndjson", compression: "none" },
  { format: "ndjson", compression: "gzip" },
];

for (const { format, compression, delimiter } of variants) {
  test(`DuckDB reads ${format}/${compression} back with the exact types and values, every entity`, async () => {
    const encoder = fileEncoder({ format, compression, ...(delimiter ? { delimiter } : {}) });
    const lake = localStore(join(dir, `${format}-${compression}`));
    for (const { entity, records } of samples) {
      const bytes = await encoder.encode(entity.columns, records);
      const path = `${entity.name}/${entity.name}-20261101T0000Z-20261102T0000Z-00001.${encoder.extension}`;
      await lake.put(path, bytes);
      const { types, rows } = await duckRead(entity, lake.localPath(path), format, delimiter);
      expect(types).toEqual(Object.fromEntries(entity.columns.map((c) => [c.name, duckType(c)])));
      expect(rows).toEqual(records.map((r) => expectedRow(entity, r)));
      // Our own reader gives the records back exactly, too.
      const read = await readLakeFile(lake, path, { ...(delimiter ? { delimiter } : {}) });
      expect(read.records).toEqual(
        records.map((r) => ({ ...r, ...canonicalTimes(entity.columns, r) })),
      );
      // Same records, same bytes.
      expect(
        Buffer.from(await encoder.encode(entity.columns, records)).equals(Buffer.from(bytes)),
      ).toBe(true);
    }
  });
}

function canonicalTimes(columns: typeof store.columns, record: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const c of columns) {
    const value = record[c.name];
    if (c.type.kind === "timestamp" && typeof value === "string")
      out[c.name] = instantOf(microsOf(value));
  }
  return out;
}

test("Parquet row groups are sized by bytes and the codec is recorded", async () => {
  const records = manySaleLines(3000);
  const file = join(dir, "row-groups.parquet");
  writeFileSync(
    file,
    await parquetBytes(saleLine.columns, records, { codec: "zstd", rowGroupBytes: 64 * 1024 }),
  );
  const layout = await parquetLayout(file);
  // 3000 lines of ~130 bytes of text is ~390 KB: six or seven groups of 64 KB.
  expect(layout.row_groups).toBeGreaterThanOrEqual(5);
  expect(layout.row_groups).toBeLessThanOrEqual(8);
  expect(layout.codecs).toBe("ZSTD");
  const whole = join(dir, "one-group.parquet");
  writeFileSync(whole, await parquetBytes(saleLine.columns, records));
  expect(await parquetLayout(whole)).toEqual({ row_groups: 1, codecs: "SNAPPY" });
});
