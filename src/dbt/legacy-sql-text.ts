// The SQL text of one legacy value: literals, patterns, transforms and parsers, written as dbt SQL
// whose dialect parts are the macros of dbt/macros/legacy_layout.sql. Each function mirrors one
// function of src/legacy (value-text.ts, number-text.ts, date-text.ts) and must read every text
// the same way; the parity test (test/dbt/legacy-parity.test.ts) holds them to it.
import type { NumberFormat, Parser, Transform } from "../legacy/layout-schema.js";
import { portablePattern } from "../quality/sql-dialect.js";

/** A Jinja string literal (Jinja reads backslash and \u escapes, as Python does). */
export function jinja(text: string): string {
  const body = text
    .replaceAll("\\", "\\\\")
    .replaceAll("'", "\\'")
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are escaped
      /[\u0000-\u001f\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  return `'${body}'`;
}

/**
 * A SQL string literal of `text`, the same on DuckDB and Snowflake. Text that Snowflake would
 * read otherwise (a backslash) or that Jinja would take for a tag goes through `legacy_str`.
 */
export function lit(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters go through the macro
  if (/[\\{}%#\u0000-\u001f]/.test(text)) return `{{ legacy_str(${jinja(text)}) }}`;
  return `'${text.replaceAll("'", "''")}'`;
}

/** A macro call `{{ name(args) }}` whose first argument is SQL text (a column or expression). */
export function macro(name: string, sql: string, ...args: (string | number)[]): string {
  return `{{ ${name}(${[jinja(sql), ...args.map((a) => (typeof a === "number" ? String(a) : jinja(a)))].join(", ")}) }}`;
}

/** A JavaScript pattern as both engines read it (see `portablePattern`). */
export function pattern(source: string): string {
  return portablePattern(source);
}

/** One character matched literally outside brackets, alike in RE2 and POSIX ERE. */
export function rxChar(c: string): string {
  if (/[A-Za-z0-9 \-_]/.test(c)) return c;
  if (c === "\\" || c === "]" || c === "^") return `\\${c}`;
  return `[${c}]`;
}

/** Text matched literally, character by character. */
export function rxLiteral(text: string): string {
  return [...text].map(rxChar).join("");
}

/** Whether a pattern has a capturing group (JavaScript's `exec` then gives m[1], else m[0]). */
function hasGroup(source: string): boolean {
  return /(^|[^\\])\((?!\?)/.test(source.replace(/\\\\/g, ""));
}

/** A JavaScript replacement string (`$1`, `$&`, `$$`) as the engines' (`\1`, `\0`). */
function replacement(text: string): string {
  return text.replace(/\$(\d{1,2}|&|\$)|\\/g, (m, ref: string | undefined) => {
    if (m === "\\") return "\\\\";
    if (ref === "$") return "$";
    if (ref === "&") return "\\0";
    return `\\${ref}`;
  });
}

/** One transform of `value-text.ts` applyTransforms, on the SQL text `x` (a column). */
export function transformSql(x: string, tr: Transform): string {
  if (tr === "trim") return macro("legacy_trim", x);
  if (tr === "upper") return `upper(${x})`;
  if (tr === "lower") return `lower(${x})`;
  if (tr === "integer-text")
    return `{{ legacy_rx_replace(${jinja(x)}, '^([+-]?[0-9]+)[.,]0+$', '\\\\1') }}`;
  if ("prefix" in tr) return `case when ${x} = '' then ${x} else ${lit(tr.prefix)} || ${x} end`;
  if ("stripPrefix" in tr) {
    const n = tr.stripPrefix.length;
    return `case when left(${x}, ${n}) = ${lit(tr.stripPrefix)} then substr(${x}, ${n + 1}) else ${x} end`;
  }
  if ("padStart" in tr)
    return `case when ${x} = '' or length(${x}) >= ${tr.padStart} then ${x} else lpad(${x}, ${tr.padStart}, ${lit(tr.with)}) end`;
  if ("extract" in tr)
    return `{{ legacy_rx_group(${jinja(x)}, ${jinja(pattern(tr.extract))}, ${hasGroup(tr.extract) ? 1 : 0}) }}`;
  return `{{ legacy_rx_replace(${jinja(x)}, ${jinja(pattern(tr.replace))}, ${jinja(replacement(tr.with))}) }}`;
}

/**
 * The pattern `readNumber` accepts, whole text, with the group numbers of its parts: sign,
 * integer digits (with thousands separators) and fraction digits.
 */
export function numberPattern(format: NumberFormat): {
  source: string;
  sign: number;
  int: number;
  fraction: number | undefined;
} {
  const group = format.thousandsSeparator;
  const int = group ? `([0-9]{1,3}(${rxChar(group)}[0-9]{3})*|[0-9]+)` : "([0-9]+)";
  const intGroups = group ? 2 : 1;
  const fraction = format.impliedDecimals ? "" : `(${rxChar(format.decimalSeparator)}([0-9]+))?`;
  if (format.sign === "leading") {
    return {
      source: `^([+-]?)${int}${fraction}$`,
      sign: 1,
      int: 2,
      fraction: fraction ? 2 + intGroups + 1 : undefined,
    };
  }
  return {
    source: `^${int}${fraction}([+-]?)$`,
    sign: intGroups + (fraction ? 2 : 0) + 1,
    int: 1,
    fraction: fraction ? intGroups + 2 : undefined,
  };
}

/**
 * A number read from the trimmed text `tt`, as the columns of three CTEs in a row, each reading
 * the columns of the ones before (each stage's SQL names the column before it once, so the SQL
 * stays as long as the steps, not their product).
 */
export interface NumberColumns {
  /** name -> SQL from `tt`: whether it reads, its sign, digits and decimal places. */
  readonly parts: Record<string, string>;
  /** name -> SQL over the parts: the digits at exactly `scale` places, or null. */
  readonly scaled: Record<string, string>;
  /** name -> SQL over the parts and `scaled`: the canonical decimal text at `scale`, or null. */
  readonly canonical: Record<string, string>;
  /** The column of `canonical` that holds the text (`<p>_text`): cast it, sum it. */
  readonly text: string;
}

/**
 * The canonical decimal text (`-12.50`) of a number written as `format`, at `scale` places,
 * or null when `readNumber` + `rescale` would refuse it (not a number, or digits lost). `p` is
 * the column prefix of its parts.
 */
export function numberColumns(
  tt: string,
  format: NumberFormat,
  scale: number,
  p: string,
): NumberColumns {
  const rx = numberPattern(format);
  const g = (n: number) => `{{ legacy_rx_group(${jinja(tt)}, ${jinja(rx.source)}, ${n}) }}`;
  const intDigits = format.thousandsSeparator
    ? `replace(${g(rx.int)}, ${lit(format.thousandsSeparator)}, '')`
    : g(rx.int);
  const fraction = rx.fraction === undefined ? "''" : g(rx.fraction);
  const parts = {
    [`${p}_ok`]: `{{ legacy_rx_full(${jinja(tt)}, ${jinja(rx.source)}) }}`,
    [`${p}_sign`]: g(rx.sign),
    [`${p}_digits`]: `${intDigits} || ${fraction}`,
    [`${p}_places`]: format.impliedDecimals
      ? String(format.impliedDecimals)
      : `length(${fraction})`,
  };
  const digits = `${p}_digits`;
  const places = `${p}_places`;
  const scaled = `${p}_scaled`;
  const text = `${p}_text`;
  const padded = `case when length(${scaled}) > ${scale} then ${scaled} else lpad(${scaled}, ${scale + 1}, '0') end`;
  const body = scale
    ? `left(${padded}, length(${padded}) - ${scale}) || '.' || right(${padded}, ${scale})`
    : padded;
  return {
    parts,
    // The digits at exactly `scale` places: padded with zeros, or cut where the cut digits are 0.
    scaled: {
      [scaled]:
        `case when ${places} <= ${scale} then ${digits} || repeat('0', ${scale} - ${places}) ` +
        `when {{ legacy_rx_full("right(${digits}, ${places} - ${scale})", '^0*$') }} ` +
        `then left(${digits}, greatest(length(${digits}) - (${places} - ${scale}), 0)) end`,
    },
    canonical: {
      [text]: `case when ${p}_ok and ${scaled} is not null then case when ${p}_sign = '-' then '-' else '' end || ${body} end`,
    },
    text,
  };
}

const TOKEN = /yyyy|MM|dd|HH|mm|ss|SSS/g;
const WIDTH: Record<string, number> = { yyyy: 4, MM: 2, dd: 2, HH: 2, mm: 2, ss: 2, SSS: 3 };

/** The pattern of a date format (`date-text.ts` compile) and the group of each token. */
export function datePattern(format: string): { source: string; groups: Record<string, number> } {
  let source = "";
  let last = 0;
  const groups: Record<string, number> = {};
  let n = 0;
  for (const m of format.matchAll(TOKEN)) {
    source += `${rxLiteral(format.slice(last, m.index))}([0-9]{${WIDTH[m[0]]}})`;
    groups[m[0]] = ++n;
    last = (m.index ?? 0) + m[0].length;
  }
  source += rxLiteral(format.slice(last));
  return { source: `^${source}$`, groups };
}

/** SQL of the parts of a date or timestamp read from `tt`; `p` prefixes the columns. */
export function dateParts(tt: string, format: string, p: string): Record<string, string> {
  const rx = datePattern(format);
  const part = (token: string, otherwise: string) =>
    rx.groups[token] === undefined
      ? `'${otherwise}'`
      : `{{ legacy_rx_group(${jinja(tt)}, ${jinja(rx.source)}, ${rx.groups[token]}) }}`;
  return {
    [`${p}_ok`]: `{{ legacy_rx_full(${jinja(tt)}, ${jinja(rx.source)}) }}`,
    [`${p}_y`]: part("yyyy", "1970"),
    [`${p}_mo`]: part("MM", "01"),
    [`${p}_d`]: part("dd", "01"),
    [`${p}_h`]: part("HH", "00"),
    [`${p}_mi`]: part("mm", "00"),
    [`${p}_s`]: part("ss", "00"),
    [`${p}_ms`]: part("SSS", "000"),
  };
}

/**
 * The day a date's parts name, null when `readWall` refuses them: no such day, a year below 100
 * (JavaScript's Date.UTC reads those as 19xx), or an hour, minute or second out of range.
 */
export function dateOf(p: string): string {
  return (
    `case when ${p}_ok and try_cast(${p}_y as integer) >= 100 and try_cast(${p}_h as integer) <= 23 ` +
    `and try_cast(${p}_mi as integer) <= 59 and try_cast(${p}_s as integer) <= 59 ` +
    `then {{ legacy_make_date("${p}_y || '-' || ${p}_mo || '-' || ${p}_d") }} end`
  );
}

/** Milliseconds into the day of a date's parts. */
export function millisOf(p: string): string {
  return `(((try_cast(${p}_h as integer) * 60 + try_cast(${p}_mi as integer)) * 60 + try_cast(${p}_s as integer)) * 1000 + try_cast(${p}_ms as integer))`;
}

/** The parser's value SQL on a trimmed text column for the parsers that need no stages. */
export function simpleParse(parser: Parser, t: string, tt: string): { value: string; bad: string } {
  switch (parser.type) {
    case "text":
      return { value: `case when ${tt} = '' then null else ${t} end`, bad: "false" };
    case "code": {
      const codes = Object.entries(parser.map);
      if (codes.length === 0) return { value: "cast(null as varchar)", bad: `${tt} <> ''` };
      return {
        value: `case ${codes.map(([k, v]) => `when ${tt} = ${lit(k)} then ${lit(v)}`).join(" ")} end`,
        bad: `${tt} <> '' and ${tt} not in (${codes.map(([k]) => lit(k)).join(", ")})`,
      };
    }
    case "boolean": {
      const list = (values: readonly string[]) => values.map(lit).join(", ");
      return {
        value: `case when ${tt} in (${list(parser.true)}) then true when ${tt} in (${list(parser.false)}) then false end`,
        bad: `${tt} <> '' and ${tt} not in (${list([...parser.true, ...parser.false])})`,
      };
    }
    default:
      throw new RangeError(`${parser.type} needs stages`);
  }
}
