import fc from "fast-check";
import { expect, test } from "vitest";
import { columnBatchRecords, saleLine, Utf8Builder } from "../../src/entities/index.js";
import { isAscii, utf16Length } from "../../src/entities/utf8-column.js";

// A "utf8" column built piece by piece means the strings those pieces make: what
// columnBatchRecords reads back, what isAscii and utf16Length say of its bytes.

type Piece =
  | { ascii: string }
  | { text: string }
  | { digits: number; width: number }
  | { raw: string };
const textOf = (p: Piece): string =>
  "ascii" in p
    ? p.ascii
    : "text" in p
      ? p.text
      : "raw" in p
        ? p.raw
        : String(p.digits).padStart(p.width, "0");

const pieces: fc.Arbitrary<Piece> = fc.oneof(
  fc.string({ maxLength: 6 }).map((ascii) => ({ ascii })),
  // Beyond ASCII: accents, CJK, astral characters (two UTF-16 units); no lone surrogates,
  // which TextEncoder writes as U+FFFD.
  fc.string({ unit: "grapheme", maxLength: 4 }).map((text) => ({ text })),
  fc.string({ unit: "grapheme-ascii", maxLength: 4 }).map((text) => ({ ascii: `é${text}` })),
  fc.record({
    digits: fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer({ min: -50, max: 50 }), fc.double()),
    width: fc.integer({ min: 0, max: 9 }),
  }),
  fc.string({ unit: "grapheme-ascii", maxLength: 5 }).map((raw) => ({ raw })),
);
const rows = fc.array(fc.option(fc.array(pieces, { maxLength: 4 }), { freq: 4 }), {
  maxLength: 60,
});

test("a built column reads back as the strings its pieces make, nulls included", () => {
  fc.assert(
    fc.property(rows, fc.integer({ min: 0, max: 30 }), (table, bytesPerRow) => {
      const builder = new Utf8Builder(table.length, bytesPerRow);
      const encoder = new TextEncoder();
      for (const row of table) {
        if (row === null) {
          builder.ascii("dropped");
          builder.nullRow();
          continue;
        }
        for (const p of row) {
          if ("ascii" in p) builder.ascii(p.ascii);
          else if ("text" in p) builder.text(p.text);
          else if ("raw" in p) builder.raw(encoder.encode(p.raw));
          else builder.digits(p.digits, p.width);
        }
        builder.endRow();
      }
      const column = builder.build();
      const expected = table.map((row) => (row === null ? null : row.map(textOf).join("")));
      // As the customer_id column of sale lines (a nullable string): every other column unread.
      const records = columnBatchRecords({
        entity: saleLine,
        window: { from: "2026-11-01T00:00:00.000Z", to: "2026-11-02T00:00:00.000Z" },
        length: table.length,
        columns: saleLine.columns.map((c) =>
          c.name === "customer_id"
            ? column
            : c.type.kind === "string"
              ? { kind: "string", values: [] }
              : c.type.kind === "boolean"
                ? { kind: "boolean", values: new Uint8Array(0) }
                : ({ kind: c.type.kind, values: new Float64Array(table.length) } as never),
        ),
      });
      expect(records.map((r) => r.customer_id)).toEqual(expected);
      const { bytes, offsets } = column;
      expected.forEach((value, i) => {
        const start = offsets[i] as number;
        const end = offsets[i + 1] as number;
        expect(utf16Length(bytes, start, end)).toBe(value?.length ?? 0);
        expect(isAscii(bytes, start, end)).toBe(/^[\0-\x7f]*$/.test(value ?? ""));
      });
    }),
    { numRuns: 300 },
  );
});

test("isAscii reads every byte of a long range, at any alignment", () => {
  const bytes = new Uint8Array(300).fill(0x41);
  for (const high of [0, 3, 64, 65, 150, 298, 299]) {
    bytes[high] = 0xc3;
    for (const start of [0, 1, 2, 3])
      expect(isAscii(bytes, start, 300), `${high} from ${start}`).toBe(high < start);
    bytes[high] = 0x41;
  }
});

test("a builder says what is wrong with its rows", () => {
  const builder = new Utf8Builder(1);
  expect(() => builder.build()).toThrow("a Utf8Builder of 1 rows has 0 ended");
  builder.ascii("x").endRow();
  expect(() => builder.endRow()).toThrow("a Utf8Builder of 1 rows is full");
});
