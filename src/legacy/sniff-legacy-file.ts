import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import iconv from "iconv-lite";
import { entities as builtIns, type Entity } from "../entities/index.js";
import type { Encoding, Parser } from "./layout-schema.js";
import { splitDelimited } from "./record-text.js";
import { hasUtf8Bom } from "./text-encoding.js";

/**
 * Guesses a starting layout from an unknown file. This is not DuckDB's `sniff_csv`: that reads
 * UTF-8 text only and has no notion of fixed-width records, record types or decimal commas, which
 * is most of what a legacy file is. The guess is a proposal to edit, then `legacy check`.
 */

/** A field as sniffed: its name (or F1, F2...), where it sits, what its values look like. */
export interface SniffedField {
  readonly name: string;
  readonly start?: number;
  readonly length?: number;
  readonly parse: Parser;
  readonly sample: string;
}

/** What `sniffLegacyFile` found, and the layout source it proposes. */
export interface SniffResult {
  readonly encoding: Encoding;
  readonly encodingNote: string;
  readonly compression: "none" | "gzip";
  readonly lineEnding: "lf" | "crlf";
  readonly kind: "delimited" | "fixed-width";
  readonly delimiter?: string;
  readonly header: boolean;
  readonly recordTypes: readonly string[];
  /** The most frequent record type: the detail lines, presumably. */
  readonly detailType?: string;
  readonly fields: readonly SniffedField[];
  readonly trailer?: readonly string[];
  /** A TypeScript layout module to start from. */
  readonly source: string;
}

const DELIMITERS = [";", ",", "|", "\t"] as const;
const SAMPLE = 500;

function sniffEncoding(bytes: Uint8Array): { encoding: Encoding; note: string } {
  if (hasUtf8Bom(bytes))
    return { encoding: "utf-8-bom", note: "starts with a UTF-8 byte-order mark" };
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return bytes.some((b) => b > 0x7f)
      ? { encoding: "utf-8", note: "valid UTF-8 with non-ASCII characters" }
      : { encoding: "utf-8", note: "ASCII only: any of the encodings reads it; UTF-8 proposed" };
  } catch {
    return bytes.some((b) => b >= 0x80 && b <= 0x9f)
      ? {
          encoding: "windows-1252",
          note: "not UTF-8; bytes 0x80-0x9F (€ œ ’ ...) mean Windows-1252",
        }
      : {
          encoding: "windows-1252",
          note: "not UTF-8; no byte 0x80-0x9F, so ISO-8859-1 would read it the same",
        };
  }
}

const ENCODINGS = "legacy layouts read utf-8, utf-8-bom, iso-8859-1 or windows-1252";

/**
 * Why bytes are no text a layout can read, or `undefined`. UTF-16 (Excel's "Unicode text",
 * `bcp -w`) is not UTF-8, so it would be proposed as Windows-1252: one field of NULs. A NUL byte
 * is in none of the four encodings' text either.
 */
function unreadableText(bytes: Uint8Array, file: string): string | undefined {
  const bom =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? "UTF-16 LE text (byte-order mark FF FE)"
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? "UTF-16 BE text (byte-order mark FE FF)"
        : undefined;
  const convert = (from: string) =>
    `convert it first, e.g. iconv -f ${from} -t UTF-8 ${shellWord(file)} > utf8.txt`;
  if (bom) return `${file} is ${bom}: ${ENCODINGS}; ${convert("UTF-16")}`;
  const nul = bytes.subarray(0, 64 * 1024).indexOf(0);
  if (nul < 0) return undefined;
  // Without a mark, iconv's UTF-16 means big-endian: name the order the NUL's place suggests
  // (an ASCII character then NUL is little-endian).
  const order = nul % 2 === 1 ? "UTF-16LE" : "UTF-16BE";
  return `${file} holds a NUL byte (byte ${nul + 1}): UTF-16 text without a byte-order mark, or no text file; ${ENCODINGS}; if it is ${order}, ${convert(order)}`;
}

