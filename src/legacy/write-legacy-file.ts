import { gzipSync } from "node:zlib";
import type { Column } from "../entities/index.js";
import type { LayoutRecord, LegacyLayout } from "./define-legacy-layout.js";
import type { ColumnMapping, Parser } from "./layout-schema.js";
import { derive, type SourceRow } from "./map-row.js";
import { type ExactNumber, readNumber, writeNumber } from "./number-text.js";
import { joinDelimited, joinFixed, type Slice } from "./record-text.js";
import { regexLiteral } from "./regex-text.js";
import { encodeText, preambleOf } from "./text-encoding.js";
import {
  applyTransforms,
  readValue,
  undoTransforms,
  writableTransforms,
  writeValue,
} from "./value-text.js";

/** A record this layout cannot carry (a value its code map lacks, a constant it contradicts). */
export class LegacyWriteError extends Error {
  override readonly name = "LegacyWriteError";
  constructor(
    readonly layout: string,
    readonly record: number,
    readonly column: string | undefined,
    reason: string,
  ) {
    super(
      `legacy layout "${layout}": record ${record}${column ? ` column "${column}"` : ""}: ${reason}`,
    );
  }
}

/** Fields to put in the header or trailer besides the control figures (a file date, a system name). */
export interface ControlFields {
  readonly header?: Readonly<Record<string, string>>;
  readonly trailer?: Readonly<Record<string, string>>;
}

/** A line of a file to encode: text, or bytes written as they are (a stray encoding). */
export type FileLine = string | Uint8Array;

/**
 * Writes one file of a layout (derived line numbers count across the rows it has seen, so use
 * one writer per file); the generator uses the parts to inject defects between them.
 */
export interface LegacyWriter {
  /** The detail fields of one record, by name. `index` (from 0) numbers it in errors. */
  row(record: Readonly<Record<string, unknown>>, index: number): Record<string, string>;
  /** A detail line from its fields. */
  line(row: SourceRow): string;
  /** Every line of a file around its detail rows: preamble, header, rows, trailer with control figures. */
  lines(rows: readonly SourceRow[], fields?: ControlFields, overrides?: ControlFields): string[];
  /** Encodes lines in the layout's encoding, line ending and compression. */
  encode(lines: readonly FileLine[], options?: { readonly finalNewline?: boolean }): Uint8Array;
}

/** Options of `createLegacyWriter`. */
export interface LegacyWriterOptions {
  /**
   * Write instants at the layout's precision (`HH:mm` drops seconds) instead of refusing them:
   * what the legacy system itself does. The reader then gives the truncated instant.
   */
  readonly truncateTimestamps?: boolean;
}

/**
 * A writer for a layout: the inverse of `readLegacyFile`. A record is written only if it reads
 * back as itself: a constant, a derived amount or a line number it contradicts is an error.
 * @throws LegacyWriteError when the layout loses information on write (an extract or replace transform).
 * @example
 * const bytes = writeLegacyFile(posFr, records); // readLegacyFile(posFr, bytes).records equals records
 */
