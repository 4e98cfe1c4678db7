import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Column } from "../../src/entities/index.js";
import { recordTextSize } from "../../src/lake/record-size.js";

const column = (name: string): Column =>
  ({ name, type: { kind: "string" }, nullable: true, description: "", pii: false }) as Column;
const columns = [column("a")];
// What the size is defined as: one separator per column plus each value as text.
const asText = (value: unknown) => 1 + (value == null ? 0 : String(value).length);

describe("recordTextSize", () => {
  it("counts a value as the length of its text, whatever its type", () => {
    const edges: unknown[] = [
      0,
      -0,
      1,
      -1,
      9,
      10,
      99,
      100,
      -100,
      999_999_999_999_999,
      -999_999_999_999_999,
      1e15,
      -1e15,
      1e21,
      2 ** 53,
      0.5,
      -0.25,
      1e-7,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      false,
      null,
      undefined,
      "",
      "abc",
      12n,
    ];
    for (const value of edges)
      expect(recordTextSize(columns, { a: value }), String(value)).toBe(asText(value));
  });

  it("agrees with String() on any integer, double and string", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
          fc.maxSafeInteger(),
          fc.double(),
          fc.string(),
        ),
        (value) => recordTextSize(columns, { a: value }) === asText(value),
      ),
    );
  });

  it("adds the columns of a record, missing ones as empty", () => {
    const record = { a: 123, b: "xy" };
    expect(recordTextSize([column("a"), column("b"), column("c")], record)).toBe(4 + 3 + 1);
  });
});
