import type { z } from "zod";
import type { Column } from "./column.js";

/**
 * A per-record check compiled from an entity's column model (type, nullability, enum values,
 * bounds, patterns). It is never looser than the entity's zod schema: a column it cannot fully
 * express (a string with no pattern or enum, a decimal beyond float precision) is checked with
 * that field's own zod schema. It may be stricter (timestamps must be in `toISOString` form):
 * `entity.check` falls back to zod when it says no, so only zod's verdict ever rejects, and zod
 * writes every error message. It exists because zod alone validated ~50k sale lines/s here,
 * slower than the Parquet encoder it feeds.
 */
export type RecordCheck = (record: unknown) => boolean;

/** What the check is compiled from: an entity's columns and its zod object schema. */
export interface CheckedShape {
  readonly columns: readonly Column[];
  readonly schema: z.ZodObject<z.ZodRawShape>;
}

const NOTHING_YET = Symbol("no value accepted yet");
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** Compiles the fast check of an entity's records; `defineEntity` does it once per entity. */
export function compileRecordCheck(entity: CheckedShape): RecordCheck {
  const names = entity.columns.map((c) => c.name);
  const checks = compileValueChecks(entity);
  const count = names.length;
  return (record) => {
    if (record === null || typeof record !== "object") return false;
    const r = record as Record<string, unknown>;
    if (Object.keys(r).length !== count) return false;
    for (let i = 0; i < count; i++) {
      const value = r[names[i] as string];
      if (value === undefined || !(checks[i] as (v: unknown) => boolean)(value)) return false;
    }
    return true;
  };
}

/**
 * The record check's verdict on one value of each column (null included), in column order: what
 * the columnar check of a `ColumnBatch` asks of its strings.
 */
export function compileValueChecks(entity: CheckedShape): ((v: unknown) => boolean)[] {
  return entity.columns.map((c) => columnCheck(entity, c));
}

/** The inclusive bounds the check puts on an `int` column: the column's, within int32. */
export function intBounds(column: Column): { min: number; max: number } {
  return {
    min: Math.max(-2147483648, (column.min as number | undefined) ?? -2147483648),
    max: Math.min(2147483647, (column.max as number | undefined) ?? 2147483647),
  };
}

/** The inclusive bounds of a decimal column at `scale`, in units of 10^-scale. */
export function decimalUnitBounds(column: Column, scale: number): { min: number; max: number } {
  const factor = 10 ** scale;
  return {
    min: column.min === undefined ? -Infinity : Math.round(Number(column.min) * factor),
    max: column.max === undefined ? Infinity : Math.round(Number(column.max) * factor),
  };
}

function columnCheck(entity: CheckedShape, column: Column): (v: unknown) => boolean {
  const check = typeCheck(entity, column);
  return column.nullable ? (v) => v === null || check(v) : check;
}

function typeCheck(entity: CheckedShape, column: Column): (v: unknown) => boolean {
  const type = column.type;
  switch (type.kind) {
    case "int": {
      const { min, max } = intBounds(column);
      return (v) => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;
    }
    case "boolean":
      return (v) => typeof v === "boolean";
    case "date":
      return (v) => typeof v === "string" && DATE.test(v) && dayExists(v);
    case "timestamp":
      return (v) => typeof v === "string" && INSTANT.test(v) && dayExists(v);
    case "decimal": {
      if (type.precision > 15) return fieldSchema(entity, column);
      const { min, max } = decimalUnitBounds(column, type.scale);
      return decimalCheck(type.precision, type.scale, min, max);
    }
    default: {
      if (column.values) {
        const values = new Set(column.values);
        return (v) => typeof v === "string" && values.has(v);
      }
      // A plain string whose checks are all patterns and length limits is fully described here;
      // anything else (refinements, transforms) is left to the field's zod schema.
      const limits = stringLimits(entity, column);
      if (!limits) return fieldSchema(entity, column);
      const { minLength, maxLength } = limits;
      const patterns = (column.patterns ?? []).map(patternTest);
      const [only] = patterns;
      const matches: (v: string) => boolean =
        patterns.length === 0
          ? () => true
          : patterns.length === 1 && only
            ? only
            : (v) => patterns.every((test) => test(v));
      // The last value accepted is accepted again without its patterns: records come in runs
      // that share one (a ticket's lines, its number), and the check is the value's alone.
      let accepted: unknown = NOTHING_YET;
      return (v) => {
        if (v === accepted) return true;
        if (typeof v !== "string" || v.length < minLength || v.length > maxLength || !matches(v))
          return false;
        accepted = v;
        return true;
      };
    }
  }
}

