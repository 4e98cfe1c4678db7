import type { Column } from "../entities/index.js";
import { QualityError } from "./quality-error.js";
import { type Bound, columnOfEntity, type Rule } from "./rule.js";
import type { RuleSet } from "./rule-set.js";
import { portablePattern, type SqlDialect, sqlIdentifier, sqlString } from "./sql-dialect.js";

/** Options of `ruleToSql`. */
export interface SqlOptions {
  readonly dialect: SqlDialect;
  /**
   * The table of an entity, as its name parts (`["raw", "sale_line"]`); each part is quoted.
   * Defaults to the entity name alone.
   */
  readonly relation?: (entity: string) => readonly string[];
  /** Snowflake: upper-case identifiers before quoting (default true, see `sqlIdentifier`). */
  readonly foldCase?: boolean;
  /**
   * The reference instant of freshness rules measured from their batch window, which a table
   * does not know: an ISO instant, or by default the current UTC time of the warehouse.
   */
  readonly freshnessReference?: string;
}

/** One rule as SQL. */
export interface CompiledSql {
  readonly rule: string;
  readonly severity: Rule["severity"];
  /** A query returning the failing rows, like a dbt test: no row means the rule holds. */
  readonly sql: string;
}

/**
 * Compiles a rule to a query returning its failing rows. Row rules return the failing records
 * (`select *`); `unique` returns one row per duplicated key with `n_records`; `row_count`
 * returns one row with `row_count` when it is out of bounds.
 * @example
 * ruleToSql(notNull(saleLine, "sku"), { dialect: "duckdb" }).sql;
 * // select * from "sale_line" where "sku" is null
 */
export function ruleToSql(rule: Rule, options: SqlOptions): CompiledSql {
  const { dialect } = options;
  const fold = options.foldCase ?? true;
  const id = (name: string) => sqlIdentifier(name, dialect, fold);
  const rel = (entity: string) => (options.relation?.(entity) ?? [entity]).map(id).join(".");
  const from = rel(rule.entity.name);
  const spec = rule.spec;
  let sql: string;
  switch (spec.kind) {
    case "not_null":
      sql = `select * from ${from} where ${id(spec.column)} is null`;
      break;
    case "unique": {
      const cols = spec.columns.map(id);
      sql =
        `select ${cols.join(", ")}, count(*) as n_records from ${from} ` +
        `where ${cols.map((c) => `${c} is not null`).join(" and ")} ` +
        `group by ${cols.join(", ")} having count(*) > 1`;
      break;
    }
    case "accepted_values":
      sql =
        `select * from ${from} where ${id(spec.column)} is not null and ` +
        `${id(spec.column)} not in (${spec.values.map((v) => sqlString(v, dialect)).join(", ")})`;
      break;
    case "range": {
      const column = columnOfEntity(rule.entity, rule.name, spec.column);
      const c = id(spec.column);
      const tests = [
        spec.min &&
          `${c} ${spec.min.inclusive ? "<" : "<="} ${boundLiteral(column, spec.min, dialect)}`,
        spec.max &&
          `${c} ${spec.max.inclusive ? ">" : ">="} ${boundLiteral(column, spec.max, dialect)}`,
      ].filter(Boolean);
      sql = `select * from ${from} where ${c} is not null and (${tests.join(" or ")})`;
      break;
    }
    case "regex": {
      const c = id(spec.column);
      const pattern = sqlString(portablePattern(spec.pattern), dialect);
      const matches =
        dialect === "duckdb"
          ? `regexp_full_match(${c}, ${pattern})`
          : `regexp_like(${c}, ${pattern})`;
      sql = `select * from ${from} where ${c} is not null and not ${matches}`;
      break;
    }
    case "relationships": {
      const c = id(spec.column);
      sql =
        `select child.* from ${from} as child where child.${c} is not null and not exists ` +
        `(select 1 from ${rel(spec.to)} as parent where parent.${id(spec.field)} = child.${c})`;
      break;
    }
    case "freshness": {
      const column = columnOfEntity(rule.entity, rule.name, spec.column);
      const c =
        column.type.kind === "date" ? `cast(${id(spec.column)} as timestamp)` : id(spec.column);
      const at =
        typeof spec.reference === "string" ? options.freshnessReference : spec.reference.at;
      if (at !== undefined && Number.isNaN(Date.parse(at))) {
        throw new QualityError(
          rule.entity.name,
          rule.name,
          `freshnessReference ${JSON.stringify(at)} is not an instant`,
        );
      }
      const ts = (iso: string) =>
        `cast(${sqlString(iso.replace("T", " ").replace("Z", ""), dialect)} as timestamp)`;
      const reference =
        at !== undefined
          ? ts(new Date(at).toISOString())
          : dialect === "duckdb"
            ? "cast(current_timestamp at time zone 'UTC' as timestamp)"
            : "sysdate()";
      const oldest =
        dialect === "duckdb"
          ? `${reference} - to_seconds(${spec.maxAgeSeconds})`
          : `dateadd(second, -${spec.maxAgeSeconds}, ${reference})`;
      sql = `select * from ${from} where ${id(spec.column)} is not null and ${c} < ${oldest}`;
      break;
    }
    case "row_count": {
      const tests = [
        spec.min !== undefined && `count(*) < ${spec.min}`,
        spec.max !== undefined && `count(*) > ${spec.max}`,
      ].filter(Boolean);
      sql = `select count(*) as row_count from ${from} having ${tests.join(" or ")}`;
      break;
    }
    case "expression": {
      const text = typeof spec.sql === "string" ? spec.sql : spec.sql[dialect];
      sql = `select * from ${from} where not coalesce((${text}), false)`;
      break;
    }
  }
  return { rule: rule.name, severity: rule.severity, sql };
}

/**
 * Every rule of a set as SQL, in the set's order.
 * @example
 * for (const { rule, sql } of ruleSetToSql(qualityRules(saleLine), { dialect: "snowflake" })) console.log(rule, sql);
 */
export function ruleSetToSql(rules: RuleSet, options: SqlOptions): CompiledSql[] {
  return rules.rules.map((rule) => ruleToSql(rule, options));
}

/** A range bound as a SQL literal of the column's type: decimals cast exactly, never floats. */
export function boundLiteral(column: Column, bound: Bound, dialect: SqlDialect): string {
  const { value } = bound;
  switch (column.type.kind) {
    case "int":
      return String(Number(value));
    case "decimal":
      // Checked as a canonical decimal when the rule was built: digits, sign and a dot only.
      return `cast(${String(value)} as decimal(38, ${column.type.scale}))`;
    case "timestamp":
      return `cast(${sqlString(new Date(String(value)).toISOString().replace("T", " ").replace("Z", ""), dialect)} as timestamp)`;
    case "date":
      return `cast(${sqlString(String(value), dialect)} as date)`;
    default:
      return sqlString(String(value), dialect);
  }
}
