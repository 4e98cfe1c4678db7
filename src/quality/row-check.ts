import { type Column, type TimeWindow, toUnits } from "../entities/index.js";
import { KeyIndex } from "./key-index.js";
import { QualityError, RuleDefinitionError } from "./quality-error.js";
import { type AnyRecord, type Bound, columnOfEntity, type Rule } from "./rule.js";

/** What a record is checked against besides itself: the window of the batch it came in. */
export interface RowContext {
  readonly window?: TimeWindow;
  readonly row: number;
  readonly file?: string;
}

/** Judges one record: a failure message, or `undefined` when it passes. */
export type RowCheck = (record: AnyRecord, context: RowContext) => string | undefined;

/** Key sets of referenced entities, by entity name, for `relationships` rules. */
export type ReferenceKeys = Readonly<Record<string, ReadonlySet<string>>>;

/**
 * Compiles a row rule to its in-stream check. `unique` holds a `KeyIndex` (5-11 bytes of memory
 * per distinct key, the keys themselves in a temporary file past 8 MiB); `relationships` reads
 * a key set the caller holds (a `Set<string>`, 60-100 bytes per parent key). Every other check
 * is stateless.
 */
export function rowCheckOf(rule: Rule, references: ReferenceKeys): RowCheck {
  const spec = rule.spec;
  const entity = rule.entity;
  switch (spec.kind) {
    case "not_null":
      return (r) =>
        r[spec.column] === null || r[spec.column] === undefined
          ? `${spec.column} is null`
          : undefined;
    case "accepted_values": {
      const values = new Set(spec.values);
      const column = columnOfEntity(entity, rule.name, spec.column);
      return (r) => {
        const v = r[spec.column];
        if (v === null || v === undefined) return undefined;
        return typeof v === "string" && values.has(v)
          ? undefined
          : `${spec.column} ${show(column, v)} is not one of ${spec.values.join(", ")}`;
      };
    }
    case "range":
      return rangeCheck(columnOfEntity(entity, rule.name, spec.column), spec.min, spec.max);
    case "regex": {
      const re = compilePattern(spec.pattern);
      const column = columnOfEntity(entity, rule.name, spec.column);
      return (r) => {
        const v = r[spec.column];
        if (v === null || v === undefined) return undefined;
        return typeof v === "string" && re.test(v)
          ? undefined
          : `${spec.column} ${show(column, v)} does not match /${spec.pattern}/`;
      };
    }
    case "relationships": {
      const keys = references[spec.to];
      if (!keys) {
        throw new RuleDefinitionError(
          entity.name,
          rule.name,
          `needs the keys of "${spec.to}": pass them as references: { ${spec.to}: [...] } to the evaluator`,
        );
      }
      const column = columnOfEntity(entity, rule.name, spec.column);
      return (r) => {
        const v = r[spec.column];
        if (v === null || v === undefined) return undefined;
        return keys.has(String(v))
          ? undefined
          : `${spec.column} ${show(column, v)} is not a ${spec.to}.${spec.field}`;
      };
    }
    case "freshness": {
      const column = columnOfEntity(entity, rule.name, spec.column);
      const isDate = column.type.kind === "date";
      const maxAgeMs = spec.maxAgeSeconds * 1000;
      const { reference: ref } = spec;
      const fixed = typeof ref === "string" ? undefined : Date.parse(ref.at);
      return (r, context) => {
        const v = r[spec.column];
        if (v === null || v === undefined) return undefined;
        const t = isDate ? instantOf(`${v}T00:00:00Z`) : instantOf(v);
        if (t === undefined)
          return `${spec.column} ${show(column, v)} is not a ${column.type.kind}`;
        const bound = ref === "window_start" ? context.window?.from : context.window?.to;
        const reference = fixed ?? (bound === undefined ? undefined : Date.parse(bound));
        if (reference === undefined) {
          throw new QualityError(
            entity.name,
            rule.name,
            `${rule.name}: freshness against "${String(ref)}" needs the batch window (row ${context.row})`,
            context.row,
            context.file,
          );
        }
        return reference - t > maxAgeMs
          ? `${spec.column} ${show(column, v)} is more than ${spec.maxAgeSeconds}s older than ${new Date(reference).toISOString()}`
          : undefined;
      };
    }
    case "unique": {
      const index = new KeyIndex();
      const { columns } = spec;
      // The key's parts, reused: a type letter, the value, a separator per column.
      const parts: string[] = [];
      return (r) => {
        let n = 0;
        for (const c of columns) {
          const v = r[c];
          if (v === null || v === undefined) return undefined;
          // A type letter keeps 1 and "1" apart; a value holding the separator is JSON-quoted.
          const text = typeof v === "string" ? v : String(v);
          parts[n++] = typeof v === "string" ? "s" : "n";
          parts[n++] = text.includes("\u0000") ? JSON.stringify(text) : text;
          parts[n++] = "\u0000";
        }
        return index.addParts(parts, n)
          ? undefined
          : `duplicate ${columns.join(", ")}: an earlier record has the same value`;
      };
    }
    case "expression":
      return (r) => {
        let ok = false;
        try {
          ok = spec.predicate(r) === true;
        } catch {
          ok = false;
        }
        return ok ? undefined : `${rule.name}: ${spec.description}`;
      };
    case "row_count":
      throw new RuleDefinitionError(
        entity.name,
        rule.name,
        "row_count is judged on the whole stream, not a row",
      );
  }
}

