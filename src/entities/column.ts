import type { z } from "zod";
import { fieldTypes, type LogicalType } from "./logical-type.js";

/** Documentation every column must carry. */
export interface ColumnDoc {
  readonly description: string;
  /** Personal data: masked in Snowflake, never sampled into quality reports. */
  readonly pii?: boolean;
}

/** One column of an entity, in file and table order, derived from the zod schema. */
export interface Column {
  readonly name: string;
  readonly type: LogicalType;
  readonly nullable: boolean;
  readonly description: string;
  readonly pii: boolean;
  /** Accepted values, for enums. */
  readonly values?: readonly string[];
  /** Inclusive bounds: numbers for int, canonical strings for decimal. */
  readonly min?: number | string;
  readonly max?: number | string;
  /** Patterns a string must match (from `z.string().regex()`), as source text. */
  readonly patterns?: readonly string[];
}

/** Renders a logical type the way docs and error messages show it: `decimal(12,2)`. */
export function typeName(type: LogicalType): string {
  return type.kind === "decimal" ? `decimal(${type.precision},${type.scale})` : type.kind;
}

// zod v4 keeps what we need in each schema's definition: its type, format and checks.
interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}
interface ZodInternals {
  _zod: {
    def: {
      type: string;
      format?: string;
      innerType?: z.ZodType;
      entries?: Record<string, string>;
      checks?: { _zod: { def: CheckDef } }[];
    };
  };
}

/**
 * Derives a column from one field of an entity schema.
 * @throws TypeError for a zod type with no logical type (unions, objects, arrays...).
 */
export function columnOf(name: string, field: z.ZodType, doc: ColumnDoc): Column {
  let schema = field as unknown as ZodInternals;
  let nullable = false;
  while (schema._zod.def.type === "nullable" || schema._zod.def.type === "optional") {
    nullable = true;
    schema = schema._zod.def.innerType as unknown as ZodInternals;
  }
  const registered = fieldTypes.get(schema as unknown as z.ZodType);
  const { def } = schema._zod;
  const checks = (def.checks ?? []).map((check) => check._zod.def);
  const base = { name, nullable, description: doc.description, pii: doc.pii ?? false };
  if (registered) {
    return { ...base, type: registered.type, ...bounds(registered.min, registered.max) };
  }
  switch (def.type) {
    case "string":
      return {
        ...base,
        type: { kind: "string" },
        ...patternsOf(checks),
      };
    case "enum":
      return { ...base, type: { kind: "string" }, values: Object.values(def.entries ?? {}) };
    case "boolean":
      return { ...base, type: { kind: "boolean" } };
    case "number":
      if (def.format === "int32") {
        const min = checks.find((c) => c.check === "greater_than" && c.inclusive)?.value;
        const max = checks.find((c) => c.check === "less_than" && c.inclusive)?.value;
        return { ...base, type: { kind: "int" }, ...bounds(min, max) };
      }
      throw new TypeError(
        `column "${name}": numbers must be z.int32() or decimal(p, s); floats are not exact`,
      );
    default:
      throw new TypeError(`column "${name}": zod type "${def.type}" has no logical type`);
  }
}

function bounds(min: number | string | undefined, max: number | string | undefined) {
  return { ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

function patternsOf(checks: readonly CheckDef[]) {
  const patterns = checks.flatMap((c) => (c.pattern ? [c.pattern.source] : []));
  return patterns.length ? { patterns } : {};
}
