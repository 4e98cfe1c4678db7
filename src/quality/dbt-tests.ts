import { boundLiteral } from "./compile-sql.js";
import { columnOfEntity } from "./rule.js";
import type { RuleSet } from "./rule-set.js";
import { portablePattern } from "./sql-dialect.js";

/** Options of `toDbtTests`. */
export interface DbtTestOptions {
  /** The dbt model an entity's rules guard (default `slv_<entity>`). */
  readonly model?: (entity: string) => string;
  /** How `relationships` names the parent (default `ref('<its model>')`). */
  readonly ref?: (entity: string) => string;
  /**
   * Freshness measured from a batch window has no meaning on a table: such rules are left out
   * unless a reference SQL timestamp expression is given here.
   */
  readonly freshnessReference?: string;
}

/** One dbt data test: the generic test's name, its arguments, name and severity. */
export interface DbtTest {
  readonly test: string;
  readonly name: string;
  readonly severity: "warn" | "error";
  readonly arguments: Readonly<Record<string, unknown>>;
}

/** The tests of one model: model-level ones, and per column in the entity's column order. */
export interface DbtModelTests {
  readonly model: string;
  readonly tests: readonly DbtTest[];
  readonly columns: readonly { readonly name: string; readonly tests: readonly DbtTest[] }[];
}

/**
 * The dbt tests of rule sets as data, for callers that merge them into their own YAML.
 * Built-in `not_null`, `unique`, `accepted_values` and `relationships` are used where they fit;
 * the rest reference the project's generic tests in `dbt/tests/generic/` (`accepted_range`,
 * `regex_match`, `unique_combination`, `row_count_between`, `expression_is_true`,
 * `not_older_than`).
 * @example
 * dbtTestsOf([qualityRules(saleLine)])[0].columns.find((c) => c.name === "sku");
 */
export function dbtTestsOf(
  sets: readonly RuleSet[],
  options: DbtTestOptions = {},
): DbtModelTests[] {
  const model = options.model ?? ((entity: string) => `slv_${entity}`);
  const ref = options.ref ?? ((entity: string) => `ref('${model(entity)}')`);
  return sets.map((set) => {
    const modelTests: DbtTest[] = [];
    const byColumn = new Map<string, DbtTest[]>();
    const onColumn = (column: string, test: DbtTest) => {
      const list = byColumn.get(column) ?? [];
      list.push(test);
      byColumn.set(column, list);
    };
    for (const rule of set.rules) {
      const test = (name: string, args: Record<string, unknown> = {}): DbtTest => ({
        test: name,
        name: rule.name,
        severity: rule.severity,
        arguments: args,
      });
      const spec = rule.spec;
      switch (spec.kind) {
        case "not_null":
          onColumn(spec.column, test("not_null"));
          break;
        case "unique":
          if (spec.columns.length === 1) onColumn(spec.columns[0] as string, test("unique"));
          else
            modelTests.push(
              test("unique_combination", { combination_of_columns: [...spec.columns] }),
            );
          break;
        case "accepted_values":
          onColumn(spec.column, test("accepted_values", { values: [...spec.values] }));
          break;
        case "range": {
          const column = columnOfEntity(rule.entity, rule.name, spec.column);
          onColumn(
            spec.column,
            test("accepted_range", {
              ...(spec.min
                ? {
                    min_value: boundLiteral(column, spec.min, "duckdb"),
                    inclusive_min: spec.min.inclusive,
                  }
                : {}),
              ...(spec.max
                ? {
                    max_value: boundLiteral(column, spec.max, "duckdb"),
                    inclusive_max: spec.max.inclusive,
                  }
                : {}),
            }),
          );
          break;
        }
        case "regex":
          onColumn(spec.column, test("regex_match", { pattern: portablePattern(spec.pattern) }));
          break;
        case "relationships":
          onColumn(spec.column, test("relationships", { to: ref(spec.to), field: spec.field }));
          break;
        case "freshness": {
          const at =
            typeof spec.reference === "string"
              ? options.freshnessReference
              : timestampLiteral(spec.reference.at);
          if (at === undefined) break;
          onColumn(
            spec.column,
            test("not_older_than", { max_age_seconds: spec.maxAgeSeconds, reference: at }),
          );
          break;
        }
        case "row_count":
          modelTests.push(
            test("row_count_between", {
              ...(spec.min !== undefined ? { min_value: spec.min } : {}),
              ...(spec.max !== undefined ? { max_value: spec.max } : {}),
            }),
          );
          break;
        case "expression":
          modelTests.push(
            test("expression_is_true", {
              expression: typeof spec.sql === "string" ? spec.sql : spec.sql.duckdb,
            }),
          );
          break;
      }
    }
    const columns = set.entity.columns
      .filter((c) => byColumn.has(c.name))
      .map((c) => ({ name: c.name, tests: byColumn.get(c.name) as DbtTest[] }));
    return { model: model(set.entity.name), tests: modelTests, columns };
  });
}

/**
 * dbt properties YAML (dbt 1.10 syntax: `data_tests:`, `arguments:`, `config: severity:`) for
 * the rule sets, one model each. Deterministic: same rules, same bytes. Strings are written as
 * double-quoted scalars (`yamlString`), which YAML reads verbatim.
 * @example
 * writeFileSync("dbt/models/silver/_quality.yml", toDbtTests([qualityRules(saleLine)]));
 */
export function toDbtTests(
  sets: RuleSet | readonly RuleSet[],
  options: DbtTestOptions = {},
): string {
  const list = Array.isArray(sets) ? (sets as readonly RuleSet[]) : [sets as RuleSet];
  const out: string[] = [
    "# Generated by retail-mds toDbtTests(): edit the rules, not this file.",
    "version: 2",
    "models:",
  ];
  const testLines = (tests: readonly DbtTest[], indent: string) => {
    for (const t of tests) {
      out.push(`${indent}- ${t.test}:`);
      out.push(`${indent}    name: ${yamlString(t.name)}`);
      const args = Object.entries(t.arguments);
      if (args.length) {
        out.push(`${indent}    arguments:`);
        for (const [k, v] of args) out.push(`${indent}      ${k}: ${yamlString(v)}`);
      }
      out.push(`${indent}    config:`);
      out.push(`${indent}      severity: ${t.severity}`);
    }
  };
  for (const m of dbtTestsOf(list, options)) {
    out.push(`  - name: ${yamlString(m.model)}`);
    if (m.tests.length) {
      out.push("    data_tests:");
      testLines(m.tests, "      ");
    }
    if (m.columns.length) {
      out.push("    columns:");
      for (const c of m.columns) {
        out.push(`      - name: ${yamlString(c.name)}`);
        out.push("        data_tests:");
        testLines(c.tests, "          ");
      }
    }
  }
  return `${out.join("\n")}\n`;
}

function timestampLiteral(iso: string): string {
  return `cast('${new Date(iso).toISOString().replace("T", " ").replace("Z", "")}' as timestamp)`;
}

/**
 * A value as a YAML double-quoted scalar, kept to printable ASCII. JSON's quoting is YAML's,
 * but YAML forbids DEL, the C1 controls and the BOM raw in a stream, and invisible spaces in a
 * generated file cannot be reviewed: every other character is escaped (`\uXXXX`, `\UXXXXXXXX`).
 */
export function yamlString(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7E]/gu, (c) => {
    const code = c.codePointAt(0) as number;
    const hex = code.toString(16).toUpperCase();
    return code > 0xffff ? `\\U${hex.padStart(8, "0")}` : `\\u${hex.padStart(4, "0")}`;
  });
}
