import fc from "fast-check";
import { expect, test } from "vitest";
import { entities } from "../../src/entities/index.js";
import { stringPatternMatcher } from "../../src/entities/string-pattern.js";

// Units near every edge a set or a length could get wrong: the classes' ends, syntax, a unit
// beyond ASCII that folds to an ASCII letter in no case here, and a lone surrogate.
const UNITS = [
  "0",
  "9",
  "A",
  "Z",
  "a",
  "z",
  "-",
  "/",
  "_",
  "T",
  "M",
  "C",
  "S",
  "P",
  "é",
  "\u0130",
  "\ud800",
  "\n",
  " ",
  "$",
];
const text = fc.array(fc.constantFrom(...UNITS), { maxLength: 12 }).map((units) => units.join(""));

// Patterns of the shape the matcher takes, and near-misses it must leave to the RegExp.
const atom = fc.constantFrom(
  "T",
  "-",
  "\\d",
  "[0-9A-Z-]",
  "[a-z]",
  "[\\d-z]",
  "\\-",
  "\\/",
  "[A-Z]",
  ".",
  "\\w",
  "[^0-9]",
  "é",
  "(T)",
);
const quantifier = fc.constantFrom("", "?", "*", "+", "{2}", "{1,3}", "{0,}", "{2,}", "*?", "{,2}");
const pattern = fc
  .array(fc.tuple(atom, quantifier), { minLength: 1, maxLength: 4 })
  .map((steps) => `^${steps.map(([a, q]) => a + q).join("")}$`);

test("the matcher gives RegExp.test's verdict on every string, for every pattern it takes", () => {
  let taken = 0;
  fc.assert(
    fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 30 }), (source, texts) => {
      const matcher = stringPatternMatcher(source);
      if (!matcher) return;
      taken++;
      const regex = new RegExp(source);
      for (const t of texts)
        expect(matcher(t), `${source} on ${JSON.stringify(t)}`).toBe(regex.test(t));
    }),
    { numRuns: 2000 },
  );
  // The generator gave the matcher work, not only patterns it leaves to the RegExp.
  expect(taken).toBeGreaterThan(200);
});

test("every id and code pattern of the entities' columns is taken, with RegExp.test's verdict on near-misses", () => {
  // The free-text pattern (names, cities: \p{Cc} classes) is the RegExp's.
  const patterns = Object.values(entities)
    .flatMap((e) => e.columns.flatMap((c) => c.patterns ?? []))
    .filter((source) => !source.includes("\\p"));
  expect(patterns.length).toBeGreaterThan(4);
  for (const source of patterns) {
    const matcher = stringPatternMatcher(source);
    expect(matcher, source).toBeDefined();
    const regex = new RegExp(source);
    const samples = [
      "T-S001-20261101-000042",
      "M-S001-20261101-000001",
      "C0000042",
      "S001",
      "P000123",
      "FR",
      "EUR",
      "T-",
      "c0000042",
      "C000004é",
      "",
      "T-S001\n",
      "EURO",
    ];
    for (const t of samples)
      expect((matcher as (t: string) => boolean)(t), `${source} on ${t}`).toBe(regex.test(t));
  }
});

test("shapes beyond one variable last step are left to the RegExp", () => {
  for (const source of [
    "^a+b+$",
    "^(T)$",
    "^.$",
    "^\\w{2}$",
    "^[^0-9]$",
    "^a|b$",
    "T\\d$",
    "^T\\d",
    "^\\p{L}+$",
    "^a*?$",
  ])
    expect(stringPatternMatcher(source), source).toBeUndefined();
});
