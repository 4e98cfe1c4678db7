import fc from "fast-check";
import { expect, test } from "vitest";
import { dateOf, dayNumber } from "../../src/generators/calendar.js";
import { unitHash, unitHash3 } from "../../src/generators/prng.js";

// Both are rewritten by hand for speed (no `Date`, no keys' array): the simulation's records
// depend on them, so they must give exactly what the general forms give.
test("dateOf is the ISO date Date gives, from year 0000 to 9999", () => {
  const first = dayNumber("0000-01-01");
  const last = dayNumber("9999-12-31");
  fc.assert(
    fc.property(fc.integer({ min: first, max: last }), (day) => {
      expect(dateOf(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
    }),
    { numRuns: 2000, examples: [[first], [last], [0], [-1], [dayNumber("2028-02-29")]] },
  );
});

test("unitHash3 is unitHash of three keys", () => {
  const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
  const key = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  fc.assert(
    fc.property(u32, key, key, key, (seed, a, b, c) => {
      expect(unitHash3(seed, a, b, c)).toBe(unitHash(seed, a, b, c));
    }),
    { numRuns: 2000 },
  );
});
