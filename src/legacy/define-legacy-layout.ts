import { entities as builtIns, type Column, type Entity } from "../entities/index.js";
import { formatCovers, isTimeZone } from "./date-text.js";
import {
  type ColumnMapping,
  type LayoutDefinition,
  layoutDefinitionSchema,
  type ParsedLayout,
  type Parser,
  type SourceField,
} from "./layout-schema.js";
import type { Slice } from "./record-text.js";
import { defaultParser } from "./value-text.js";

/** A layout that cannot work: names the key (`columns.sold_at.parse.format`) and what is allowed. */
export class LegacyLayoutError extends Error {
  override readonly name = "LegacyLayoutError";
  constructor(
    readonly layout: string,
    readonly key: string,
    reason: string,
  ) {
    super(`legacy layout "${layout}": ${key ? `"${key}" ` : ""}${reason}`);
  }
}

/** One kind of record of a file (fixed-width records carry their slices). */
export interface LayoutRecord {
  readonly code: string | undefined;
  readonly fields: readonly string[];
  readonly defaults: Readonly<Record<string, string>>;
  readonly slices: readonly Slice[] | undefined;
}

/** A checked layout: the definition with defaults, its entity, and what the reader needs. */
export interface LegacyLayout extends ParsedLayout {
  /** What was written, to derive a variant: `defineLegacyLayout({ ...layout.definition, encoding: "utf-8" })`. */
  readonly definition: LayoutDefinition;
  readonly target: Entity;
  readonly records: {
    readonly header: LayoutRecord | undefined;
    readonly detail: LayoutRecord;
    readonly trailer: LayoutRecord | undefined;
  };
  /** The parser of every column read from text (source field or expression). */
  readonly parsers: Readonly<Record<string, Parser>>;
}

/** Options of `defineLegacyLayout`. */
export interface DefineLayoutOptions {
  /** Entities a layout may target, by name; the built-in ones by default. */
  readonly entities?: Readonly<Record<string, Entity>>;
}

const PARSERS_FOR: Record<Column["type"]["kind"], readonly Parser["type"][]> = {
  string: ["text", "code"],
  int: ["int", "decimal"],
  decimal: ["int", "decimal"],
  boolean: ["boolean", "code"],
  date: ["date"],
  timestamp: ["timestamp"],
};

/**
 * Defines a legacy layout: how one real flat file is laid out and how each of its rows becomes a
 * record of one entity. Checked at once: a bad key throws a `LegacyLayoutError` naming it.
 * @example
 * export default defineLegacyLayout({
 *   name: "pos_fr", description: "Caisse export", entity: "sale_line", encoding: "windows-1252",
 *   format: { kind: "delimited", delimiter: ";", fields: ["NUM_TICKET", "DATE", ...] },
 *   columns: { transaction_id: { field: "NUM_TICKET" }, currency: { constant: "EUR" }, ... },
 * });
 */
