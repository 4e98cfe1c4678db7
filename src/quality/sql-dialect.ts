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

// JavaScript's \s is Unicode whitespace; RE2's is ASCII only and Snowflake's is its own. Spelled
// out as the characters themselves so every engine reads the same set.
const JS_SPACE = "\t\n\u000B\f\r \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF";
// JavaScript's \p{Cc}: C0 controls, DEL and C1 controls. [:cntrl:] is POSIX (Snowflake) and RE2
// but covers only the ASCII ones, so the C1 range is added as characters.
const JS_CONTROL = "[:cntrl:]\u0080-\u009F";

/**
 * A JavaScript pattern as both SQL engines read it alike: DuckDB (RE2, `regexp_full_match`)
 * and Snowflake (POSIX ERE with Perl's \d \s \w, `regexp_like`). Neither reads `\uFFFD` or
 * `\p{Cc}`, and Snowflake has no `\x{..}`: code points become the characters themselves, `\s`
 * and `\p{Cc}` become explicit sets. Other syntax is shared by both engines for the patterns
 * rules accept (look-arounds and back-references are refused when the rule is built).
 */
export function portablePattern(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "\\") {
      const next = pattern[i + 1] ?? "";
      const unicode = /^u\{?([0-9A-Fa-f]{4,6})\}?/.exec(pattern.slice(i + 1));
      const set =
        next === "s" ? JS_SPACE : pattern.startsWith("p{Cc}", i + 1) ? JS_CONTROL : undefined;
      if (unicode) {
        out += String.fromCodePoint(Number.parseInt(unicode[1] as string, 16));
        i += unicode[0].length;
      } else if (set) {
        out += inClass ? set : `[${set}]`;
        i += next === "s" ? 1 : 5;
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
