import type { LayoutRecord, LegacyLayout } from "./define-legacy-layout.js";
import type { ControlCheck } from "./layout-schema.js";
import { createRowMapper, type SourceRow } from "./map-row.js";
import { type ExactNumber, readNumber } from "./number-text.js";
import {
  LegacyFileError,
  lineBytesOf,
  type PhysicalLine,
  physicalLines,
} from "./raw-legacy-lines.js";
import { sliceFixed, splitDelimited } from "./record-text.js";
import { decodeLine, decodeLineLossy, EncodingError } from "./text-encoding.js";

/** A row of a legacy file that did not become a record, and why. */
export interface LegacyReject {
  /** `bad_encoding`, `bad_quoting`, `field_count`, `truncated`, `unknown_record_type`, `unparseable`, `invalid`, or a reason the layout names. */
  readonly reason: string;
  /** The entity column at fault, for `unparseable` and `invalid`. */
  readonly column?: string;
  readonly detail: string;
  readonly file: string;
  /** 1-based physical line of the file. */
  readonly line: number;
  /** The line as text, decoded as the RAW legacy table holds it (`rawLegacyLines`: invalid bytes as U+FFFD). */
  readonly raw: string;
}

/** One control figure of a header or trailer against what the file holds. */
export interface ControlResult {
  readonly record: ControlCheck["record"];
  readonly field: string;
  readonly check: ControlCheck["check"];
  /** What the control record says (its text), and what the file adds up to (canonical). */
  readonly declared: string;
  readonly actual: string;
  readonly ok: boolean;
}

/** Why a whole file was rejected: nothing of it is loaded. */
export interface FileRejection {
  /** `bad_compression`, `missing_header`, `header_mismatch`, `missing_trailer`, `control_count`, `control_total`. */
  readonly reason: string;
  readonly detail: string;
}

/** Counts of one file. `detailLines = mapped + rejected + dropped`. */
export interface LegacyFileStats {
  readonly lines: number;
  readonly detailLines: number;
  readonly mapped: number;
  readonly rejected: number;
  readonly dropped: number;
  readonly blankLines: number;
}

/** What a file gave. `records` is empty when the file is rejected: never half-loaded. */
export interface LegacyReadResult {
  readonly file: string;
  readonly layout: string;
  readonly accepted: boolean;
  readonly rejection: FileRejection | undefined;
  readonly records: readonly Record<string, unknown>[];
  readonly rejects: readonly LegacyReject[];
  /** Rows dropped by the layout's `drop` rules, by reason. */
  readonly dropped: Readonly<Record<string, number>>;
  readonly controls: readonly ControlResult[];
  readonly stats: LegacyFileStats;
}

/** What `scanLegacyFile` yields, in file order; `end` comes last and says whether the file stands. */
export type LegacyScanEvent =
  | { readonly type: "record"; readonly record: Record<string, unknown>; readonly line: number }
  | { readonly type: "reject"; readonly reject: LegacyReject }
  | { readonly type: "drop"; readonly reason: string; readonly line: number }
  | {
      readonly type: "end";
      readonly accepted: boolean;
      readonly rejection: FileRejection | undefined;
      readonly controls: readonly ControlResult[];
      readonly stats: LegacyFileStats;
    };

/**
 * Reads a legacy file lazily: records and rejects in file order, then an `end` event saying
 * whether the file passed its control records. A consumer that loads records must hold them
 * until `end` (a file failing its trailer is rejected whole); `readLegacyFile` does that.
 * @example
 * for (const event of scanLegacyFile(layout, bytes, "pos-20261101.csv")) { ... }
 */