export function defineLegacyLayout(
  definition: LayoutDefinition,
  options: DefineLayoutOptions = {},
): LegacyLayout {
  const parsed = layoutDefinitionSchema.safeParse(definition);
  const layoutName =
    typeof (definition as { name?: unknown })?.name === "string"
      ? (definition as { name: string }).name
      : "(unnamed)";
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LegacyLayoutError(
      layoutName,
      issue?.path.join(".") ?? "",
      issue?.message ?? "invalid",
    );
  }
  const layout = parsed.data;
  const fail = (key: string, reason: string): never => {
    throw new LegacyLayoutError(layout.name, key, reason);
  };
  const known: Readonly<Record<string, Entity>> = options.entities ?? builtIns;
  const target = Object.hasOwn(known, layout.entity) ? known[layout.entity] : undefined;
  if (!target) fail("entity", `must be one of ${Object.keys(known).join(", ")}`);
  const entity = target as Entity;

  const records = recordsOf(layout, fail);
  const detailFields = new Set(records.detail.fields);
  const needField = (key: string, field: string) => {
    if (!detailFields.has(field)) {
      fail(
        key,
        `names field "${field}", which the detail record lacks; fields: ${[...detailFields].join(", ")}`,
      );
    }
  };
  const columnNames = new Set(entity.columns.map((c) => c.name));
  for (const name of Object.keys(layout.columns)) {
    if (!columnNames.has(name)) fail(`columns.${name}`, `is not a column of ${entity.name}`);
  }
  const parsers: Record<string, Parser> = {};
  for (const column of entity.columns) {
    const key = `columns.${column.name}`;
    const mapping = layout.columns[column.name];
    if (!mapping) {
      fail(
        key,
        `is missing: every column of ${entity.name} needs a field, constant, concat or derive`,
      );
    }
    const parser = checkMapping(mapping as ColumnMapping, column, key, entity, needField, fail);
    if (parser) parsers[column.name] = parser;
  }
  for (const [list, routes] of [
    ["reject", layout.reject],
    ["drop", layout.drop],
  ] as const) {
    routes.forEach((r, i) => {
      needField(`${list}.${i}.when.field`, r.when.field);
      if (r.when.matches !== undefined)
        checkRegex(`${list}.${i}.when.matches`, r.when.matches, fail);
    });
  }
  if (layout.returns) {
    needField("returns.field", layout.returns.field);
    for (const c of layout.returns.negate) {
      const kind = entity.columns.find((col) => col.name === c)?.type.kind;
      if (kind !== "int" && kind !== "decimal")
        fail("returns.negate", `"${c}" is not a numeric column`);
    }
  }
  layout.control.forEach((c, i) => {
    const record = records[c.record];
    if (!record) fail(`control.${i}.record`, `the layout declares no ${c.record} record`);
    if (!record?.fields.includes(c.field))
      fail(`control.${i}.field`, `is not a field of the ${c.record}`);
    if (c.sum !== undefined) needField(`control.${i}.sum`, c.sum);
  });
  return Object.freeze({ ...layout, definition, target: entity, records, parsers });
}

type Fail = (key: string, reason: string) => never;

function checkMapping(
  mapping: ColumnMapping,
  column: Column,
  key: string,
  entity: Entity,
  needField: (key: string, field: string) => void,
  fail: Fail,
): Parser | undefined {
  if ("constant" in mapping) return undefined;
  if ("derive" in mapping) {
    const refs =
      mapping.derive === "product"
        ? [...mapping.of, ...(mapping.minus ? [mapping.minus] : [])]
        : mapping.derive === "vat_included"
          ? [mapping.amount]
          : mapping.within;
    for (const ref of refs) {
      if (!entity.columns.some((c) => c.name === ref))
        fail(key, `derives from "${ref}", not a column of ${entity.name}`);
    }
    const numeric = column.type.kind === "decimal" || column.type.kind === "int";
    if (!numeric)
      fail(`${key}.derive`, `needs a numeric column; ${column.name} is ${column.type.kind}`);
    return undefined;
  }
  if ("field" in mapping) needField(`${key}.field`, mapping.field);
  else
    mapping.concat.forEach((part, i) => {
      if (typeof part !== "string") needField(`${key}.concat.${i}.field`, part.field);
    });
  mapping.transforms.forEach((t, i) => {
    if (typeof t === "object" && "extract" in t)
      checkRegex(`${key}.transforms.${i}.extract`, t.extract, fail);
    if (typeof t === "object" && "replace" in t)
      checkRegex(`${key}.transforms.${i}.replace`, t.replace, fail);
  });
  const parser = mapping.parse ?? defaultParser(column);
  const allowed = PARSERS_FOR[column.type.kind];
  if (!allowed.includes(parser.type)) {
    fail(
      `${key}.parse.type`,
      `must be ${allowed.join(" or ")} for a ${column.type.kind} column; got ${parser.type}`,
    );
  }
  if (parser.type === "date" && !formatCovers(parser.format, "date")) {
    fail(`${key}.parse.format`, "must contain yyyy, MM and dd");
  }
  if (parser.type === "timestamp") {
    if (!formatCovers(parser.format, "timestamp"))
      fail(`${key}.parse.format`, "must contain yyyy, MM, dd, HH and mm");
    if (!isTimeZone(parser.timeZone))
      fail(`${key}.parse.timeZone`, `is not an IANA time zone: ${JSON.stringify(parser.timeZone)}`);
  }
  if (parser.type === "code" && column.values) {
    for (const [code, value] of Object.entries(parser.map)) {
      if (!column.values.includes(value)) {
        fail(
          `${key}.parse.map.${code}`,
          `maps to "${value}"; ${column.name} takes ${column.values.join(", ")}`,
        );
      }
    }
  }
  return parser;
}

