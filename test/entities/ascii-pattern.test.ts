import fc from "fast-check";
import { expect, test } from "vitest";
import { asciiMatcherOf } from "../../src/entities/ascii-pattern.js";

// The columnar check proves an ASCII id against its column's pattern on the bytes, without the
// string: it must say exactly what the RegExp says of the text, or not compile at all.

const encoder = new TextEncoder();

/** Patterns of the compiled shape, over a small alphabet so that texts often match. */
const atoms = fc.constantFrom("a", "b", "-", "\\d", "[ab]", "[a-c-]", "[^a]", "\\-", "[0-9A-Z-]");
const quantifiers = fc.constantFrom("", "?", "*", "+", "{2}", "{1,3}", "{0,}", "{0}");
const patterns = fc
  .array(fc.tuple(atoms, quantifiers), { minLength: 1, maxLength: 4 })
  .map((steps) => `^${steps.map(([a, q]) => a + q).join("")}$`);
const texts = fc.string({
  unit: fc.constantFrom("a", "b", "c", "-", "0", "7", "Z", "T"),
  maxLength: 8,
});

test("a compiled pattern says what the RegExp says of every ASCII text", () => {
  fc.assert(
    fc.property(patterns, fc.array(texts, { maxLength: 30 }), (source, values) => {
      const matcher = asciiMatcherOf(source);
      expect(matcher, source).toBeDefined();
      const re = new RegExp(source);
      // Every text at an offset into one buffer, as a column holds them.
      const bytes = encoder.encode(`xx${values.join("")}`);
      let at = 2;
      for (const value of values) {
        expect(matcher?.(bytes, at, at + value.length), `${source} on ${value}`).toBe(
          re.test(value),
        );
        at += value.length;
      }
    }),
    { numRuns: 2000 },
  );
});

test("the entities' id patterns compile and match as their RegExp does", () => {
  const cases: [string, string[]][] = [
    [
      "^T[0-9A-Z-]{4,40}$",
      ["T-S001-20261101-000042", "T-S1", "T-S0", "t-S001", `T${"A".repeat(41)}`],
    ],
    ["^C\\d{7}$", ["C0000042", "C000004", "C00000420", "C000004a"]],
    ["^S\\d{3,5}$", ["S001", "S00001", "S000001", "S01"]],
    ["^P\\d{6}$", ["P000123", "P00012", "Q000123"]],
  ];
  for (const [source, values] of cases) {
    const matcher = asciiMatcherOf(source);
    const re = new RegExp(source);
    for (const value of values) {
      const bytes = encoder.encode(value);
      expect(matcher?.(bytes, 0, bytes.length), `${source} on ${value}`).toBe(re.test(value));
    }
  }
});

test("what it does not handle is left to the RegExp", () => {
  for (const source of [
    "T[0-9]+$", // not anchored at the start
    "^T[0-9]+", // nor at the end
    "^T[0-9]+\\$", // an escaped dollar is not the anchor
    "^(ab)+$",
    "^a|b$",
    "^a.b$",
    "^\\w+$",
    "^a+?$",
    "^[]a]$",
    "^é+$",
    "^a{3,1}$",
    "^\\p{L}+$",
  ])
    expect(asciiMatcherOf(source), source).toBeUndefined();
});