export function* scanLegacyFile(
  layout: LegacyLayout,
  input: Uint8Array,
  file = "(bytes)",
): Generator<LegacyScanEvent> {
  const stats = { lines: 0, detailLines: 0, mapped: 0, rejected: 0, dropped: 0, blankLines: 0 };
  const end = (
    rejection: FileRejection | undefined,
    controls: ControlResult[] = [],
  ): LegacyScanEvent => ({
    type: "end",
    accepted: rejection === undefined,
    rejection,
    controls,
    stats: { ...stats },
  });
  let bytes: Uint8Array;
  try {
    bytes = lineBytesOf(layout, input);
  } catch (error) {
    if (!(error instanceof LegacyFileError)) throw error;
    yield end({ reason: error.reason, detail: error.message });
    return;
  }
  const all = [...physicalLines(bytes)];
  stats.lines = all.length;
  const reject = (
    line: PhysicalLine,
    text: string | undefined,
    reason: string,
    detail: string,
    column?: string,
  ): LegacyScanEvent => {
    stats.rejected++;
    return {
      type: "reject",
      reject: {
        reason,
        ...(column ? { column } : {}),
        detail,
        file,
        line: line.number,
        // As the RAW legacy table holds the line, so the dbt rejected model shows the same text.
        raw: text ?? decodeLineLossy(line.bytes, layout.encoding),
      },
    };
  };
  const decode: Decode = (line) => {
    try {
      const text = decodeLine(line.bytes, layout.encoding);
      // U+FFFD in a file is the mark of text mangled before it was written; the RAW table holds
      // an invalid byte as U+FFFD too, so this is the verdict dbt can give from the text alone.
      if (text.includes("\uFFFD"))
        return {
          error: `the line holds U+FFFD, the mark of text mangled before (declared ${layout.encoding})`,
        };
      return { text };
    } catch (error) {
      if (error instanceof EncodingError)
        return { error: `${error.message} (declared ${layout.encoding})` };
      throw error;
    }
  };
  const split = splitterOf(layout);

  const body = all.filter((l) => l.bytes.length > 0);
  stats.blankLines = all.length - body.length;
  const framed = frameOf(layout, body, decode, split);
  if ("reason" in framed) {
    yield end(framed);
    return;
  }
  const { header, trailer, columns } = framed;

  const map = createRowMapper(layout);
  const sums = new Map<string, ExactNumber[]>();
  const totals = layout.control.filter((c) => c.check === "total");
  for (const line of framed.body) {
    stats.detailLines++;
    const decoded = decode(line);
    if ("error" in decoded) {
      yield reject(line, undefined, "bad_encoding", decoded.error);
      continue;
    }
    const { text } = decoded;
    if (layout.records.detail.code !== undefined && !split.hasCode(text, layout.records.detail)) {
      yield reject(
        line,
        text,
        "unknown_record_type",
        `record type ${JSON.stringify(split.codeOf(text))} is not ${layout.records.detail.code}`,
      );
      continue;
    }
    const row = split.record(text, layout.records.detail, columns);
    if (row === undefined || typeof row === "string") {
      const why = row ?? "truncated";
      yield reject(
        line,
        text,
        why,
        why === "truncated"
          ? "the line ends before its last field"
          : why === "bad_quoting"
            ? "a quoted field is never closed"
            : `expected ${columns.length} fields`,
      );
      continue;
    }
    for (const c of totals) {
      const n = readNumber(row[c.sum as string] ?? "", c.format);
      if (n) sums.set(c.field, [...(sums.get(c.field) ?? []), n]);
    }
    const outcome = map(row);
    if (outcome.kind === "record") {
      stats.mapped++;
      yield { type: "record", record: outcome.record, line: line.number };
    } else if (outcome.kind === "drop") {
      stats.dropped++;
      yield { type: "drop", reason: outcome.reason, line: line.number };
    } else {
      yield reject(
        line,
        text,
        outcome.failure.reason,
        outcome.failure.detail,
        outcome.failure.column,
      );
    }
  }
  const controls = layout.control.map((c) =>
    controlResult(
      c,
      c.record === "header" ? header : trailer,
      stats.detailLines,
      sums.get(c.field) ?? [],
    ),
  );
  const failed = controls.find((c) => !c.ok);
  yield end(
    failed && {
      reason: `control_${failed.check}`,
      detail: `the ${failed.record} says ${failed.field} = ${failed.declared}; the file has ${failed.actual}`,
    },
    controls,
  );
}

type Decode = (line: PhysicalLine) => { text: string } | { error: string };
type Splitter = ReturnType<typeof splitterOf>;

/** A file's detail lines between its header line and control records, and those records' fields. */
interface Frame {
  readonly body: readonly PhysicalLine[];
  readonly header: SourceRow | undefined;
  readonly trailer: SourceRow | undefined;
  /** Detail field names in file order: the header line's, or the layout's. */
  readonly columns: readonly string[];
}

/**
 * Takes the skipped lines, the header line and the control records off the ends of a file
 * before any row is mapped; a file whose header or control record is not where the layout says
 * is rejected whole.
 */
function frameOf(
  layout: LegacyLayout,
  lines: readonly PhysicalLine[],
  decode: Decode,
  split: Splitter,
): Frame | FileRejection {
  const body = [...lines];
  let columns: readonly string[] = layout.records.detail.fields;
  const { format } = layout;
  if (format.kind === "delimited") {
    body.splice(0, format.skipLines);
    if (format.header) {
      const first = body.shift();
      const decoded = first && decode(first);
      const names =
        decoded && "text" in decoded
          ? split.delimited(decoded.text)?.map((n) => n.trim())
          : undefined;
      if (!names)
        return { reason: "missing_header", detail: "the file has no readable header line" };
      const missing = layout.records.detail.fields.filter((f) => !names.includes(f));
      if (missing.length) {
        return {
          reason: "header_mismatch",
          detail: `the header lacks ${missing.map((m) => JSON.stringify(m)).join(", ")}; it has ${names.join(", ")}`,
        };
      }
      columns = names;
    }
  }
  const control = (which: "header" | "trailer"): { row: SourceRow | undefined } | FileRejection => {
    const spec = layout.records[which];
    if (!spec) return { row: undefined };
    const line = which === "header" ? body.shift() : body.pop();
    const decoded = line && decode(line);
    const text = decoded && "text" in decoded ? decoded.text : undefined;
    const cut = text === undefined ? undefined : split.record(text, spec, spec.fields);
    const row = typeof cut === "object" ? cut : undefined;
    if (!row || (spec.code !== undefined && !split.hasCode(text as string, spec))) {
      return {
        reason: `missing_${which}`,
        detail: `the ${which} record${spec.code ? ` (${spec.code})` : ""} is not the ${which === "header" ? "first" : "last"} line`,
      };
    }
    return { row };
  };
  const header = control("header");
  if ("reason" in header) return header;
  const trailer = control("trailer");
  if ("reason" in trailer) return trailer;
  return { body, header: header.row, trailer: trailer.row, columns };
}

