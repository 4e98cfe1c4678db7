import { z } from "zod";
import { hashKeys, PURPOSE, streamFor, unitHash } from "../generators/prng.js";
import type { LegacyLayout } from "./define-legacy-layout.js";
import type { ColumnMapping, Parser } from "./layout-schema.js";
import { conditionHolds } from "./map-row.js";
import { encodeText } from "./text-encoding.js";
import { createLegacyWriter, type FileLine } from "./write-legacy-file.js";

/**
 * Defects of a legacy file written through a layout, each with the verdict the layout reader
 * must give. Row defects damage one line; file defects damage the file so it is rejected whole.
 */
export const LAYOUT_DEFECT_KINDS = [
  "null_key",
  "bad_date",
  "bad_number",
  "unknown_code",
  "routed_line",
  "stray_encoding",
  "wrong_trailer_count",
  "truncated_last_line",
] as const;

export type LayoutDefectKind = (typeof LAYOUT_DEFECT_KINDS)[number];
const FILE_KINDS: readonly LayoutDefectKind[] = ["wrong_trailer_count", "truncated_last_line"];

/** One injected defect and the reader's expected verdict. */
export interface LayoutDefect {
  readonly file: string;
  readonly defect: LayoutDefectKind;
  /** The reject reason for a row defect, the file rejection reason for a file defect. */
  readonly reason: string;
  /** Physical line (1-based) of a row defect; absent for a file defect. */
  readonly line?: number;
  readonly column?: string;
  /** Natural key of the record the damaged line came from (absent for an inserted line). */
  readonly key?: string;
}

const optionsSchema = z
  .object({
    seed: z.int().min(0).max(4_294_967_295),
    /** Share of rows (and of files, for file defects) with a defect, spread over the kinds that apply. */
    rate: z.number().min(0).max(1).default(0),
    rates: z.partialRecord(z.enum(LAYOUT_DEFECT_KINDS), z.number().min(0).max(1)).default({}),
  })
  .strict();

export type LayoutFeedOptions = z.input<typeof optionsSchema>;

/** A file written through a layout, and what was done to it. */
export interface LayoutFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly defects: readonly LayoutDefect[];
}

/** Writes records as legacy files of a layout, with declared defects. */
export interface LayoutFeed {
  file(records: readonly Readonly<Record<string, unknown>>[], name: string): LayoutFile;
  /** Every defect injected so far, file by file. */
  readonly manifest: readonly LayoutDefect[];
}

const FILE_SALT = 0x66696c65;

/**
 * A legacy feed in a real layout: each call writes one file in the layout's encoding, with its
 * header and trailer, and injects defects at the configured rates. Instants are written at the
 * layout's precision, as the legacy system would (`HH:mm` drops the seconds). Decisions depend
 * on (seed, record ordinal) and (seed, file ordinal), not on how records are cut into files.
 * @example
 * const feed = createLayoutFeed(posFr, { seed: 7, rate: 0.02 });
 * const { bytes, defects } = feed.file(batch.records, "caisse-20261101T08.csv");
 */
