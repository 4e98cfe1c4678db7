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

// JavaScript's \s is Unicode whitespace; RE2's is ASCII only. Spelled out so both agree.
const JS_SPACE =
  "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}";

/**
 * A JavaScript pattern as RE2 (DuckDB `regexp_full_match`, Snowflake `regexp_like`) reads it:
 * `\uFFFD` becomes `\x{FFFD}`, and `\s` is spelled out as JavaScript's Unicode whitespace.
 * Other syntax is shared by both engines for the patterns rules accept (look-arounds and
 * back-references are refused when the rule is built).
 */
export function re2Pattern(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      const unicode = /^u\{?([0-9A-Fa-f]{4,6})\}?/.exec(pattern.slice(i + 1));
      if (unicode) {
        out += `\\x{${(unicode[1] as string).toUpperCase()}}`;
        i += unicode[0].length;
      } else if (next === "s") {
        out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
        i++;
      } else {
        out += c + next;
        i++;
      }
      continue;
    }
    if (c === "[" && !inClass) inClass = true;
    else if (c === "]" && inClass) inClass = false;
    out += c;
  }
  return out;
}