/** A JavaScript RegExp for a rule pattern: with the `u` flag when it parses so (`\p{..}`). */
export function compilePattern(pattern: string): RegExp {
  try {
    return new RegExp(pattern, "u");
  } catch {
    return new RegExp(pattern);
  }
}

function rangeCheck(column: Column, min: Bound | undefined, max: Bound | undefined) {
  const { name, type } = column;
  const describe = (v: unknown) => show(column, v);
  // Each kind compares in its own exact domain: integers, decimal units, ms since epoch, text.
  let toComparable: (v: unknown) => number | bigint | string | undefined;
  switch (type.kind) {
    case "int":
      toComparable = (v) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
      break;
    case "decimal": {
      const { scale } = type;
      toComparable = (v) => decimalUnits(v, scale);
      break;
    }
    case "timestamp":
      toComparable = instantOf;
      break;
    default:
      toComparable = (v) => (typeof v === "string" ? v : undefined);
  }
  const lo = min && toComparable(min.value);
  const hi = max && toComparable(max.value);
  return (r: AnyRecord): string | undefined => {
    const v = r[name];
    if (v === null || v === undefined) return undefined;
    const x = toComparable(v);
    if (x === undefined) return `${name} ${describe(v)} is not a ${type.kind}`;
    if (min && lo !== undefined && (min.inclusive ? x < lo : x <= lo)) {
      return `${name} ${describe(v)} is below ${min.inclusive ? "" : "or at "}${min.value}`;
    }
    if (max && hi !== undefined && (max.inclusive ? x > hi : x >= hi)) {
      return `${name} ${describe(v)} is above ${max.inclusive ? "" : "or at "}${max.value}`;
    }
    return undefined;
  };
}

/**
 * Integer units of a decimal text at `scale` (`"-1.5"` at 2 is -150), or undefined when it is
 * not decimal text with at most `scale` decimals. A number while exact (under 10^15 units,
 * the common case and far faster), a bigint beyond: mixed comparisons stay exact in JS.
 */
export function decimalUnits(value: unknown, scale: number): number | bigint | undefined {
  if (typeof value !== "string") return undefined;
  const len = value.length;
  const start = value.charCodeAt(0) === 45 ? 1 : 0;
  if (len === start || len > 60) return undefined;
  const dot = value.indexOf(".");
  const decimals = dot < 0 ? 0 : len - dot - 1;
  if (dot === start || decimals > scale || (dot >= 0 && decimals === 0)) return undefined;
  const digits = len - start - (dot < 0 ? 0 : 1) + scale - decimals;
  // Read the digits straight from the char codes: no substring, no garbage per value.
  let units = 0;
  for (let i = start; i < len; i++) {
    if (i === dot) continue;
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    units = units * 10 + (c - 48);
  }
  if (digits > 15) return toUnits(value, scale);
  units *= 10 ** (scale - decimals);
  return start && units !== 0 ? -units : units;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of an ISO 8601 instant, or undefined. Stricter than `Date.parse`,
 * which reads `"01/11/2026"` as January 11th: a legacy day-first date must fail, not move.
 */
export function instantOf(value: unknown): number | undefined {
  if (typeof value !== "string" || !ISO_INSTANT.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** A value as failure messages show it: PII never leaves the record. */
export function show(column: Pick<Column, "pii">, value: unknown): string {
  if (column.pii) return "<pii>";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
