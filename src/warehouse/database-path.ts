import { basename, resolve } from "node:path";
import { PIPE_SCHEMA } from "./load-history.js";
import { RAW_SCHEMA } from "./raw-table.js";

/**
 * Why DuckDB cannot keep the pipe's database file at `path`, or undefined when it can.
 * - DuckDB writes the write-ahead log at the path cut at its first "?" plus ".wal"
 *   (".../a?b/w.duckdb" -> ".../a.wal?b/w.duckdb", duckdb/duckdb#13472): the file is created,
 *   then the first commit fails.
 * - DuckDB names the file's catalog after its base name up to the first "." (".raw.duckdb" and
 *   "raw.db.duckdb" are catalog "raw") and matches names without case: a catalog named like a
 *   schema of the pipe makes `raw.sale_line` ambiguous (Binder Error on the first statement).
 * @example
 * databasePathProblem("./shop?/retail.duckdb"); // 'DuckDB cannot keep a database at a path holding "?" ...'
 * databasePathProblem("./Raw.duckdb"); // 'DuckDB would name the catalog of ... "Raw" ...'
 */
export function databasePathProblem(path: string): string | undefined {
  const absolute = resolve(path);
  if (absolute.includes("?"))
    return `DuckDB cannot keep a database at a path holding "?" (${JSON.stringify(absolute)}): it would write its log at the path cut at the "?" (duckdb/duckdb#13472); choose a path without "?"`;
  const catalog =
    basename(absolute)
      .split(".")
      .find((part) => part !== "") ?? "";
  const schema = [RAW_SCHEMA, PIPE_SCHEMA].find((s) => s === catalog.toLowerCase());
  if (schema)
    return `DuckDB would name the catalog of ${JSON.stringify(absolute)} "${catalog}", which it matches (case aside) with the pipe's schema "${schema}": name the file otherwise (e.g. retail.duckdb)`;
  return undefined;
}