function checkRegex(key: string, source: string, fail: Fail) {
  try {
    new RegExp(source);
  } catch (error) {
    fail(key, `is not a regular expression: ${(error as Error).message}`);
  }
}

function recordsOf(layout: ParsedLayout, fail: Fail): LegacyLayout["records"] {
  const { format } = layout;
  if (format.kind === "delimited") {
    return {
      header: undefined,
      detail: record(format.fields, undefined, "format.fields", false, fail),
      trailer:
        format.trailer &&
        record(format.trailer.fields, format.trailer.code, "format.trailer", false, fail),
    };
  }
  const codes = new Set<string>();
  const typed = (r: { code?: string | undefined; fields: SourceField[] }, key: string) => {
    if (format.recordType) {
      if (r.code === undefined) fail(`${key}.code`, "is needed: the layout has a recordType");
      if (r.code?.length !== format.recordType.length) {
        fail(`${key}.code`, `must be ${format.recordType.length} character(s), as recordType says`);
      }
      if (codes.has(r.code as string)) fail(`${key}.code`, `"${r.code}" is used by another record`);
      codes.add(r.code as string);
    } else if (key !== "format.detail") {
      fail(`${key}`, "needs format.recordType to tell it from the detail lines");
    }
    return record(r.fields, r.code, key, true, fail);
  };
  return {
    header: format.header && typed(format.header, "format.header"),
    detail: typed(format.detail, "format.detail"),
    trailer: format.trailer && typed(format.trailer, "format.trailer"),
  };
}

function record(
  fields: readonly SourceField[],
  code: string | undefined,
  key: string,
  fixed: boolean,
  fail: Fail,
): LayoutRecord {
  const names: string[] = [];
  const defaults: Record<string, string> = {};
  const slices: Slice[] = [];
  fields.forEach((f, i) => {
    const spec = typeof f === "string" ? { name: f } : f;
    if (names.includes(spec.name)) fail(`${key}.fields.${i}`, `repeats field "${spec.name}"`);
    names.push(spec.name);
    if (spec.default !== undefined) defaults[spec.name] = spec.default;
    if (fixed) {
      if (spec.start === undefined || spec.length === undefined) {
        fail(`${key}.fields.${i}`, "needs start and length in a fixed-width layout");
      }
      slices.push({ name: spec.name, start: spec.start as number, length: spec.length as number });
    } else if (typeof f !== "string" && (f.start !== undefined || f.length !== undefined)) {
      fail(`${key}.fields.${i}`, "takes no start or length in a delimited layout");
    }
  });
  if (fixed) {
    const sorted = [...slices].sort((a, b) => a.start - b.start);
    sorted.slice(1).forEach((s, i) => {
      const prev = sorted[i] as Slice;
      if (s.start < prev.start + prev.length)
        fail(`${key}.fields`, `"${s.name}" overlaps "${prev.name}"`);
    });
  }
  return { code, fields: names, defaults, slices: fixed ? slices : undefined };
}
