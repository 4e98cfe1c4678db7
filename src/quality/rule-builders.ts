import { type Entity, isDecimal } from "../entities/index.js";
import { RuleDefinitionError } from "./quality-error.js";
import {
  type AnyRecord,
  type Bound,
  columnOfEntity,
  type FreshnessReference,
  Rule,
  type SqlTwin,
} from "./rule.js";

type ColumnName<E extends Entity> = Extract<keyof E["docs"], string>;

/**
 * The column must never be null (nor missing).
 * @example
 * notNull(saleLine, "sku"); // rule "not_null_sale_line_sku", severity error
 */
export function notNull<E extends Entity>(entity: E, column: ColumnName<E>): Rule {
  const name = `not_null_${entity.name}_${column}`;
  columnOfEntity(entity, name, column);
  return new Rule(entity, { kind: "not_null", column }, name);
}

/**
 * No two records share a value of the column, or of the columns together (a compound key).
 * Records with a null in any of the columns are left to `notNull`.
 * @example
 * isUnique(saleLine, ["transaction_id", "line_no"]); // "unique_sale_line_transaction_id__line_no"
 */
export function isUnique<E extends Entity>(
  entity: E,
  columns: ColumnName<E> | readonly ColumnName<E>[],
): Rule {
  const list: readonly string[] = typeof columns === "string" ? [columns] : columns;
  const name = `unique_${entity.name}_${list.join("__")}`;
  if (list.length === 0)
    throw new RuleDefinitionError(entity.name, name, "unique needs at least one column");
  for (const c of list) columnOfEntity(entity, name, c);
  return new Rule(entity, { kind: "unique", columns: [...list] }, name);
}

/**
 * The column holds one of `values` (nulls are left to `notNull`).
 * @example
 * acceptedValues(saleLine, "channel", ["store", "web", "drive"]);
 */
export function acceptedValues<E extends Entity>(
  entity: E,
  column: ColumnName<E>,
  values: readonly string[],
): Rule {
  const name = `accepted_values_${entity.name}_${column}`;
  columnOfEntity(entity, name, column);
  if (values.length === 0)
    throw new RuleDefinitionError(entity.name, name, "accepted values must not be empty");
  return new Rule(entity, { kind: "accepted_values", column, values: [...values] }, name);
}

/** Bounds of `inRange`: `min`/`max` are inclusive, `above`/`below` exclusive. */
export interface RangeBounds {
  readonly min?: number | string;
  readonly max?: number | string;
  readonly above?: number | string;
  readonly below?: number | string;
}

/**
 * The column lies within bounds. Decimal columns take canonical decimal strings and are compared
 * exactly in integer units, never as floats.
 * @example
 * inRange(saleLine, "unit_price", { min: "0.00", max: "10000.00" });
 * inRange(saleLine, "quantity", { above: 0 }); // exclusive
 */
export function inRange<E extends Entity>(
  entity: E,
  column: ColumnName<E>,
  bounds: RangeBounds,
): Rule {
  const name = `range_${entity.name}_${column}`;
  const col = columnOfEntity(entity, name, column);
  if (bounds.min !== undefined && bounds.above !== undefined) {
    throw new RuleDefinitionError(entity.name, name, "give min or above, not both");
  }
  if (bounds.max !== undefined && bounds.below !== undefined) {
    throw new RuleDefinitionError(entity.name, name, "give max or below, not both");
  }
  const bound = (value: number | string | undefined, inclusive: boolean): Bound | undefined => {
    if (value === undefined) return undefined;
    const { type } = col;
    if (type.kind === "int" && !(typeof value === "number" && Number.isInteger(value))) {
      throw new RuleDefinitionError(
        entity.name,
        name,
        `int column "${column}" needs whole-number bounds, got ${JSON.stringify(value)}`,
      );
    }
    if (
      type.kind === "decimal" &&
      !(typeof value === "string" && isDecimal(value, 38, type.scale))
    ) {
      throw new RuleDefinitionError(
        entity.name,
        name,
        `decimal column "${column}" needs bounds as decimal strings with ${type.scale} decimals, got ${JSON.stringify(value)}`,
      );
    }
    if (type.kind !== "int" && type.kind !== "decimal") {
      if (typeof value !== "string") {
        throw new RuleDefinitionError(
          entity.name,
          name,
          `${type.kind} column "${column}" needs string bounds`,
        );
      }
    }
    return { value, inclusive };
  };
  const min = bound(bounds.min ?? bounds.above, bounds.above === undefined);
  const max = bound(bounds.max ?? bounds.below, bounds.below === undefined);
  if (!min && !max)
    throw new RuleDefinitionError(entity.name, name, "a range needs at least one bound");
  return new Rule(
    entity,
    { kind: "range", column, ...(min ? { min } : {}), ...(max ? { max } : {}) },
    name,
  );
}

/**
 * The column matches a regular expression, in full (anchor it with `^...$`). The pattern must
 * run on JavaScript and on RE2 (DuckDB, Snowflake): no look-arounds, no back-references.
 * @example
 * matchesRegex(saleLine, "sku", "^P\\d{6}$");
 */
