/**
 * One line of a legacy file into its fields and back: delimited (a quote, an escape, one record a
 * line; legacy exports do not put line breaks inside fields) or fixed-width slices.
 */

/** How a delimited line is cut. */
export interface Delimiting {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape?: string | undefined;
}

/**
 * Splits a delimited line; `undefined` when a quoted field is never closed.
 * @example
 * splitDelimited('a;"b;c";"d""e"', { delimiter: ";", quote: '"' }); // ["a", "b;c", 'd"e']
 */
export function splitDelimited(line: string, d: Delimiting): string[] | undefined {
  const fields: string[] = [];
  const esc = d.escape ?? d.quote;
  let field = "";
  let i = 0;
  let quoted = false;
  let wasQuoted = false;
  while (i < line.length) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === esc && esc !== d.quote && i + 1 < line.length) {
        field += line[i + 1];
        i += 2;
        continue;
      }
      if (ch === d.quote) {
        if (esc === d.quote && line[i + 1] === d.quote) {
          field += d.quote;
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === d.delimiter) {
      fields.push(field);
      field = "";
      wasQuoted = false;
    } else if (ch === d.quote && field === "" && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else field += ch;
    i++;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** Joins fields into a delimited line, quoting only the fields that need it. */
export function joinDelimited(fields: readonly string[], d: Delimiting): string {
  const esc = d.escape ?? d.quote;
  return fields
    .map((f) => {
      if (!f.includes(d.delimiter) && !f.includes(d.quote) && !f.includes(esc)) return f;
      const body =
        esc === d.quote
          ? f.replaceAll(d.quote, `${d.quote}${d.quote}`)
          : f.replaceAll(esc, `${esc}${esc}`).replaceAll(d.quote, `${esc}${d.quote}`);
      return `${d.quote}${body}${d.quote}`;
    })
    .join(d.delimiter);
}

/** A fixed-width field: 1-based start, length. */
export interface Slice {
  readonly name: string;
  readonly start: number;
  readonly length: number;
}

/**
 * Cuts a fixed-width line into its fields, blanks trimmed (mainframes pad text with spaces);
 * `undefined` when the line is shorter than the last field's end.
 */
export function sliceFixed(
  line: string,
  slices: readonly Slice[],
): Record<string, string> | undefined {
  const end = Math.max(...slices.map((s) => s.start + s.length - 1));
  if ([...line].length < end) return undefined;
  const chars = [...line];
  const out: Record<string, string> = {};
  for (const s of slices)
    out[s.name] = chars
      .slice(s.start - 1, s.start - 1 + s.length)
      .join("")
      .trim();
  return out;
}

/**
 * Lays fields into a fixed-width line: text left-aligned, numbers already padded by the value
 * writer; a value longer than its field is an error, never cut.
 */
export function joinFixed(
  values: Readonly<Record<string, string>>,
  slices: readonly Slice[],
): string {
  const end = Math.max(...slices.map((s) => s.start + s.length - 1));
  const chars: string[] = Array.from({ length: end }, () => " ");
  for (const s of slices) {
    const value = [...(values[s.name] ?? "")];
    if (value.length > s.length) {
      throw new RangeError(
        `field "${s.name}" holds ${value.length} characters; it is ${s.length} wide`,
      );
    }
    value.forEach((ch, i) => {
      chars[s.start - 1 + i] = ch;
    });
  }
  return chars.join("");
}
