import fc from "fast-check";
import { expect, test } from "vitest";
import { decimal, divRound, fromUnits, isDecimal, toUnits } from "../../src/entities/index.js";

test("fromUnits and toUnits round-trip any amount at any scale", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
      fc.integer({ min: 0, max: 6 }),
      (units, scale) => {
        const text = fromUnits(units, scale);
        expect(isDecimal(text, 38, scale)).toBe(true);
        expect(toUnits(text, scale)).toBe(units);
      },
    ),
  );
});

test("money arithmetic in units has no float drift", () => {
  // 0.1 + 0.2 style drift: 3 x 19.99 - 0.03 is exactly 59.94
  expect(fromUnits(3n * toUnits("19.99", 2) - toUnits("0.03", 2), 2)).toBe("59.94");
  expect(fromUnits(toUnits("0.10", 2) + toUnits("0.20", 2), 2)).toBe("0.30");
});

test("divRound rounds half away from zero", () => {
  expect([divRound(5n, 2n), divRound(-5n, 2n), divRound(4n, 3n), divRound(-7n, 2n)]).toEqual([
    3n,
    -3n,
    1n,
    -4n,
  ]);
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      fc.bigInt({ min: 1n, max: 10n ** 6n }),
      (n, d) => {
        const q = divRound(n, d);
        // |n - q*d| <= d/2
        const rest = n - q * d;
        expect(2n * (rest < 0n ? -rest : rest) <= d).toBe(true);
      },
    ),
  );
});

test("decimal() rejects impossible precision and scale", () => {
  expect(() => decimal(0, 0)).toThrow(/precision/);
  expect(() => decimal(5, 6)).toThrow(/scale/);
  expect(decimal(5, 4).safeParse("0.2000").success).toBe(true);
  expect(decimal(5, 4).safeParse("1.2").success).toBe(false);
});