const PATTERNS: readonly [RegExp, Parser][] = [
  [
    /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/,
    { type: "timestamp", format: "dd/MM/yyyy HH:mm:ss", timeZone: "TODO/Zone" },
  ],
  [
    /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/,
    { type: "timestamp", format: "dd/MM/yyyy HH:mm", timeZone: "TODO/Zone" },
  ],
  [
    /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/,
    { type: "timestamp", format: "yyyy-MM-ddTHH:mm:ss.SSSZ", timeZone: "UTC" },
  ],
  [
    /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
    { type: "timestamp", format: "yyyy-MM-dd HH:mm:ss", timeZone: "TODO/Zone" },
  ],
  [
    /^20\d{2}[01]\d[0-3]\d[0-2]\d[0-5]\d[0-5]\d$/,
    { type: "timestamp", format: "yyyyMMddHHmmss", timeZone: "TODO/Zone" },
  ],
  [/^\d{2}\/\d{2}\/\d{4}$/, { type: "date", format: "dd/MM/yyyy" }],
  [/^\d{4}-\d{2}-\d{2}$/, { type: "date", format: "yyyy-MM-dd" }],
  [
    /^\d+[+-]$/,
    {
      type: "int",
      decimalSeparator: ".",
      thousandsSeparator: "",
      impliedDecimals: 0,
      sign: "trailing",
    },
  ],
  [
    /^[+-]?\d+$/,
    {
      type: "int",
      decimalSeparator: ".",
      thousandsSeparator: "",
      impliedDecimals: 0,
      sign: "leading",
    },
  ],
  [
    /^[+-]?\d+,\d+$/,
    {
      type: "decimal",
      decimalSeparator: ",",
      thousandsSeparator: "",
      impliedDecimals: 0,
      sign: "leading",
    },
  ],
  [
    /^[+-]?\d+\.\d+$/,
    {
      type: "decimal",
      decimalSeparator: ".",
      thousandsSeparator: "",
      impliedDecimals: 0,
      sign: "leading",
    },
  ],
];

/** The largest value of an entity's `int` column (`z.int32()`). */
const INT_MAX = 2_147_483_647;

/**
 * Unsigned digits that are an identifier, not a quantity: a leading zero a number would drop (a
 * store code "0042", an EAN "0012345678905"), or more than an int holds (a 13-digit EAN). A sign
 * ("-0003", "000001200+") says a number, zero-padded as mainframes write them.
 */
const isDigitCode = (v: string) => /^\d+$/.test(v) && (/^0\d/.test(v) || Number(v) > INT_MAX);

const TRUE = ["O", "Y", "true", "oui"];
const FALSE = ["N", "false", "non"];

/** The parser every non-blank value of a column fits, or text / a code map for few distinct values. */
function inferParser(values: readonly string[]): Parser {
  const present = values.map((v) => v.trim()).filter((v) => v !== "");
  if (!present.length) return { type: "text" };
  const codes = present.some(isDigitCode);
  for (const [pattern, parser] of PATTERNS) {
    if (present.every((v) => pattern.test(v)) && !(codes && parser.type === "int")) return parser;
  }
  if (codes) return { type: "text" };
  // int and decimal mixed ("12" and "12,50"): a decimal.
  if (present.every((v) => /^[+-]?\d+(,\d+)?$/.test(v))) {
    return {
      type: "decimal",
      decimalSeparator: ",",
      thousandsSeparator: "",
      impliedDecimals: 0,
      sign: "leading",
    };
  }
  const distinct = [...new Set(present)];
  const yes = distinct.filter((v) => TRUE.includes(v));
  const no = distinct.filter((v) => FALSE.includes(v));
  if (yes.length && no.length && yes.length + no.length === distinct.length) {
    return { type: "boolean", true: yes, false: no };
  }
  if (
    distinct.length >= 2 &&
    distinct.length <= 12 &&
    present.length >= distinct.length * 3 &&
    distinct.every((v) => /^[A-Z0-9_]{1,8}$/.test(v))
  ) {
    return { type: "code", map: Object.fromEntries(distinct.sort().map((v) => [v, "TODO"])) };
  }
  return { type: "text" };
}