function controlResult(
  c: ControlCheck,
  row: SourceRow | undefined,
  detailLines: number,
  values: readonly ExactNumber[],
): ControlResult {
  const declaredText = (row?.[c.field] ?? "").trim();
  const declared = readNumber(
    declaredText,
    c.check === "count" ? { ...c.format, impliedDecimals: 0 } : c.format,
  );
  const scale = Math.max(declared?.scale ?? 0, ...values.map((v) => v.scale));
  const at = (n: ExactNumber) => n.units * 10n ** BigInt(scale - n.scale);
  const actual =
    c.check === "count"
      ? { units: BigInt(detailLines), scale: 0 }
      : { units: values.reduce((s, v) => s + at(v), 0n), scale };
  const show = (n: ExactNumber) => {
    const neg = n.units < 0n;
    const digits = (neg ? -n.units : n.units).toString().padStart(n.scale + 1, "0");
    const body = n.scale ? `${digits.slice(0, -n.scale)}.${digits.slice(-n.scale)}` : digits;
    return `${neg ? "-" : ""}${body}`;
  };
  return {
    record: c.record,
    field: c.field,
    check: c.check,
    declared: declaredText,
    actual: show(actual),
    ok: declared !== undefined && at(declared) === at(actual),
  };
}

function splitterOf(layout: LegacyLayout) {
  const { format } = layout;
  const delimited = (text: string) =>
    format.kind === "delimited"
      ? splitDelimited(text, {
          delimiter: format.delimiter,
          quote: format.quote,
          escape: format.escape,
        })
      : undefined;
  const codeOf = (text: string) =>
    format.kind === "fixed-width" && format.recordType
      ? [...text]
          .slice(
            format.recordType.start - 1,
            format.recordType.start - 1 + format.recordType.length,
          )
          .join("")
      : undefined;
  return {
    delimited,
    codeOf,
    hasCode(text: string, record: LayoutRecord): boolean {
      if (format.kind === "fixed-width") return codeOf(text) === record.code;
      return (delimited(text)?.[0] ?? "").trim() === record.code;
    },
    /** The fields of a line by name, or why it could not be cut. */
    record(
      text: string,
      record: LayoutRecord,
      columns: readonly string[],
    ): SourceRow | "bad_quoting" | "field_count" | undefined {
      if (record.slices) return sliceFixed(text, record.slices);
      const fields = delimited(text);
      if (!fields) return "bad_quoting";
      if (fields.length !== columns.length) return "field_count";
      return Object.fromEntries(columns.map((c, i) => [c, fields[i] as string]));
    },
  };
}

/**
 * Reads a whole legacy file: its records (checked against the entity), the rows rejected with
 * reason, file, line and raw text, the control-record results, and the counts. A file that fails
 * a control check, its header or its decompression is rejected whole: `records` is empty and
 * `rejection` says why.
 * @example
 * const result = readLegacyFile(posFr, readFileSync("caisse-20261101.csv"), "caisse-20261101.csv");
 * result.accepted; result.records; result.rejects; // [{ reason: "fee_line", line: 12, raw: "..." }]
 */
export function readLegacyFile(
  layout: LegacyLayout,
  bytes: Uint8Array,
  file = "(bytes)",
): LegacyReadResult {
  const records: Record<string, unknown>[] = [];
  const rejects: LegacyReject[] = [];
  const dropped: Record<string, number> = {};
  for (const event of scanLegacyFile(layout, bytes, file)) {
    if (event.type === "record") records.push(event.record);
    else if (event.type === "reject") rejects.push(event.reject);
    else if (event.type === "drop") dropped[event.reason] = (dropped[event.reason] ?? 0) + 1;
    else
      return {
        file,
        layout: layout.name,
        accepted: event.accepted,
        rejection: event.rejection,
        records: event.accepted ? records : [],
        rejects,
        dropped,
        controls: event.controls,
        stats: event.stats,
      };
  }
  throw new Error("unreachable: a scan always ends with an end event");
}
