import fc from "fast-check";
import { expect, test } from "vitest";
import { cdfGuide, searchCdf, searchGuided } from "../../src/generators/demand.js";

// A guided draw is the binary search's draw, whatever the weights: zero weights (repeated
// cumulative values), a few heavy products among many light ones, draws on a bucket's bound.

const cdfs = fc
  .array(fc.oneof(fc.constant(0), fc.double({ min: 1e-9, max: 1, noNaN: true })), {
    minLength: 1,
    maxLength: 3_000,
  })
  .filter((weights) => weights.some((w) => w > 0))
  .map((weights) => {
    const total = weights.reduce((a, b) => a + b, 0);
    let sum = 0;
    return Float64Array.from(weights, (w) => {
      sum += w;
      return sum / total;
    });
  });

const draws = fc.oneof(
  fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  fc.integer({ min: 0, max: 2047 }).map((b) => b / 2048),
);

test("a draw searched from the cdf's guide is the binary search's draw", () => {
  fc.assert(
    fc.property(cdfs, fc.array(draws, { minLength: 1, maxLength: 50 }), (cdf, us) => {
      const guide = cdfGuide(cdf);
      for (const u of [...us, ...Array.from(cdf.subarray(0, 20))].filter((u) => u < 1))
        expect(searchGuided(cdf, guide, u)).toBe(searchCdf(cdf, u));
    }),
    { numRuns: 300 },
  );
});

test("a draw outside [0, 1) falls back to the binary search", () => {
  const cdf = Float64Array.from([0.25, 0.5, 1]);
  const guide = cdfGuide(cdf);
  for (const u of [1, 1.5, -0.1, Number.NaN])
    expect(searchGuided(cdf, guide, u)).toBe(searchCdf(cdf, u));
});
