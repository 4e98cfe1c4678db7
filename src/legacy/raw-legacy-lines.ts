/**
 * The physical lines of a legacy file, the way a dumb faithful loader (Snowpipe's COPY with the
 * layout's file format) sees them: decompressed, BOM dropped, cut at LF, each line decoded with
 * invalid bytes replaced. The TypeScript reader cuts its lines here too, so both paths number
 * and count the same lines.
 */
import { gunzipSync } from "node:zlib";
import type { LegacyLayout } from "./define-legacy-layout.js";
import { decodeLineLossy, hasUtf8Bom } from "./text-encoding.js";

/** A file that cannot be cut into lines at all (today: declared gzip, and it is not). */
export class LegacyFileError extends Error {
  override readonly name = "LegacyFileError";
  constructor(
    /** `bad_compression`: the same reason `readLegacyFile` rejects the file with. */
    readonly reason: "bad_compression",
    message: string,
  ) {
    super(message);
  }
}

/** What of a layout the line cutting needs. */
export type LineLayout = Pick<LegacyLayout, "compression" | "encoding">;

/** One physical line: its 1-based number (METADATA$FILE_ROW_NUMBER) and its bytes without LF/CR. */
export interface PhysicalLine {
  readonly number: number;
  readonly bytes: Uint8Array;
}

/** One RAW legacy row: the physical line number and its text. */
export interface RawLegacyLine {
  readonly line: number;
  readonly text: string;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The bytes lines are cut from: gunzipped when the layout says gzip, a UTF-8 BOM dropped.
 * @throws LegacyFileError `bad_compression` when gzip is declared and the bytes are not gzip.
 */
export function lineBytesOf(layout: LineLayout, input: Uint8Array): Uint8Array {
  let bytes = input;
  if (layout.compression === "gzip") {
    try {
      bytes = gunzipSync(input);
    } catch (error) {
      throw new LegacyFileError("bad_compression", `not gzip: ${(error as Error).message}`);
    }
  }
  return layout.encoding.startsWith("utf-8") && hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
}

/** Splits bytes into lines at LF (and drops the CR of CRLF); a last line without LF still counts. */
export function* physicalLines(bytes: Uint8Array): Generator<PhysicalLine> {
  let start = 0;
  let number = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(LF, start);
    const next = end < 0 ? bytes.length : end + 1;
    if (end < 0) end = bytes.length;
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
    yield { number: ++number, bytes: bytes.subarray(start, stop) };
    start = next;
  }
}

/**
 * Every physical line of a legacy file as text, blank lines kept (text ""), numbered from 1:
 * exactly the rows the RAW legacy table holds for the file, locally and in Snowflake.
 * @throws LegacyFileError `bad_compression` when gzip is declared and the bytes are not gzip.
 * @example
 * rawLegacyLines(posFr, readFileSync("caisse-20261101.csv")).lines;
 * // [{ line: 1, text: "ENT;20261101;..." }, { line: 2, text: "..." }, ...]
 */
export function rawLegacyLines(layout: LineLayout, bytes: Uint8Array): { lines: RawLegacyLine[] } {
  // One decode of the whole file, then a split: the same as decoding each physical line (LF is
  // 0x0A in every encoding here, and it ends any invalid UTF-8 sequence before it; the property
  // test holds it to `physicalLines`), and 2.3x faster than a decoder call per line (200,000
  // French POS lines, best of 5: 473 ms against 1,070 ms, on a loaded machine).
  const text = decodeLineLossy(lineBytesOf(layout, bytes), layout.encoding);
  if (text === "") return { lines: [] };
  const parts = text.split("\n");
  if (text.endsWith("\n")) parts.pop();
  return {
    lines: parts.map((part, i) => ({
      line: i + 1,
      text: part.endsWith("\r") ? part.slice(0, -1) : part,
    })),
  };
}