export function createLayoutFeed(layout: LegacyLayout, input: LayoutFeedOptions): LayoutFeed {
  const options = optionsSchema.parse(input);
  const entity = layout.target;
  const manifest: LayoutDefect[] = [];
  const kinds = LAYOUT_DEFECT_KINDS.filter((k) => applies(layout, k));
  const rowKinds = kinds.filter((k) => !FILE_KINDS.includes(k));
  const fileKinds = kinds.filter((k) => FILE_KINDS.includes(k));
  const rateOf = (k: LayoutDefectKind, of: readonly LayoutDefectKind[]) =>
    options.rates[k] ?? options.rate / Math.max(1, of.length);
  const choose = (u: number, of: readonly LayoutDefectKind[]) => {
    let total = 0;
    for (const k of of) {
      total += rateOf(k, of);
      if (u < total) return k;
    }
    return undefined;
  };
  const stream = hashKeys(
    0,
    [...layout.name].map((c) => c.charCodeAt(0)),
  );
  let ordinal = 0;
  let files = 0;

  return {
    manifest,
    file(records, name) {
      const writer = createLegacyWriter(layout, { truncateTimestamps: true });
      const rows: Record<string, string>[] = [];
      const planned: {
        row: number;
        defect: LayoutDefectKind;
        reason: string;
        column?: string;
        key?: string;
      }[] = [];
      const stray = new Map<number, Uint8Array>();
      for (const [i, record] of records.entries()) {
        const n = ordinal++;
        const row = writer.row(record, i);
        rows.push(row);
        const kind = choose(unitHash(options.seed, PURPOSE.legacy, stream, n), rowKinds);
        if (!kind) continue;
        const rng = streamFor(options.seed, PURPOSE.legacy, stream, n);
        const key = entity.keyOf(record);
        if (kind === "routed_line") {
          const copy = { ...row };
          const route = rng.pick(layout.reject.filter(routable));
          copy[route.when.field] = route.when.equals ?? route.when.in?.[0] ?? "";
          const first = layout.reject.find((r) => conditionHolds(r.when, copy));
          rows.push(copy);
          planned.push({
            row: rows.length - 1,
            defect: kind,
            reason: first?.reason ?? route.reason,
          });
          continue;
        }
        const damage = damageRow(kind, layout, row, rng);
        if (!damage) continue;
        if (kind === "stray_encoding")
          stray.set(rows.length - 1, encodeText(writer.line(row), "windows-1252"));
        planned.push({ row: rows.length - 1, defect: kind, key, ...damage });
      }
      const fileKind = choose(
        unitHash(options.seed, PURPOSE.legacy, stream, FILE_SALT, files++),
        fileKinds,
      );
      const count = layout.control.find((c) => c.check === "count");
      const overrides =
        fileKind === "wrong_trailer_count" && count
          ? { [count.record]: { [count.field]: String(rows.length + 1) } }
          : {};
      const lines: FileLine[] = writer.lines(rows, {}, overrides);
      const offset = lines.length - rows.length - (layout.records.trailer ? 1 : 0);
      for (const [i, bytes] of stray) lines[offset + i] = bytes;
      const defects: LayoutDefect[] = planned.map(({ row, ...p }) => ({
        file: name,
        line: offset + row + 1,
        ...p,
      }));
      let truncated = false;
      if (fileKind === "truncated_last_line" && rows.length) {
        // A transfer cut mid-line: the last detail line loses its end, and any trailer is gone.
        truncated = true;
        if (layout.records.trailer) lines.pop();
        const last = lines.length - 1;
        lines[last] = cut(layout, String(lines[last]));
        if (!layout.records.trailer) {
          const reason = layout.format.kind === "delimited" ? "field_count" : "truncated";
          for (let i = defects.length - 1; i >= 0; i--)
            if (defects[i]?.line === last + 1) defects.splice(i, 1);
          defects.push({ file: name, defect: fileKind, reason, line: last + 1 });
        }
      }
      if (fileKind === "wrong_trailer_count" && count) {
        defects.push({ file: name, defect: fileKind, reason: "control_count" });
      } else if (fileKind === "truncated_last_line" && layout.records.trailer) {
        defects.push({ file: name, defect: fileKind, reason: "missing_trailer" });
      }
      manifest.push(...defects);
      return { name, bytes: writer.encode(lines, { finalNewline: !truncated }), defects };
    },
  };
}

const routable = (r: LegacyLayout["reject"][number]) =>
  r.when.equals !== undefined || r.when.in !== undefined;

function fieldOf(layout: LegacyLayout, column: string): string | undefined {
  const m = layout.columns[column] as ColumnMapping;
  return "field" in m ? m.field : undefined;
}

/** Columns read from one field with this kind of parser. */
function columnsWith(layout: LegacyLayout, type: Parser["type"][]): string[] {
  return layout.target.columns
    .map((c) => c.name)
    .filter(
      (c) => fieldOf(layout, c) !== undefined && type.includes((layout.parsers[c] as Parser).type),
    );
}