export function createLegacyWriter(
  layout: LegacyLayout,
  options: LegacyWriterOptions = {},
): LegacyWriter {
  const entity = layout.target;
  for (const column of entity.columns) {
    const m = layout.columns[column.name] as ColumnMapping;
    if ("transforms" in m && !writableTransforms(m.transforms)) {
      throw new LegacyWriteError(
        layout.name,
        0,
        column.name,
        "an extract or replace transform cannot be written back",
      );
    }
  }
  const detail = layout.records.detail;
  const widthOf = (field: string) => detail.slices?.find((s) => s.name === field)?.length;
  const eol = layout.lineEnding === "crlf" ? "\r\n" : "\n";
  const { format } = layout;
  const lineCounts = new Map<string, number>();

  const lineOf = (row: SourceRow, record: LayoutRecord): string => {
    if (format.kind === "delimited") {
      return joinDelimited(
        record.fields.map((f) => row[f] ?? record.defaults[f] ?? ""),
        format,
      );
    }
    const slices: Slice[] = [...(record.slices ?? [])];
    const values: Record<string, string> = { ...record.defaults, ...row };
    if (format.recordType && record.code !== undefined) {
      slices.push({ name: "\u0000type", ...format.recordType });
      values["\u0000type"] = record.code;
    }
    return joinFixed(values, slices);
  };

  const writer: LegacyWriter = {
    row(record, index) {
      const fail = (column: string | undefined, reason: string): never => {
        throw new LegacyWriteError(layout.name, index + 1, column, reason);
      };
      const row: Record<string, string> = {};
      const put = (field: string, text: string, column: string) => {
        if (row[field] !== undefined && row[field] !== text) {
          fail(
            column,
            `field "${field}" would need both ${JSON.stringify(row[field])} and ${JSON.stringify(text)}`,
          );
        }
        row[field] = text;
      };
      const returns = layout.returns;
      const isReturn = returns
        ? Number(String(record[returns.negate[0] as string] ?? 0)) < 0
        : false;
      if (returns) {
        for (const name of returns.negate) {
          const v = Number(String(record[name] ?? 0));
          if ((isReturn && v > 0) || (!isReturn && v < 0)) {
            fail(
              name,
              `is ${record[name]} on a ${isReturn ? "return" : "sale"}: the ${returns.field} code cannot carry that sign`,
            );
          }
        }
        put(
          returns.field,
          isReturn ? (returns.codes[0] as string) : returns.otherwise,
          returns.negate[0] as string,
        );
      }
      for (const column of entity.columns) {
        const m = layout.columns[column.name] as ColumnMapping;
        const value = record[column.name];
        if ("constant" in m) {
          if (value !== m.constant)
            fail(
              column.name,
              `is ${JSON.stringify(value)}; the layout says constant ${JSON.stringify(m.constant)}`,
            );
          continue;
        }
        if ("derive" in m) {
          const expected =
            m.derive === "line_number"
              ? nextLine(m.within, record)
              : derive(m, column, record, entity.columns);
          if (expected !== value)
            fail(
              column.name,
              `is ${JSON.stringify(value)}; the layout derives ${JSON.stringify(expected)}`,
            );
          continue;
        }
        const absolute = isReturn && returns?.negate.includes(column.name) ? abs(value) : value;
        const text = valueText(
          absolute,
          m,
          layout.parsers[column.name] as Parser,
          column,
          "field" in m ? widthOf(m.field) : undefined,
          fail,
        );
        // What the reader could not give back: blank text reads as null, and a fixed-width
        // field is read trimmed.
        if (value !== null && text.trim() === "")
          fail(column.name, "blank text would read back as null");
        if (detail.slices && text !== text.trim()) {
          fail(
            column.name,
            `${JSON.stringify(text)} has surrounding blanks, which a fixed-width field cannot keep`,
          );
        }
        const parser = layout.parsers[column.name] as Parser;
        const back = readValue(applyTransforms(text, m.transforms), parser, column);
        const lossless = back.ok && back.value === absolute;
        if (!lossless && !(options.truncateTimestamps && parser.type === "timestamp")) {
          fail(
            column.name,
            `${JSON.stringify(absolute)} would read back as ${back.ok ? JSON.stringify(back.value) : "unparseable"}${parser.type === "timestamp" ? ` (the layout writes ${parser.format})` : ""}`,
          );
        }
        if ("field" in m) put(m.field, text, column.name);
        else
          for (const [field, part] of splitConcat(m.concat, text, column.name, fail))
            put(field, part, column.name);
      }
      return row;
    },
    line: (row) => lineOf(row, detail),
    lines(rows, fields = {}, overrides = {}) {
      const out: string[] = [];
      if (format.kind === "delimited") {
        for (let i = 0; i < format.skipLines; i++) out.push(`${layout.name} export`);
        if (format.header) out.push(joinDelimited(detail.fields, format));
      }
      const controls = (which: "header" | "trailer") => {
        const values: Record<string, string> = { ...fields[which] };
        const spec = layout.records[which];
        if (format.kind === "delimited" && spec?.code !== undefined)
          values[spec.fields[0] as string] = spec.code;
        for (const c of layout.control.filter((c) => c.record === which)) {
          const width = spec?.slices?.find((s) => s.name === c.field)?.length;
          const fmt = c.check === "count" ? { ...c.format, impliedDecimals: 0 } : c.format;
          if (c.check === "count")
            values[c.field] = writeNumber(BigInt(rows.length), 0, fmt, width);
          else {
            const sum = sumOf(rows.map((r) => readNumber(r[c.sum as string] ?? "", c.format)));
            values[c.field] = writeNumber(sum.units, sum.scale, fmt, width);
          }
        }
        // A generator injecting a wrong control figure writes it here, over the computed one.
        return { ...values, ...overrides[which] };
      };
      if (layout.records.header) out.push(lineOf(controls("header"), layout.records.header));
      for (const row of rows) out.push(lineOf(row, detail));
      if (layout.records.trailer) out.push(lineOf(controls("trailer"), layout.records.trailer));
      return out;
    },
    encode(lines, options = {}) {
      const parts: Uint8Array[] = [preambleOf(layout.encoding)];
      const newline = encodeText(eol, layout.encoding);
      lines.forEach((line, i) => {
        parts.push(typeof line === "string" ? encodeText(line, layout.encoding) : line);
        if (i < lines.length - 1 || options.finalNewline !== false) parts.push(newline);
      });
      const bytes = Buffer.concat(parts);
      return layout.compression === "gzip" ? gzipSync(bytes) : new Uint8Array(bytes);
    },
  };

  function nextLine(within: readonly string[], record: Readonly<Record<string, unknown>>): number {
    const key = within.map((c) => String(record[c])).join("\u0000");
    const n = (lineCounts.get(key) ?? 0) + 1;
    lineCounts.set(key, n);
    return n;
  }
  return writer;
}

