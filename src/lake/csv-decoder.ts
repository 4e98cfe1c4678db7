// Written here, not csv-parse: reading our dialect (an unquoted empty field is null, a quoted
// one "") takes csv-parse a `cast` callback per field, and then it was 26-75x slower than this
// parser on the simulation's sale lines and the legacy feed's rows, with the same rows out
// (`npm run bench csv`: two runs on a shared 2-core machine, both parsers in the same run). This parser is 70 lines and names the line of a syntax error.
/** A CSV file does not parse: names the line and what is wrong. */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
  readonly line: number;
  constructor(line: number, problem: string) {
    super(`CSV line ${line}: ${problem}`);
    this.line = line;
  }
}

/**
 * Parses RFC 4180 text (CRLF or LF line ends) into rows of fields. An empty unquoted field is
 * `null` and a quoted empty field `""`, the distinction `csvText` writes.
 * @example
 * csvRows('a,b\r\n"x,1",\r\n'); // [["a", "b"], ["x,1", null]]
 */
export function csvRows(text: string, delimiter = ","): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  if (n === 0) return rows;
  while (i <= n) {
    let value: string | null;
    if (text[i] === '"') {
      const startLine = line;
      let out = "";
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new CsvSyntaxError(startLine, "quoted field is never closed");
        const part = text.slice(i, quote);
        for (const ch of part) if (ch === "\n") line++;
        out += part;
        if (text[quote + 1] === '"') {
          out += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      value = out;
      const next = text[i];
      if (i < n && next !== delimiter && next !== "\r" && next !== "\n") {
        throw new CsvSyntaxError(line, `unexpected ${JSON.stringify(next)} after a closing quote`);
      }
    } else {
      let end = i;
      while (end < n && text[end] !== delimiter && text[end] !== "\r" && text[end] !== "\n") end++;
      const raw = text.slice(i, end);
      if (raw.includes('"'))
        throw new CsvSyntaxError(line, `a quote inside an unquoted field: ${JSON.stringify(raw)}`);
      value = raw === "" ? null : raw;
      i = end;
    }
    row.push(value);
    if (i >= n) {
      rows.push(row);
      break;
    }
    const ch = text[i];
    if (ch === delimiter) {
      i++;
      continue;
    }
    // End of line: CRLF or LF.
    i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    line++;
    rows.push(row);
    row = [];
    if (i >= n) break;
  }
  return rows;
}
