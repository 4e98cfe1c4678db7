import { z } from "zod";
import { type Column, type ColumnDoc, columnOf } from "./column.js";
import { compileRecordCheck } from "./record-check.js";
import { type FieldIssue, type RecordLocation, ValidationError } from "./validation-error.js";

/** How files of an entity are partitioned in the lake, by the record's event time. */
export type Partitioning = "hour" | "day" | "none";

type Shape = z.ZodObject<z.ZodRawShape>;
type FieldName<S extends Shape> = Extract<keyof z.infer<S>, string>;

/** What a user writes to define an entity: one schema, and what cannot be read off it. */
export interface EntityDefinition<S extends Shape> {
  /** snake_case name: the lake folder, the table and the dbt source are named after it. */
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  /** The natural key: unique and not null. */
  readonly key: readonly FieldName<S>[];
  /** The column that dates a record (a timestamp, or a date for daily facts). */
  readonly eventTime?: FieldName<S>;
  /** `hour` and `day` need `eventTime`; reference data is `none`. */
  readonly partition: Partitioning;
  /** A description for every column, checked at compile time. */
  readonly docs: { readonly [K in FieldName<S>]: ColumnDoc };
}

/** A successful or failed check of one record. */
export type CheckResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ValidationError };

/** An entity: its definition plus everything derived from it. */
export interface Entity<S extends Shape = Shape> extends EntityDefinition<S> {
  /** The columns in file and table order, with their logical types. */
  readonly columns: readonly Column[];
  /** Validates a record; throws a `ValidationError` naming the field, file and row. */
  parse(input: unknown, at?: RecordLocation): z.infer<S>;
  /** Validates a record without throwing. */
  check(input: unknown, at?: RecordLocation): CheckResult<z.infer<S>>;
  /** The natural key of a record as one string, `"T1|3"`, for samples and de-duplication. */
  keyOf(record: Readonly<Record<string, unknown>>): string;
  /** JSON Schema (draft 2020-12) of a record. */
  jsonSchema(): Record<string, unknown>;
}

/** The record type of an entity: `type SaleLine = RecordOf<typeof saleLine>`. */
export type RecordOf<E extends { schema: z.ZodType }> = z.infer<E["schema"]>;

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Defines an entity once; columns, validation, JSON Schema and keys derive from it.
 * @example
 * export const store = defineEntity({
 *   name: "store", description: "A shop or web site.", partition: "none", key: ["store_id"],
 *   schema: z.object({ store_id: z.string() }),
 *   docs: { store_id: { description: "Store code." } },
 * });
 */
export function defineEntity<S extends Shape>(definition: EntityDefinition<S>): Entity<S> {
  const { name, schema, key, eventTime, partition } = definition;
  if (!NAME.test(name)) {
    throw new TypeError(`entity name ${JSON.stringify(name)} must be snake_case (a-z, 0-9, _)`);
  }
  const fields = Object.keys(schema.shape);
  for (const field of [...key, ...(eventTime ? [eventTime] : [])]) {
    if (!fields.includes(field)) {
      throw new TypeError(`entity "${name}": key or event time "${field}" is not a column`);
    }
  }
  if (key.length === 0) throw new TypeError(`entity "${name}": key must name a column`);
  if (partition !== "none" && !eventTime) {
    throw new TypeError(`entity "${name}": partition "${partition}" needs an eventTime column`);
  }
  const columns = fields.map((field) => {
    const doc = definition.docs[field as FieldName<S>];
    // TypeScript demands every doc; plain JavaScript callers get told which one is missing.
    if (!doc?.description)
      throw new TypeError(`entity "${name}": column "${field}" has no description in docs`);
    return columnOf(field, schema.shape[field] as z.ZodType, doc);
  });
  const eventKind = columns.find((c) => c.name === eventTime)?.type.kind;
  if (eventTime && eventKind !== "timestamp" && eventKind !== "date") {
    throw new TypeError(`entity "${name}": event time "${eventTime}" must be a date or timestamp`);
  }
  if (partition === "hour" && eventKind !== "timestamp") {
    throw new TypeError(`entity "${name}": hourly partitions need a timestamp event time`);
  }
  // Reject unknown columns too: a misspelt column in a file must not vanish silently.
  const strict = schema.strict();

  const fast = compileRecordCheck({ columns, schema });

  const check = (input: unknown, at: RecordLocation = {}): CheckResult<z.infer<S>> => {
    // The compiled check accepts the common case; zod judges the rest and words the errors.
    if (fast(input)) return { ok: true, value: input as z.infer<S> };
    const result = strict.safeParse(input);
    if (result.success) return { ok: true, value: result.data as z.infer<S> };
    const issues = result.error.issues.flatMap((issue): FieldIssue[] => {
      const fieldsOf =
        issue.code === "unrecognized_keys" ? issue.keys : [String(issue.path[0] ?? "")];
      return fieldsOf.map((field) => ({
        field,
        message:
          issue.code === "unrecognized_keys" ? "is not a column of this entity" : issue.message,
        value: valueAt(input, field),
      }));
    });
    return { ok: false, error: new ValidationError(name, issues, at) };
  };

  const entity: Entity<S> = Object.freeze({
    ...definition,
    columns: Object.freeze(columns),
    check,
    parse(input: unknown, at?: RecordLocation) {
      const result = check(input, at);
      if (!result.ok) throw result.error;
      return result.value;
    },
    keyOf: (record: Readonly<Record<string, unknown>>) =>
      key.map((k) => String(record[k])).join("|"),
    jsonSchema: () =>
      z.toJSONSchema(schema, { target: "draft-2020-12" }) as Record<string, unknown>,
  });
  defined.add(entity);
  return entity;
}

// Entities made here, whose `check` is the compiled record check then zod: what lets the
// columnar check of a `ColumnBatch` (column-check.ts) stand for `check`. A copy of one (`{
// ...saleLine }`) or a hand-made object is not in it, and its batches go record by record.
const defined = new WeakSet<object>();

/** Whether `defineEntity` made this very object. */
export function isDefinedEntity(entity: object): boolean {
  return defined.has(entity);
}

function valueAt(input: unknown, field: string): unknown {
  return input !== null && typeof input === "object"
    ? (input as Record<string, unknown>)[field]
    : input;
}