function modeOf(counts: readonly number[]): { value: number; share: number } {
  const freq = new Map<number, number>();
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
  let best = 0;
  let value = 0;
  for (const [v, n] of freq) if (n > best) [best, value] = [n, v];
  return { value, share: counts.length ? best / counts.length : 0 };
}

function sniffDelimiter(lines: readonly string[]): string | undefined {
  let best: { d: string; fields: number } | undefined;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => splitDelimited(l, { delimiter: d, quote: '"' })?.length ?? 0);
    const mode = modeOf(counts);
    if (mode.value > 1 && mode.share >= 0.8 && (!best || mode.value > best.fields))
      best = { d, fields: mode.value };
  }
  return best?.d;
}

const isTyped = (parser: Parser) => parser.type !== "text" && parser.type !== "code";

/** Values a header name is not: typed, or digits (codes such as "0042" are text, yet no name). */
const looksTyped = (values: readonly string[]) =>
  isTyped(inferParser(values)) ||
  (values.some((v) => v.trim() !== "") && values.every((v) => /^\d*$/.test(v.trim())));

/**
 * Fixed-width field starts (0-based): after a column of blanks, where digits turn into letters,
 * after a code of letters before digits, after a trailing sign.
 */
function fixedBoundaries(lines: readonly string[], from: number): number[] {
  const width = Math.max(...lines.map((l) => l.length));
  const starts = [from];
  for (let p = from + 1; p < width; p++) {
    const at = (l: string, i: number) => l[i] ?? " ";
    const gutter = lines.every((l) => at(l, p - 1) === " ") && lines.some((l) => at(l, p) !== " ");
    const all = (test: (l: string) => boolean) => lines.every(test);
    const turn = all((l) => /\d/.test(at(l, p - 1)) && /[A-Za-z]/.test(at(l, p)));
    // A code of two or more letters before a number ("RC000001200"); a single letter is more
    // likely a prefix ("P000123").
    const code = all((l) => /[A-Za-z]{2}/.test(l.slice(p - 2, p)) && /\d/.test(at(l, p)));
    // A trailing sign closes a number ("000001200+PO-1"; not the dashes of "S001-20261101").
    const sign =
      all((l) => /\d[+-]/.test(l.slice(p - 2, p)) && !/\d/.test(at(l, p))) &&
      lines.some((l) => at(l, p) !== " ");
    if (gutter || turn || code || sign) starts.push(p);
  }
  return starts;
}

/**
 * Proposes a starting layout for an unknown legacy file: encoding, compression, line ending,
 * delimiter and header (or fixed-width record types and field positions), and a parser per
 * field inferred from the values. With `entity`, header names matching a column (accents,
 * case and punctuation ignored) are mapped; the rest is left as TODO for `legacy check` to name.
 * @example
 * console.log(sniffLegacyFile(readFileSync("caisse.csv"), { file: "caisse.csv", entity: "sale_line" }).source);
 * @throws RangeError for a file with no line, UTF-16 text or NUL bytes, or an `entity` not among `entities` (default: the built-ins)
 */
