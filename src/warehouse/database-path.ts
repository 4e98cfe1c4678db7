import { resolve } from "node:path";

/**
 * Why DuckDB cannot keep a database file at `path`, or undefined when it can. DuckDB writes the
 * write-ahead log at the path cut at its first "?" plus ".wal" (".../a?b/w.duckdb" ->
 * ".../a.wal?b/w.duckdb", duckdb/duckdb#13472): the file is created, then the first commit fails.
 * @example
 * databasePathProblem("./shop?/retail.duckdb"); // 'DuckDB cannot keep a database at a path holding "?" ...'
 */
export function databasePathProblem(path: string): string | undefined {
  const absolute = resolve(path);
  if (!absolute.includes("?")) return undefined;
  return `DuckDB cannot keep a database at a path holding "?" (${JSON.stringify(absolute)}): it would write its log at the path cut at the "?" (duckdb/duckdb#13472); choose a path without "?"`;
}