export function matchesRegex<E extends Entity>(
  entity: E,
  column: ColumnName<E>,
  pattern: string | RegExp,
): Rule {
  const name = `regex_${entity.name}_${column}`;
  columnOfEntity(entity, name, column);
  const source = typeof pattern === "string" ? pattern : pattern.source;
  if (/\(\?<?[=!]|\\[1-9]/.test(source)) {
    throw new RuleDefinitionError(
      entity.name,
      name,
      `pattern ${JSON.stringify(source)} uses a look-around or back-reference, which RE2 (DuckDB, Snowflake) cannot run`,
    );
  }
  return new Rule(entity, { kind: "regex", column, pattern: source }, name);
}

/**
 * Every non-null value of the column exists as `field` in the `to` entity (a foreign key).
 * In-stream, the evaluator needs the key set of `to` in its `references` option.
 * @example
 * referencesKeyOf(saleLine, "store_id", store); // field defaults to the same column name
 */
export function referencesKeyOf<E extends Entity, T extends Entity>(
  entity: E,
  column: ColumnName<E>,
  to: T,
  field: ColumnName<T> = column as unknown as ColumnName<T>,
): Rule {
  const name = `relationships_${entity.name}_${column}__${to.name}`;
  columnOfEntity(entity, name, column);
  columnOfEntity(to, name, field);
  return new Rule(entity, { kind: "relationships", column, to: to.name, field }, name);
}

/** Options of `isFresh`. */
export interface FreshnessOptions {
  /** The oldest a record may be, in seconds. */
  readonly maxAgeSeconds: number;
  /**
   * An ISO instant, or the start or end of the batch window the record came in (default
   * `"window_end"`). `"window_start"` with `maxAgeSeconds: 0` flags every record older than its
   * window: a late arrival.
   */
  readonly reference?: string | "window_start" | "window_end";
}

/**
 * A record's event time is at most `maxAgeSeconds` older than the reference: records arriving
 * far later than they happened (late arrivals) fail. A date column counts as its midnight UTC.
 * @example
 * isFresh(saleLine, "sold_at", { maxAgeSeconds: 86_400, reference: "window_end" });
 */
export function isFresh<E extends Entity>(
  entity: E,
  column: ColumnName<E>,
  options: FreshnessOptions,
): Rule {
  const name = `freshness_${entity.name}_${column}`;
  const col = columnOfEntity(entity, name, column);
  if (col.type.kind !== "timestamp" && col.type.kind !== "date") {
    throw new RuleDefinitionError(
      entity.name,
      name,
      `"${column}" is a ${col.type.kind}, not a date or timestamp`,
    );
  }
  const { maxAgeSeconds } = options;
  if (!Number.isInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new RuleDefinitionError(
      entity.name,
      name,
      `maxAgeSeconds must be a whole number >= 0, got ${maxAgeSeconds}`,
    );
  }
  const ref = options.reference ?? "window_end";
  let reference: FreshnessReference = ref === "window_start" ? "window_start" : "window_end";
  if (ref !== "window_end" && ref !== "window_start") {
    const t = Date.parse(ref);
    if (Number.isNaN(t) || !ref.endsWith("Z")) {
      throw new RuleDefinitionError(
        entity.name,
        name,
        `reference must be a UTC instant ending in Z, got ${JSON.stringify(ref)}`,
      );
    }
    reference = { at: new Date(t).toISOString() };
  }
  return new Rule(entity, { kind: "freshness", column, maxAgeSeconds, reference }, name);
}

/**
 * The number of records is within bounds (inclusive). Judged on the whole stream at the end, it
 * never rejects a record; it fails the report.
 * @example
 * rowCountBetween(store, { min: 1, max: 5000 });
 */
export function rowCountBetween<E extends Entity>(
  entity: E,
  bounds: { readonly min?: number; readonly max?: number },
): Rule {
  const name = `row_count_${entity.name}`;
  const { min, max } = bounds;
  for (const b of [min, max]) {
    if (b !== undefined && (!Number.isInteger(b) || b < 0)) {
      throw new RuleDefinitionError(
        entity.name,
        name,
        `row count bounds must be whole numbers >= 0, got ${b}`,
      );
    }
  }
  if (min === undefined && max === undefined)
    throw new RuleDefinitionError(entity.name, name, "give min, max or both");
  if (min !== undefined && max !== undefined && min > max) {
    throw new RuleDefinitionError(entity.name, name, `min ${min} is above max ${max}`);
  }
  return new Rule(
    entity,
    {
      kind: "row_count",
      ...(min !== undefined ? { min } : {}),
      ...(max !== undefined ? { max } : {}),
    },
    name,
  );
}

/** What an expression rule is made of. */
export interface ExpressionDefinition<E extends Entity> {
  /** snake_case, says what holds: `net_amount_is_quantity_x_price_minus_discount`. */
  readonly name: string;
  readonly description: string;
  /** The columns the predicate reads: their values go into failure samples (unless PII). */
  readonly columns: readonly ColumnName<E>[];
  /** True when the record passes. Called on records that may not match the schema: be defensive. */
  readonly predicate: (record: AnyRecord) => boolean;
  /** The SQL twin: a boolean expression over the columns, true when the row passes. */
  readonly sql: SqlTwin;
}

/**
 * A named predicate over a record with its SQL twin (one text, or one per dialect). A row whose
 * SQL expression is null fails, like a record whose predicate returns false.
 * @example
 * expressionIsTrue(stockSnapshot, {
 *   name: "on_order_not_above_ten_times_reorder_point", description: "...",
 *   columns: ["on_order", "reorder_point"],
 *   predicate: (r) => Number(r.on_order) <= 10 * Number(r.reorder_point),
 *   sql: "on_order <= 10 * reorder_point",
 * });
 */
export function expressionIsTrue<E extends Entity>(
  entity: E,
  definition: ExpressionDefinition<E>,
): Rule {
  const { name, description, columns, predicate, sql } = definition;
  for (const c of columns) columnOfEntity(entity, name, c);
  if (typeof predicate !== "function")
    throw new RuleDefinitionError(entity.name, name, "predicate must be a function");
  return new Rule(
    entity,
    { kind: "expression", columns: [...columns], description, predicate, sql },
    name,
  );
}