export function sniffLegacyFile(
  input: Uint8Array,
  options: {
    readonly file?: string;
    readonly entity?: string | undefined;
    readonly name?: string | undefined;
    readonly entities?: Readonly<Record<string, Entity>>;
  } = {},
): SniffResult {
  const gz = input[0] === 0x1f && input[1] === 0x8b;
  const bytes = gz ? new Uint8Array(gunzipSync(input)) : input;
  const unreadable = unreadableText(bytes, options.file ?? "the file");
  if (unreadable) throw new RangeError(unreadable);
  const { encoding, note } = sniffEncoding(bytes);
  const text = iconv
    .decode(Buffer.from(bytes), encoding === "windows-1252" ? "windows-1252" : "utf-8")
    .replace(/^\uFEFF/, "");
  const lineEnding = text.includes("\r\n") ? "crlf" : "lf";
  const lines = text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== "")
    .slice(0, SAMPLE);
  if (lines.length === 0)
    throw new RangeError(`${options.file ?? "the file"} has no line to propose a layout from`);
  const delimiter = sniffDelimiter(lines);
  let result: Omit<SniffResult, "source">;
  const base = {
    encoding,
    encodingNote: note,
    compression: gz ? "gzip" : "none",
    lineEnding,
  } as const;
  if (delimiter) {
    const rows = lines.map((l) => splitDelimited(l, { delimiter, quote: '"' }) ?? []);
    const width = modeOf(rows.map((r) => r.length)).value;
    const last = rows[rows.length - 1] ?? [];
    const trailer = last.length !== width ? last : undefined;
    const body = rows.filter((r) => r.length === width);
    const first = body[0] ?? [];
    const rest = body.slice(1);
    const header =
      first.every((v) => !looksTyped([v])) &&
      first.some((_, i) => looksTyped(rest.map((r) => r[i] ?? "")));
    const data = header ? rest : body;
    result = {
      ...base,
      kind: "delimited",
      delimiter,
      header,
      recordTypes: [],
      ...(trailer ? { trailer } : {}),
      fields: first.map((h, i) => ({
        name: header ? h.trim() : `F${i + 1}`,
        parse: inferParser(data.map((r) => r[i] ?? "")),
        sample: data[0]?.[i] ?? "",
      })),
    };
  } else {
    const types = [...new Set(lines.map((l) => l[0] ?? ""))];
    const typed = types.length > 1 && types.length <= 5 && types.every((t) => /[A-Z0-9]/.test(t));
    const detailType = typed ? modeOf(lines.map((l) => l.charCodeAt(0))).value : undefined;
    const detail = typed ? lines.filter((l) => l.charCodeAt(0) === detailType) : lines;
    const starts = fixedBoundaries(detail, typed ? 1 : 0);
    const end = Math.max(...detail.map((l) => l.length));
    result = {
      ...base,
      kind: "fixed-width",
      header: false,
      recordTypes: typed ? types : [],
      ...(detailType !== undefined ? { detailType: String.fromCharCode(detailType) } : {}),
      fields: starts.map((s, i) => {
        const length = (starts[i + 1] ?? end) - s;
        const values = detail.map((l) => l.slice(s, s + length));
        return {
          name: `F${i + 1}`,
          start: s + 1,
          length,
          parse: inferParser(values),
          sample: (values[0] ?? "").trim(),
        };
      }),
    };
  }
  const name = options.name ?? snake(basename(options.file ?? "legacy_file").replace(/\..*$/, ""));
  const known: Readonly<Record<string, Entity>> = options.entities ?? builtIns;
  const entity = options.entity ? known[options.entity] : undefined;
  if (options.entity && !entity)
    throw new RangeError(
      `entity ${JSON.stringify(options.entity)} is not one of ${Object.keys(known).join(", ")}`,
    );
  return {
    ...result,
    source: renderLayout(result, name, options.file ?? "the file", options.entity, entity),
  };
}

const NUMBER_DEFAULTS: Record<string, unknown> = {
  decimalSeparator: ".",
  thousandsSeparator: "",
  impliedDecimals: 0,
  sign: "leading",
};

/** A parser as a person would write it: the keys that differ from the defaults. */
function withoutDefaults(p: Parser): Record<string, unknown> {
  if (p.type !== "int" && p.type !== "decimal") return p;
  return Object.fromEntries(Object.entries(p).filter(([k, v]) => NUMBER_DEFAULTS[k] !== v));
}

