import { resolve } from "node:path";
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

/**
 * The SQL string literal that makes DuckDB's file readers (`read_parquet`, `read_csv`,
 * `read_json`, `parquet_schema`...) read exactly the file at `path`, whatever its folders and
 * name hold. DuckDB has no literal-path switch: any `*`, `?` or `[` in a path makes it a glob
 * pattern, so `x/lake?` also reads `x/lakeB` and `lake[1]` reads `lake1`. Each of those
 * characters is written as a one-character class (`[*]`, `[?]`, `[[]`, the escape DuckDB's
 * maintainers point to in duckdb/duckdb#4699 and #15722), which matches only itself. `{` is
 * escaped the same way so that no brace expansion could ever apply. The path is made absolute
 * first, so a leading `~` or a scheme-like first folder (`s3:`) is not read as a home folder or
 * a URL. DuckDB's guess of a text file's compression from its name does not see through the
 * escapes: give `compression` explicitly. `test/integrity/hostile-paths.test.ts` proves it all
 * with hostile names.
 * @example
 * sqlFilePath("/lakes/lake[1]/a.csv"); // '/lakes/lake[[]1]/a.csv'
 */
export function sqlFilePath(path: string): string {
  return sqlString(resolve(path).replace(/[*?[{]/g, (c) => `[${c}]`));
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
