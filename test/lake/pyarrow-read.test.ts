import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "vitest";
import type { Column } from "../../src/entities/index.js";
import { localStore, type ParquetCodec, parquetBytes } from "../../src/lake/index.js";
import { microsOf } from "../../src/lake/parquet-physical.js";
import { samples } from "./fixtures.js";
import { tempDir } from "./temp-dir.js";

// pyarrow (in .venv, from requirements.txt through fakesnow) is a reader independent of both our
// writer (arrow-rs) and our reader (hyparquet): the Arrow types it infers from the file, NOT NULL,
// statistics on every column chunk, and every value back as text.
const python = resolve(".venv/bin/python");

const READ = `
import json, sys
import pyarrow as pa, pyarrow.parquet as pq
out = []
for path in sys.argv[1:]:
    f = pq.ParquetFile(path)
    table = f.read()
    md = f.metadata
    stats = all(
        md.row_group(g).column(c).statistics is not None
        and md.row_group(g).column(c).statistics.has_min_max
        for g in range(md.num_row_groups) for c in range(md.num_columns))
    rows = []
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_timestamp(column.type):
            column = column.cast(pa.int64())
        rows.append([None if v is None else str(v) for v in column.to_pylist()])
    out.append({
        "fields": [f"{field.name} {field.type} {'null' if field.nullable else 'not null'}" for field in table.schema],
        "stats": stats,
        "columns": rows,
    })
print(json.dumps(out))
`;

function arrowType(column: Column): string {
  const { type } = column;
  switch (type.kind) {
    case "string":
      return "string";
    case "int":
      return "int32";
    case "boolean":
      return "bool";
    case "date":
      return "date32[day]";
    case "timestamp":
      return "timestamp[us, tz=UTC]";
    case "decimal":
      return `decimal128(${type.precision}, ${type.scale})`;
  }
}

/** The text pyarrow gives of a value: str() of a Python bool, Decimal, date or epoch micros. */
function pythonText(column: Column, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (column.type.kind === "boolean") return value ? "True" : "False";
  if (column.type.kind === "timestamp") return String(microsOf(value as string));
  return String(value);
}

test("pyarrow reads every entity's file with the exact Arrow types, NOT NULL, statistics and values", async () => {
  expect(existsSync(python), `${python}: pip install -r requirements.txt into .venv`).toBe(true);
  const lake = localStore(tempDir("pyarrow-read-"));
  const files: { path: string; columns: readonly Column[]; records: Record<string, unknown>[] }[] =
    [];
  for (const codec of ["snappy", "zstd"] as ParquetCodec[]) {
    for (const { entity, records } of samples) {
      const path = `${entity.name}/${entity.name}-20261101T0000Z-20261102T0000Z-0000${codec === "zstd" ? 2 : 1}.parquet`;
      await lake.put(path, await parquetBytes(entity.columns, records, { codec }));
      files.push({ path: lake.localPath(path), columns: entity.columns, records });
    }
  }
  const read = JSON.parse(
    execFileSync(python, ["-c", READ, ...files.map((f) => f.path)], { encoding: "utf8" }),
  ) as { fields: string[]; stats: boolean; columns: (string | null)[][] }[];
  for (const [i, { columns, records }] of files.entries()) {
    const got = read[i];
    expect(got?.fields).toEqual(
      columns.map((c) => `${c.name} ${arrowType(c)} ${c.nullable ? "null" : "not null"}`),
    );
    expect(got?.stats).toBe(true);
    expect(got?.columns).toEqual(columns.map((c) => records.map((r) => pythonText(c, r[c.name]))));
  }
});