/**
 * `RegExp.test` of a column's pattern, with the unicode flag only where the pattern needs it
 * (\p{...}): plain patterns match faster.
 */
function patternTest(pattern: string): (v: string) => boolean {
  const regex = new RegExp(pattern, pattern.includes("\\p") ? "u" : "");
  return (v) => regex.test(v);
}

/**
 * A decimal of at most 15 digits as text, checked as `decimalPattern(precision, scale)` matches
 * and its units (the value times 10^scale) bounded by `min`..`max`, by one scan of its
 * characters instead of the pattern and `Number()`: the largest cost of the check in a profile
 * of `generate`. The units it sums are exact (below 10^15 < 2^53), as
 * `Math.round(Number(v) * 10 ** scale)` is for such a text.
 */
export function decimalCheck(
  precision: number,
  scale: number,
  min: number,
  max: number,
): (v: unknown) => boolean {
  const intDigits = precision - scale;
  return (v) => {
    if (typeof v !== "string") return false;
    const n = v.length;
    const negative = n > 0 && v.charCodeAt(0) === 45; // "-"
    const start = negative ? 1 : 0;
    let i = start;
    let units = 0;
    for (; i < n; i++) {
      const c = v.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      units = units * 10 + c;
    }
    const digits = i - start;
    // The integer part: "0", or up to intDigits digits without a leading zero ("0" only when
    // the scale takes every digit).
    if (digits === 0 || digits > Math.max(1, intDigits)) return false;
    if (digits > 1 && v.charCodeAt(start) === 48) return false;
    if (intDigits <= 0 && units !== 0) return false;
    if (scale > 0) {
      if (v.charCodeAt(i) !== 46 || n - i - 1 !== scale) return false; // "." and scale digits
      for (i++; i < n; i++) {
        const c = v.charCodeAt(i) - 48;
        if (c < 0 || c > 9) return false;
        units = units * 10 + c;
      }
    } else if (i !== n) return false;
    const signed = negative ? -units : units;
    return signed >= min && signed <= max;
  };
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether the `YYYY-MM-DD` the text starts with is a real calendar day (29 Feb on leap years). */
function dayExists(v: string): boolean {
  const month = (v.charCodeAt(5) - 48) * 10 + (v.charCodeAt(6) - 48);
  const day = (v.charCodeAt(8) - 48) * 10 + (v.charCodeAt(9) - 48);
  if (day <= 28) return true;
  if (day > (MONTH_DAYS[month - 1] as number)) return false;
  if (month !== 2 || day !== 29) return true;
  const year = Number(v.slice(0, 4));
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
}

interface ZodDef {
  _zod: {
    def: {
      type: string;
      /** Set on string formats (z.email(), z.uuid()...), which are checks themselves. */
      format?: string;
      innerType?: ZodDef;
      checks?: { _zod: { def: CheckDef } }[];
    };
  };
}

/**
 * The length limits of a string field (unwrapped from nullable) whose every check is a pattern
 * or a length limit; null for anything else, which only zod can check.
 */
export function stringLimits(
  entity: CheckedShape,
  column: Column,
): { minLength: number; maxLength: number } | null {
  let schema = entity.schema.shape[column.name] as unknown as ZodDef;
  while (schema._zod.def.type === "nullable" || schema._zod.def.type === "optional") {
    schema = schema._zod.def.innerType as ZodDef;
  }
  if (schema._zod.def.type !== "string" || schema._zod.def.format !== undefined) return null;
  let minLength = 0;
  let maxLength = Number.POSITIVE_INFINITY;
  for (const { _zod } of schema._zod.def.checks ?? []) {
    const def = _zod.def;
    if (def.check === "string_format" && def.format === "regex") continue;
    if (def.check === "min_length") minLength = Math.max(minLength, def.minimum ?? 0);
    else if (def.check === "max_length") maxLength = Math.min(maxLength, def.maximum ?? maxLength);
    else if (def.check === "length_equals") {
      minLength = Math.max(minLength, def.length ?? 0);
      maxLength = Math.min(maxLength, def.length ?? maxLength);
    } else return null;
  }
  return { minLength, maxLength };
}

function fieldSchema(entity: CheckedShape, column: Column): (v: unknown) => boolean {
  const schema = entity.schema.shape[column.name] as unknown as {
    safeParse(v: unknown): { success: boolean };
  };
  return (v) => schema.safeParse(v).success;
}
