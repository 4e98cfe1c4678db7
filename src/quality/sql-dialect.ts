/** The SQL dialects rules compile to. */
export type SqlDialect = "duckdb" | "snowflake";

/**
 * Quotes an identifier. Snowflake folds unquoted names to upper case, so by default a name is
 * upper-cased before quoting there: `sale_line` becomes `"SALE_LINE"`, the table an unquoted
 * `create table sale_line` makes. Pass `foldCase: false` for tables created with quoted names.
 */
export function sqlIdentifier(name: string, dialect: SqlDialect, foldCase = true): string {
  if (name.length === 0 || name.includes("\u0000"))
    throw new RangeError(`not an identifier: ${JSON.stringify(name)}`);
  const folded = dialect === "snowflake" && foldCase ? name.toUpperCase() : name;
  return `"${folded.replaceAll('"', '""')}"`;
}

/**
 * A string literal. Snowflake also reads backslash escapes inside single quotes, so there the
 * backslash is doubled; DuckDB takes backslashes as they are.
 */
export function sqlString(value: string, dialect: SqlDialect): string {
  if (value.includes("\u0000")) throw new RangeError("a SQL string cannot hold a NUL character");
  const escaped = dialect === "snowflake" ? value.replaceAll("\\", "\\\\") : value;
  return `'${escaped.replaceAll("'", "''")}'`;
}

/**
 * A JavaScript pattern as RE2 (DuckDB `regexp_full_match`, Snowflake `regexp_like`) reads it:
 * `\uFFFD` becomes `\x{FFFD}`. Other syntax is shared by both engines for the patterns rules
 * accept (look-arounds and back-references are refused when the rule is built).
 */
export function re2Pattern(pattern: string): string {
  return pattern.replace(
    /\\u\{?([0-9A-Fa-f]{4,6})\}?/g,
    (_, hex: string) => `\\x{${hex.toUpperCase()}}`,
  );
}
