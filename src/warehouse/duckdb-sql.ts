import type { LogicalType } from "../entities/index.js";

/**
 * Quoting for the SQL this folder sends to DuckDB. Every identifier and every path goes through
 * these two functions: a file name like `x'); drop table raw.sale_line; --.csv` stays a string.
 */

/** `"name"`, with embedded double quotes doubled. */
export function sqlIdentifier(name: string): string {
  if (name.includes("\u0000"))
    throw new RangeError(`identifier contains a NUL character: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** `'text'`, with embedded single quotes doubled. */
export function sqlString(value: string): string {
  if (value.includes("\u0000"))
    throw new RangeError(`string literal contains a NUL character: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** `"schema"."table"`. */
export function sqlTable(schema: string, table: string): string {
  return `${sqlIdentifier(schema)}.${sqlIdentifier(table)}`;
}

/** The DuckDB type a logical type loads into (timestamps are UTC, microseconds, without zone). */
export function duckdbType(type: LogicalType): string {
  switch (type.kind) {
    case "string":
      return "VARCHAR";
    case "int":
      return "INTEGER";
    case "decimal":
      return `DECIMAL(${type.precision},${type.scale})`;
    case "boolean":
      return "BOOLEAN";
    case "date":
      return "DATE";
    case "timestamp":
      return "TIMESTAMP";
  }
}
