import { DuckDBInstance } from "@duckdb/node-api";
import type { Column, Entity } from "../../src/entities/index.js";
import { microsOf } from "../../src/lake/parquet-physical.js";

// Reads lake files back with real DuckDB, declaring every column's type for the text formats,
// and returns both DESCRIBE's types and the values as comparable text.

/** DuckDB's name for a logical type, as DESCRIBE prints it. */
export function duckType(column: Column): string {
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
      return "TIMESTAMP WITH TIME ZONE";
    case "decimal":
      return `DECIMAL(${type.precision},${type.scale})`;
  }
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

function source(
  entity: Entity,
  file: string,
  format: "parquet" | "csv" | "ndjson",
  delimiter = ",",
): string {
  const columns = `{${entity.columns.map((c) => `${quote(c.name)}: ${quote(duckType(c))}`).join(", ")}}`;
  if (format === "parquet") return `read_parquet(${quote(file)})`;
  if (format === "csv") {
    return `read_csv(${quote(file)}, header = true, delim = ${quote(delimiter)}, quote = '"', escape = '"', allow_quoted_nulls = false, columns = ${columns})`;
  }
  return `read_json(${quote(file)}, format = 'newline_delimited', columns = ${columns})`;
}

/** Comparable text of a record: timestamps as epoch microseconds, everything else as text. */
export function expectedRow(
  entity: Entity,
  record: Record<string, unknown>,
): Record<string, string | null> {
  const row: Record<string, string | null> = {};
  for (const c of entity.columns) {
    const value = record[c.name];
    row[c.name] =
      value === null || value === undefined
        ? null
        : c.type.kind === "timestamp"
          ? String(microsOf(value as string))
          : String(value);
  }
  return row;
}

export async function duckRead(
  entity: Entity,
  file: string,
  format: "parquet" | "csv" | "ndjson",
  delimiter?: string,
) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const from = source(entity, file, format, delimiter);
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`);
    const types = Object.fromEntries(
      described
        .getRowObjectsJson()
        .map((row) => [row.column_name as string, row.column_type as string]),
    );
    const select = entity.columns
      .map((c) => {
        const name = `"${c.name}"`;
        return c.type.kind === "timestamp"
          ? `epoch_us(${name})::VARCHAR AS ${name}`
          : `${name}::VARCHAR AS ${name}`;
      })
      .join(", ");
    const rows = (
      await connection.runAndReadAll(`SELECT ${select} FROM ${from}`)
    ).getRowObjectsJson();
    return { types, rows: rows as Record<string, string | null>[] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Row groups and codecs of a Parquet file, from DuckDB's parquet_metadata. */
export async function parquetLayout(file: string) {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const result = await connection.runAndReadAll(
      `SELECT count(DISTINCT row_group_id)::INTEGER AS row_groups, string_agg(DISTINCT compression, ',') AS codecs FROM parquet_metadata(${quote(file)})`,
    );
    return result.getRowObjectsJson()[0] as { row_groups: number; codecs: string };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