/** TypeScript object-literal text: identifier keys bare, the rest quoted. */
function tsLiteral(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(", ")}]`;
  const entries = Object.entries(value).map(
    ([k, v]) => `${/^[A-Za-z_]\w*$/.test(k) ? k : JSON.stringify(k)}: ${tsLiteral(v)}`,
  );
  return `{ ${entries.join(", ")} }`;
}

/** A file name as one shell word: quoted unless plain, so the suggested command runs as written. */
function shellWord(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

/** Text for a `//` comment: a line terminator in a file name would end it (and run the rest). */
function inComment(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escaping them is the point
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === "\n" ? "\\n" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function snake(s: string): string {
  const n = normal(s).replace(/_+/g, "_").replace(/^_|_$/g, "");
  return /^[a-z]/.test(n) ? n.slice(0, 63) : `layout_${n}`.slice(0, 63);
}

function normal(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_");
}

function renderLayout(
  r: Omit<SniffResult, "source">,
  name: string,
  file: string,
  entityName: string | undefined,
  entity: Entity | undefined,
): string {
  const js = (v: unknown) => JSON.stringify(v);
  const fieldSpec = (f: SniffedField) =>
    f.start !== undefined
      ? `{ name: ${js(f.name)}, start: ${f.start}, length: ${f.length} }`
      : js(f.name);
  const fieldLines = r.fields.map((f) => `      ${fieldSpec(f)}, // e.g. ${js(f.sample)}`);
  const format =
    r.kind === "delimited"
      ? [
          `    kind: "delimited",`,
          `    delimiter: ${js(r.delimiter)},`,
          `    header: ${r.header},`,
          `    fields: [`,
          ...fieldLines,
          `    ],`,
          ...(r.trailer
            ? [
                `    // The last line looks like a control record: ${js(r.trailer.join(r.delimiter as string))}`,
                `    trailer: { code: ${js(r.trailer[0])}, fields: [${r.trailer.map((_, i) => js(`T${i + 1}`)).join(", ")}] },`,
              ]
            : []),
        ]
      : [
          `    kind: "fixed-width",`,
          ...(r.recordTypes.length
            ? [
                `    // Record types seen in column 1: ${r.recordTypes.join(", ")}`,
                `    recordType: { start: 1, length: 1 },`,
              ]
            : []),
          `    detail: {`,
          ...(r.detailType
            ? [`      code: ${js(r.detailType)}, // the most frequent record type`]
            : []),
          `      fields: [`,
          ...fieldLines.map((l) => `  ${l}`),
          `      ],`,
          `    },`,
        ];
  const parse = (p: Parser) =>
    p.type === "text" ? "" : `, parse: ${tsLiteral(withoutDefaults(p))}`;
  const columnLines: string[] = [];
  const used = new Set<string>();
  if (entity) {
    for (const c of entity.columns) {
      const f = r.fields.find((f) => normal(f.name) === normal(c.name));
      if (f) {
        used.add(f.name);
        columnLines.push(`    ${c.name}: { field: ${js(f.name)}${parse(f.parse)} },`);
      } else
        columnLines.push(
          `    // ${c.name}: TODO (${c.type.kind}): { field }, { constant }, { concat } or { derive }`,
        );
    }
  }
  for (const f of r.fields.filter((f) => !used.has(f.name))) {
    columnLines.push(`    // field ${js(f.name)}: looks like ${f.parse.type}${parse(f.parse)}`);
  }
  return [
    `// Proposed by \`retail-mds legacy sniff\` from ${inComment(file)}. A starting point: check every line, then`,
    `// \`retail-mds legacy check --layout <this file> ${inComment(shellWord(file))}\` names what is still wrong.`,
    `import { defineLegacyLayout } from "retail-mds/legacy";`,
    ``,
    `export default defineLegacyLayout({`,
    `  name: ${js(name)},`,
    `  description: "TODO: what system writes this file, and when",`,
    `  entity: ${js(entityName ?? "TODO")},`,
    `  encoding: ${js(r.encoding)}, // ${r.encodingNote}`,
    `  lineEnding: ${js(r.lineEnding)},`,
    ...(r.compression === "gzip" ? [`  compression: "gzip",`] : []),
    `  format: {`,
    ...format,
    `  },`,
    `  columns: {`,
    ...columnLines,
    `  },`,
    `});`,
    ``,
  ].join("\n");
}
