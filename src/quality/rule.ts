import type { Column, Entity } from "../entities/index.js";
import { RuleDefinitionError } from "./quality-error.js";

/** `error` keeps a failing record out of the lake (and fails a dbt run); `warn` only reports. */
export type Severity = "warn" | "error";

/** One bound of a range: a number for int columns, a canonical decimal string for decimals. */
export interface Bound {
  readonly value: number | string;
  readonly inclusive: boolean;
}

/** A record as rules see it: possibly not even valid against its entity. */
export type AnyRecord = Readonly<Record<string, unknown>>;

/** SQL text of an expression rule: one for both dialects, or one per dialect. */
export type SqlTwin = string | { readonly duckdb: string; readonly snowflake: string };

/** Where freshness measures a record's age from: a fixed instant, or the start or end of its batch window. */
export type FreshnessReference = { readonly at: string } | "window_start" | "window_end";

/** What a rule checks, as plain data: it drives the in-stream check, the SQL and the dbt test. */
export type RuleSpec =
  | { readonly kind: "not_null"; readonly column: string }
  | { readonly kind: "unique"; readonly columns: readonly string[] }
  | {
      readonly kind: "accepted_values";
      readonly column: string;
      readonly values: readonly string[];
    }
  | { readonly kind: "range"; readonly column: string; readonly min?: Bound; readonly max?: Bound }
  | { readonly kind: "regex"; readonly column: string; readonly pattern: string }
  | {
      readonly kind: "relationships";
      readonly column: string;
      readonly to: string;
      readonly field: string;
    }
  | {
      readonly kind: "freshness";
      readonly column: string;
      readonly maxAgeSeconds: number;
      readonly reference: FreshnessReference;
    }
  | { readonly kind: "row_count"; readonly min?: number; readonly max?: number }
  | {
      readonly kind: "expression";
      readonly columns: readonly string[];
      readonly description: string;
      readonly predicate: (record: AnyRecord) => boolean;
      readonly sql: SqlTwin;
    };

export type RuleKind = RuleSpec["kind"];

/** Rule kinds judged one record at a time (all but `row_count`, a property of the whole set). */
export type RowRuleKind = Exclude<RuleKind, "row_count">;

const NAME = /^[a-z][a-z0-9_]{0,127}$/;

/**
 * A quality rule on one entity. Immutable: `warn()`, `error()` and `named()` return new rules.
 * Build rules with the functions in `rule-builders.ts` (`notNull`, `unique`, `inRange`...).
 */
export class Rule {
  readonly entity: Entity;
  readonly spec: RuleSpec;
  readonly name: string;
  readonly severity: Severity;

  constructor(entity: Entity, spec: RuleSpec, name: string, severity: Severity = "error") {
    if (!NAME.test(name)) {
      throw new RuleDefinitionError(
        entity.name,
        name,
        "a rule name must be snake_case, at most 128 characters",
      );
    }
    this.entity = entity;
    this.spec = Object.freeze({ ...spec });
    this.name = name;
    this.severity = severity;
    Object.freeze(this);
  }

  get kind(): RuleKind {
    return this.spec.kind;
  }

  /** The columns the rule reads, in the order it names them. */
  get columns(): readonly string[] {
    const spec = this.spec;
    switch (spec.kind) {
      case "unique":
      case "expression":
        return spec.columns;
      case "row_count":
        return [];
      default:
        return [spec.column];
    }
  }

  /** The same rule, reported but never rejecting a record. */
  warn(): Rule {
    return new Rule(this.entity, this.spec, this.name, "warn");
  }

  /** The same rule, rejecting failing records. */
  error(): Rule {
    return new Rule(this.entity, this.spec, this.name, "error");
  }

  /** The same rule under another name (names are unique within a rule set). */
  named(name: string): Rule {
    return new Rule(this.entity, this.spec, name, this.severity);
  }
}

/** The column of an entity by name, or a `RuleDefinitionError` naming what exists. */
export function columnOfEntity(entity: Entity, rule: string, name: string): Column {
  const column = entity.columns.find((c) => c.name === name);
  if (!column) {
    throw new RuleDefinitionError(
      entity.name,
      rule,
      `"${name}" is not a column; columns: ${entity.columns.map((c) => c.name).join(", ")}`,
    );
  }
  return column;
}
