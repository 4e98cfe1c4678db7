// Written here, not csv-stringify: our dialect keeps null (an empty unquoted field) apart from
// the empty string (`""`), which Snowflake reads apart with EMPTY_FIELD_AS_NULL; csv-stringify's
// `quoted_empty` quotes null too, and it has no cast for null. It was also 1.3-3.0x slower on the
// simulation's sale lines and the legacy feed's rows (`npm run bench csv`: two runs on a shared
// 2-core machine, each library against ours in the same run, same rows).
/** A value as the encoders see it: entity values are already text, numbers or booleans. */
export type CellValue = string | number | boolean | null | undefined;

/** Options of the RFC 4180 text form. */
export interface CsvTextOptions {
  /** One character between fields; `,` by default. Not `"`, CR or LF. */
  readonly delimiter?: string;
  /** Write the header line of column names (default true). */
  readonly header?: boolean;
}

/** Checks a CSV delimiter: one character that cannot be confused with quoting or line ends. */
export function checkDelimiter(delimiter: string): string {
  if (
    [...delimiter].length !== 1 ||
    delimiter === '"' ||
    delimiter === "\r" ||
    delimiter === "\n"
  ) {
    throw new RangeError(
      `CSV delimiter ${JSON.stringify(delimiter)} must be one character other than '"', CR or LF`,
    );
  }
  return delimiter;
}

/**
 * Encodes rows as RFC 4180 CSV text: CRLF line ends, a header line, and a field quoted (with `"`
 * doubled) when it holds the delimiter, a quote, CR, LF or surrounding blanks, or is the empty
 * string. A null is an empty unquoted field, so `""` (empty string) and null stay apart, as
 * Snowflake reads them with `FIELD_OPTIONALLY_ENCLOSED_BY = '"'` and `EMPTY_FIELD_AS_NULL`.
 * @example
 * csvText(["sku", "name"], [{ sku: "P000001", name: 'Jam "extra"' }]);
 * // 'sku,name\r\nP000001,"Jam ""extra"""\r\n'
 */
export function csvText(
  columns: readonly string[],
  rows: Iterable<Readonly<Record<string, CellValue>>>,
  options: CsvTextOptions = {},
): string {
  return [...csvChunks(columns, rows, options)].join("");
}

/**
 * The same text as `csvText`, in chunks of whole lines, so that a large file never has to be
 * one string (V8 caps a string at 2^29 characters).
 */
export function* csvChunks(
  columns: readonly string[],
  rows: Iterable<Readonly<Record<string, CellValue>>>,
  options: CsvTextOptions = {},
  linesPerChunk = 8192,
): Generator<string> {
  const delimiter = checkDelimiter(options.delimiter ?? ",");
  const needsQuotes = new RegExp(`[${escapeClass(delimiter)}"\\r\\n]|^\\s|\\s$`);
  const field = (value: CellValue): string => {
    if (value === null || value === undefined) return "";
    const text = typeof value === "string" ? value : String(value);
    if (text === "" || needsQuotes.test(text)) return `"${text.replaceAll('"', '""')}"`;
    return text;
  };
  let chunk = "";
  let lines = 0;
  if (options.header ?? true) chunk = `${columns.map(field).join(delimiter)}\r\n`;
  for (const row of rows) {
    let line = "";
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += delimiter;
      line += field(row[columns[i] as string]);
    }
    chunk += `${line}\r\n`;
    if (++lines === linesPerChunk) {
      yield chunk;
      chunk = "";
      lines = 0;
    }
  }
  if (chunk) yield chunk;
}

function escapeClass(char: string): string {
  return /[\\\]^-]/.test(char) ? `\\${char}` : char;
}
