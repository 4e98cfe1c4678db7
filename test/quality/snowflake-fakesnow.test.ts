import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { expect, test } from "vitest";
import { type Entity, entities, saleLine } from "../../src/entities/index.js";
import {
  createEvaluator,
  qualityRules,
  type Rule,
  ruleSet,
  ruleToSql,
} from "../../src/quality/index.js";
import { customers, products, records, references, stores } from "./fixtures.js";

// Snowflake's own types for the logical ones, as an unquoted `create table` makes them.
function snowflakeType(column: Entity["columns"][number]): string {
  const { type } = column;
  switch (type.kind) {
    case "decimal":
      return `number(${type.precision},${type.scale})`;
    case "int":
      return "number(10,0)";
    case "timestamp":
      return "timestamp_ntz";
    default:
      return type.kind === "string" ? "varchar" : type.kind;
  }
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return `'${String(v).replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

function setup(entity: Entity, rows: readonly object[]): string[] {
  const create = `create table ${entity.name} (${entity.columns.map((c) => `${c.name} ${snowflakeType(c)}`).join(", ")})`;
  if (!rows.length) return [create];
  const values = rows.map(
    (r) =>
      `(${entity.columns.map((c) => literal((r as Record<string, unknown>)[c.name])).join(", ")})`,
  );
  return [create, `insert into ${entity.name} values ${values.join(", ")}`];
}

test("the Snowflake dialect fails the same rows on fakesnow as in-stream, for every sale_line rule", () => {
  const rules = qualityRules(saleLine).rules;
  const queries = Object.fromEntries(
    rules.map((r) => [r.name, ruleToSql(r, { dialect: "snowflake" }).sql]),
  );
  const job = {
    setup: [
      ...setup(saleLine, records),
      ...setup(entities.store, stores),
      ...setup(entities.product, products),
      ...setup(entities.customer, customers),
    ],
    queries,
  };
  const out = execFileSync(resolve(".venv/bin/python"), [resolve("test/quality/fakesnow-run.py")], {
    input: JSON.stringify(job),
    encoding: "utf8",
  });
  const counts = JSON.parse(out.trim().split("\n").pop() as string) as Record<
    string,
    number | { error: string }
  >;
  const mismatches: string[] = [];
  for (const rule of rules as Rule[]) {
    const { rejected } = createEvaluator(ruleSet(saleLine, rule), {
      schema: false,
      references,
    }).split(records);
    const expected =
      rule.kind === "unique"
        ? new Set(rejected.map((r) => saleLine.keyOf(r.record as Record<string, unknown>))).size
        : rejected.length;
    if (counts[rule.name] !== expected)
      mismatches.push(
        `${rule.name}: fakesnow ${JSON.stringify(counts[rule.name])}, in-stream ${expected}`,
      );
  }
  expect(mismatches).toEqual([]);
});