function abs(value: unknown): unknown {
  if (typeof value === "number") return Math.abs(value);
  return typeof value === "string" && value.startsWith("-") ? value.slice(1) : value;
}

function valueText(
  value: unknown,
  m: Extract<ColumnMapping, { transforms: unknown }>,
  parser: Parser,
  column: Column,
  width: number | undefined,
  fail: (column: string, reason: string) => never,
): string {
  try {
    const text = writeValue(value, parser, column, width);
    return undoTransforms(text, m.transforms);
  } catch (error) {
    return fail(column.name, (error as Error).message);
  }
}

/** The fields a concat expression was built from: literals anchor a non-greedy split. */
function splitConcat(
  parts: Extract<ColumnMapping, { concat: unknown }>["concat"],
  text: string,
  column: string,
  fail: (column: string, reason: string) => never,
): [string, string][] {
  const source = parts.map((p) => (typeof p === "string" ? regexLiteral(p) : "(.*?)")).join("");
  const m = new RegExp(`^${source}$`).exec(text);
  if (!m)
    return fail(column, `${JSON.stringify(text)} does not have the shape of its concat expression`);
  const fields = parts.filter((p): p is { field: string } => typeof p !== "string");
  return fields.map((f, i) => [f.field, m[i + 1] ?? ""]);
}

function sumOf(values: readonly (ExactNumber | undefined)[]): ExactNumber {
  const present = values.filter((v): v is ExactNumber => v !== undefined);
  const scale = Math.max(0, ...present.map((v) => v.scale));
  const units = present.reduce((s, v) => s + v.units * 10n ** BigInt(scale - v.scale), 0n);
  return { units, scale };
}

/**
 * Writes records as a whole file of the layout: header, rows, trailer with its control figures.
 * @example
 * writeFileSync("caisse.csv", writeLegacyFile(posFr, records));
 */
export function writeLegacyFile(
  layout: LegacyLayout,
  records: readonly Readonly<Record<string, unknown>>[],
  fields?: ControlFields,
  options?: LegacyWriterOptions,
): Uint8Array {
  const writer = createLegacyWriter(layout, options);
  return writer.encode(
    writer.lines(
      records.map((r, i) => writer.row(r, i)),
      fields,
    ),
  );
}
