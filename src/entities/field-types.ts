import { z } from "zod";
import { fromUnits, toUnits } from "./decimal.js";
import { type DecimalBounds, decimalPattern, fieldTypes } from "./logical-type.js";

/**
 * Zod field builders for the types plain zod cannot tell apart from a string. Plain zod covers
 * the rest: `z.string()`, `z.int32()`, `z.boolean()`, `z.enum([...])`, `.nullable()`.
 */

/**
 * A fixed-point decimal held as its canonical string.
 * @example
 * const price = decimal(12, 2, { min: "0.00" }); // "19.99" passes, "19.9" and "19,99" fail
 */
export function decimal(precision: number, scale: number, bounds: DecimalBounds = {}) {
  if (!Number.isInteger(precision) || precision < 1 || precision > 38) {
    throw new RangeError(`decimal precision must be 1..38, got ${precision}`);
  }
  if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
    throw new RangeError(`decimal scale must be 0..${precision}, got ${scale}`);
  }
  const example = fromUnits(1234n, scale);
  const pattern = decimalPattern(precision, scale);
  let schema = z.string().regex(pattern, {
    error: `expected decimal(${precision},${scale}) text like "${example}"`,
  });
  const { min, max } = bounds;
  if (min !== undefined || max !== undefined) {
    const lo = min === undefined ? undefined : toUnits(min, scale);
    const hi = max === undefined ? undefined : toUnits(max, scale);
    schema = schema.refine(
      (value) => {
        if (!pattern.test(value)) return true; // the format check above already reported it
        const units = toUnits(value, scale);
        return (lo === undefined || units >= lo) && (hi === undefined || units <= hi);
      },
      { error: `must be between ${min ?? "-inf"} and ${max ?? "+inf"}` },
    );
  }
  return schema.register(fieldTypes, { type: { kind: "decimal", precision, scale }, min, max });
}

/** An ISO calendar date, `"2026-11-01"`. */
export function isoDate() {
  return z.iso.date({ error: 'expected an ISO date like "2026-11-01"' }).register(fieldTypes, {
    type: { kind: "date" },
  });
}

/** An instant in UTC, ISO 8601 with `Z` and up to microseconds: `"2026-11-01T08:15:30.123Z"`. */
export function utcTimestamp() {
  return z.iso
    .datetime({ error: 'expected a UTC timestamp like "2026-11-01T08:15:30.123Z"' })
    .register(fieldTypes, { type: { kind: "timestamp" } });
}

// No surrounding blanks, no control characters, no U+FFFD: the marks a bad encoding or a
// padded legacy fixed-width field leaves behind.
const TEXT = /^[^\s\p{Cc}\uFFFD](?:[^\p{Cc}\uFFFD]*[^\s\p{Cc}\uFFFD])?$/u;

/**
 * Human-readable text: trimmed, printable, at most `maxLength` characters.
 * @example
 * text(100).parse("Paris Bastille"); // ok; " Paris" and "Caf\uFFFD" fail
 */
export function text(maxLength: number) {
  return z.string().max(maxLength).regex(TEXT, {
    error: "must be trimmed printable text (no surrounding blanks, control or U+FFFD characters)",
  });
}
