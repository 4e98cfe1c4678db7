/**
 * Bytes to text and back for the encodings legacy files use. UTF-8 is Node's TextDecoder with
 * `fatal`, so a byte sequence UTF-8 cannot hold is an error, never a U+FFFD. The single-byte code
 * pages go through iconv-lite: Node's own `TextDecoder("windows-1252")` decodes as Latin-1 since
 * 20.18.3 (nodejs/node#60888: 0x80 comes out as U+0080, not €), and Node has no encoder for them.
 */
import iconv from "iconv-lite";
import type { Encoding } from "./layout-schema.js";

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

// The five bytes Windows-1252 leaves undefined (iconv-lite reads them as U+FFFD): reading one
// means the file is not Windows-1252.
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

const utf8Decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const utf8LossyDecoder = new TextDecoder("utf-8", { ignoreBOM: true });
const ICONV = { "iso-8859-1": "latin1", "windows-1252": "windows-1252" } as const;

/** Text that cannot be written or read in the declared encoding: says where. */
export class EncodingError extends Error {
  override readonly name = "EncodingError";
}

/** Whether the bytes start with a UTF-8 byte-order mark. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return UTF8_BOM.every((b, i) => bytes[i] === b);
}

/**
 * Decodes one line's bytes strictly.
 * @throws EncodingError naming the first offending byte offset.
 * @example
 * decodeLine(Uint8Array.of(0x43, 0x80), "windows-1252"); // "C€"
 */
export function decodeLine(bytes: Uint8Array, encoding: Encoding): string {
  switch (encoding) {
    case "utf-8":
    case "utf-8-bom":
      try {
        return utf8Decoder.decode(bytes);
      } catch {
        throw new EncodingError(`not valid UTF-8 at byte ${firstInvalidUtf8(bytes) + 1}`);
      }
    case "iso-8859-1":
      // Real ISO-8859-1 (every byte is the code point of its number), not the WHATWG label,
      // which means Windows-1252.
      return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "latin1");
    case "windows-1252": {
      const bad = bytes.findIndex((b) => CP1252_UNDEFINED.has(b));
      if (bad >= 0) {
        throw new EncodingError(
          `byte 0x${bytes[bad]?.toString(16)} at ${bad + 1} is undefined in Windows-1252`,
        );
      }
      return iconv.decode(
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        "windows-1252",
      );
    }
  }
}

/**
 * Decodes one line's bytes as Snowflake's `REPLACE_INVALID_CHARACTERS = TRUE` loads them: every
 * byte sequence the encoding cannot hold (and each of the five bytes Windows-1252 leaves
 * undefined) becomes U+FFFD. This is the text of a RAW legacy row; `decodeLine` is the reader's
 * strict verdict on the same bytes.
 * @example
 * decodeLineLossy(Uint8Array.of(0x43, 0x81), "windows-1252"); // "C\uFFFD"
 */
export function decodeLineLossy(bytes: Uint8Array, encoding: Encoding): string {
  if (encoding === "utf-8" || encoding === "utf-8-bom") return utf8LossyDecoder.decode(bytes);
  // iconv-lite already maps Windows-1252's undefined bytes to U+FFFD; Latin-1 has none.
  return iconv.decode(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    ICONV[encoding],
  );
}

/**
 * Encodes text in the declared encoding.
 * @throws EncodingError naming the first character the encoding has no byte for.
 * @example
 * encodeText("€", "windows-1252"); // Uint8Array [0x80]
 */
export function encodeText(text: string, encoding: Encoding): Uint8Array {
  if (encoding === "utf-8" || encoding === "utf-8-bom") return Buffer.from(text, "utf8");
  const bytes = iconv.encode(text, ICONV[encoding]);
  // iconv-lite writes "?" for a character the code page lacks: decode back to find it.
  const back = iconv.decode(bytes, ICONV[encoding]);
  if (back !== text) {
    const chars = [...text];
    const at = [...back].findIndex((ch, i) => ch !== chars[i]);
    const ch = chars[at] as string;
    const code = ch.codePointAt(0) as number;
    throw new EncodingError(
      `${JSON.stringify(ch)} (U+${code.toString(16).toUpperCase().padStart(4, "0")}) has no byte in ${encoding}`,
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The BOM a file in this encoding starts with when written. */
export function preambleOf(encoding: Encoding): Uint8Array {
  return encoding === "utf-8-bom" ? Uint8Array.from(UTF8_BOM) : new Uint8Array(0);
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search for the shortest prefix that fails to decode; good enough for one line.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, mid + 1), {
        stream: true,
      });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}