/** Key columns that can be blanked without renumbering the lines after them. */
function blankableKeys(layout: LegacyLayout): string[] {
  const within = new Set(
    Object.values(layout.columns).flatMap((m) =>
      "derive" in m && m.derive === "line_number" ? m.within : [],
    ),
  );
  return (layout.target.key as readonly string[]).filter(
    (k) => fieldOf(layout, k) !== undefined && !within.has(k),
  );
}

function applies(layout: LegacyLayout, kind: LayoutDefectKind): boolean {
  switch (kind) {
    case "null_key":
      return blankableKeys(layout).length > 0;
    case "bad_date":
      return columnsWith(layout, ["date", "timestamp"]).length > 0;
    case "bad_number":
      return columnsWith(layout, ["decimal"]).length > 0;
    case "unknown_code":
      return columnsWith(layout, ["code"]).length > 0;
    case "routed_line":
      return layout.reject.some(routable);
    case "stray_encoding":
      // Bytes of another single-byte code page are valid in any single-byte code page: only a
      // UTF-8 file can tell. Windows-1252 bytes in a UTF-8 file are the case that happens.
      return layout.encoding.startsWith("utf-8") && columnsWith(layout, ["text"]).length > 0;
    case "wrong_trailer_count":
      return layout.control.some((c) => c.check === "count");
    case "truncated_last_line":
      return true;
  }
}

/** Damages one row in place; the column and reason the reader will give, or null if it cannot. */
function damageRow(
  kind: LayoutDefectKind,
  layout: LegacyLayout,
  row: Record<string, string>,
  rng: ReturnType<typeof streamFor>,
): { reason: string; column: string } | null {
  const pick = (columns: string[]) => rng.pick(columns);
  switch (kind) {
    case "null_key": {
      const column = pick(blankableKeys(layout));
      row[fieldOf(layout, column) as string] = "";
      return { reason: "invalid", column };
    }
    case "bad_date": {
      // A month the system cannot have written, in place: the line keeps its width.
      const column = pick(columnsWith(layout, ["date", "timestamp"]));
      const { format } = layout.parsers[column] as Extract<Parser, { format: string }>;
      const field = fieldOf(layout, column) as string;
      const text = row[field] ?? "";
      const at = format.indexOf("MM");
      if (text.length !== format.length) return null;
      row[field] = `${text.slice(0, at)}13${text.slice(at + 2)}`;
      return { reason: "unparseable", column };
    }
    case "bad_number": {
      // The other decimal separator, where it cannot pass for a thousands separator.
      const other = (p: Extract<Parser, { type: "decimal" }>) =>
        p.decimalSeparator === "," ? "." : ",";
      const candidates = columnsWith(layout, ["decimal"]).filter((c) => {
        const p = layout.parsers[c] as Extract<Parser, { type: "decimal" }>;
        const text = row[fieldOf(layout, c) as string] ?? "";
        return (
          !p.impliedDecimals &&
          p.thousandsSeparator !== other(p) &&
          text.includes(p.decimalSeparator)
        );
      });
      if (!candidates.length) return null;
      const column = pick(candidates);
      const p = layout.parsers[column] as Extract<Parser, { type: "decimal" }>;
      const field = fieldOf(layout, column) as string;
      row[field] = (row[field] as string).replace(p.decimalSeparator, other(p));
      return { reason: "unparseable", column };
    }
    case "unknown_code": {
      const column = pick(columnsWith(layout, ["code"]));
      const map = (layout.parsers[column] as Extract<Parser, { type: "code" }>).map;
      let code = "ZZ";
      while (Object.hasOwn(map, code)) code += "Z";
      row[fieldOf(layout, column) as string] = code;
      return { reason: "unparseable", column };
    }
    case "stray_encoding": {
      const column = pick(columnsWith(layout, ["text"]));
      const field = fieldOf(layout, column) as string;
      row[field] = `${row[field] ?? ""}é`;
      return { reason: "bad_encoding", column };
    }
    default:
      return null;
  }
}

function cut(layout: LegacyLayout, line: string): string {
  if (layout.format.kind === "delimited") {
    const at = line.indexOf(layout.format.delimiter);
    return at < 0 ? line.slice(0, Math.ceil(line.length / 2)) : line.slice(0, at + 1);
  }
  return line.slice(0, Math.ceil(line.length / 2));
}
