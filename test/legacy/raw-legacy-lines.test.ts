import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import {
  decodeLineLossy,
  encodeText,
  LegacyFileError,
  type RawLegacyLine,
  rawLegacyLines,
  readLegacyFile,
  writeLegacyFile,
} from "../../src/legacy/index.js";
import { lineBytesOf, physicalLines } from "../../src/legacy/raw-legacy-lines.js";

const layout = (
  encoding: "utf-8" | "utf-8-bom" | "iso-8859-1" | "windows-1252",
  compression: "none" | "gzip" = "none",
) => ({ encoding, compression });
const texts = (lines: readonly RawLegacyLine[]) => lines.map((l) => l.text);
const bytes = (...b: number[]) => Uint8Array.from(b);

test("Windows-1252 bytes for é, € and œ come back as those characters", () => {
  const file = encodeText("Crème;1€\r\nBœuf;2€\r\n", "windows-1252");
  expect([...file]).toEqual(expect.arrayContaining([0xe8, 0x80, 0x9c]));
  expect(rawLegacyLines(layout("windows-1252"), file).lines).toEqual([
    { line: 1, text: "Crème;1€" },
    { line: 2, text: "Bœuf;2€" },
  ]);
});

test("the five bytes Windows-1252 leaves undefined become U+FFFD, the rest of the line stays", () => {
  const file = bytes(0x41, 0x81, 0x42, 0x8d, 0x8f, 0x90, 0x9d, 0x80, 0x0a);
  expect(texts(rawLegacyLines(layout("windows-1252"), file).lines)).toEqual([
    "A\uFFFDB\uFFFD\uFFFD\uFFFD\uFFFD€",
  ]);
});

test("ISO-8859-1 maps every byte to its code point (0x80 is U+0080, not €)", () => {
  expect(texts(rawLegacyLines(layout("iso-8859-1"), bytes(0xe9, 0x80)).lines)).toEqual(["é\u0080"]);
});

test("UTF-8 with invalid bytes: each invalid sequence is U+FFFD, never an error", () => {
  // 0xE9 alone (a Windows-1252 é read as UTF-8), a truncated 4-byte sequence, a lone 0xC3 at the end.
  const file = bytes(0x43, 0xe9, 0x0a, 0xf0, 0x9f, 0x41, 0x0a, 0x42, 0xc3);
  expect(rawLegacyLines(layout("utf-8"), file).lines).toEqual([
    { line: 1, text: "C\uFFFD" },
    { line: 2, text: "\uFFFDA" },
    { line: 3, text: "B\uFFFD" },
  ]);
});

test("CRLF and LF both cut lines; blank lines are kept and numbered; a last line without LF counts", () => {
  const file = encodeText("a\r\n\r\nb\n\nc", "utf-8");
  expect(rawLegacyLines(layout("utf-8"), file).lines).toEqual([
    { line: 1, text: "a" },
    { line: 2, text: "" },
    { line: 3, text: "b" },
    { line: 4, text: "" },
    { line: 5, text: "c" },
  ]);
  // The final LF ends the last line: it does not open an empty one. A lone CR stays in the text.
  expect(texts(rawLegacyLines(layout("utf-8"), encodeText("a\rb\n", "utf-8")).lines)).toEqual([
    "a\rb",
  ]);
  expect(rawLegacyLines(layout("utf-8"), new Uint8Array(0)).lines).toEqual([]);
});

test("a UTF-8 BOM is dropped whether the layout says utf-8 or utf-8-bom; only at the start", () => {
  const file = bytes(0xef, 0xbb, 0xbf, 0x61, 0x0a, 0xef, 0xbb, 0xbf, 0x62);
  for (const encoding of ["utf-8", "utf-8-bom"] as const) {
    expect(texts(rawLegacyLines(layout(encoding), file).lines)).toEqual(["a", "\uFEFFb"]);
  }
  // In a single-byte encoding those bytes are text (ï»¿), as the code page says.
  expect(texts(rawLegacyLines(layout("windows-1252"), bytes(0xef, 0xbb, 0xbf)).lines)).toEqual([
    "ï»¿",
  ]);
});

test("gzip is inflated when declared; bytes that are not gzip throw bad_compression", () => {
  const file = gzipSync(encodeText("Crème\r\n\r\nfin", "windows-1252"));
  expect(texts(rawLegacyLines(layout("windows-1252", "gzip"), file).lines)).toEqual([
    "Crème",
    "",
    "fin",
  ]);
  const thrown = (() => {
    try {
      rawLegacyLines(layout("utf-8", "gzip"), encodeText("not gzip\n", "utf-8"));
    } catch (error) {
      return error;
    }
  })();
  expect(thrown).toBeInstanceOf(LegacyFileError);
  expect(thrown).toMatchObject({
    reason: "bad_compression",
    message: expect.stringMatching(/^not gzip: /),
  });
});

test("a French POS file: the header in Windows-1252, then the FIN trailer, as the reader counts them", () => {
  const file = writeLegacyFile(posFr, []);
  const { lines } = rawLegacyLines(posFr, file);
  expect(lines.map((l) => l.line)).toEqual([1, 2]);
  expect(lines[0]?.text).toMatch(/^N° ticket;Date vente;.*;Règlement;Canal$/);
  expect(lines[1]?.text).toMatch(/^FIN;/);
  expect(lines).toHaveLength(readLegacyFile(posFr, file).stats.lines);
});

test("property: the lines are each physical line decoded on its own, for any bytes and encoding", () => {
  // Bytes biased towards what matters: LF, CR, bytes invalid in UTF-8 or Windows-1252, lead bytes.
  const byte = fc.oneof(
    fc.constantFrom(0x0a, 0x0d, 0x81, 0x8d, 0x8f, 0x90, 0x9d, 0x80, 0xc3, 0xe9, 0xef, 0xf0, 0x9f),
    fc.integer({ min: 0, max: 255 }),
  );
  const encoding = fc.constantFrom(
    "utf-8",
    "utf-8-bom",
    "iso-8859-1",
    "windows-1252",
  ) as fc.Arbitrary<"utf-8" | "utf-8-bom" | "iso-8859-1" | "windows-1252">;
  fc.assert(
    fc.property(fc.array(byte, { maxLength: 60 }), encoding, (list, enc) => {
      const file = Uint8Array.from(list);
      const reference = [...physicalLines(lineBytesOf(layout(enc), file))].map((l) => ({
        line: l.number,
        text: decodeLineLossy(l.bytes, enc),
      }));
      expect(rawLegacyLines(layout(enc), file).lines).toEqual(reference);
    }),
    { numRuns: 2000 },
  );
});
