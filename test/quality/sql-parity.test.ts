import fc from "fast-check";
import { expect, test } from "vitest";
import { fromUnits, saleLine, stockMovement, store, toUnits } from "../../src/entities/index.js";
import {
  acceptedValues,
  createEvaluator,
  inRange,
  isFresh,
  matchesRegex,
  qualityRules,
  type Rule,
  referencesKeyOf,
  rowCountBetween,
  ruleSet,
  ruleToSql,
} from "../../src/quality/index.js";
import { duckdb, line, loadTable, products, records, stores } from "./fixtures.js";

const extraRules: Rule[] = [
  inRange(saleLine, "quantity", { above: -2, below: 1000 }).named("quantity_exclusive"),
  inRange(saleLine, "discount_amount", { above: "-0.01" }).named("discount_exclusive"),
  inRange(saleLine, "sold_at", { min: "2026-10-15T00:00:00Z" }).named("sold_after"),
  acceptedValues(saleLine, "payment_method", ["card", "cash"]).named("cash_or_card"),
  matchesRegex(saleLine, "transaction_id", "^T-S\\d{3}-\\d{8}-0000[0-4]\\d$").named(
    "early_tickets",
  ),
  isFresh(saleLine, "sold_at", { maxAgeSeconds: 7 * 86_400, reference: "2026-11-02T00:00:00Z" }),
  referencesKeyOf(saleLine, "store_id", store).named("store_exists"),
  rowCountBetween(saleLine, { max: 100 }),
];

async function failingInSql(
  rule: Rule,
  conn: Awaited<ReturnType<typeof duckdb>>,
): Promise<string[]> {
  const { sql } = ruleToSql(rule, { dialect: "duckdb" });
  const rows = (await conn.runAndReadAll(sql)).getRowObjectsJson();
  if (rule.kind === "unique")
    return rows.map((r) => `${saleLine.keyOf(r)} x${Number(r.n_records) - 1}`).sort();
  if (rule.kind === "row_count") return rows.map((r) => `count ${r.row_count}`);
  return rows.map((r) => saleLine.keyOf(r)).sort();
}

test("every sale_line rule fails the same rows in-stream and as SQL on DuckDB", async () => {
  const conn = await duckdb();
  await loadTable(conn, saleLine, records);
  await loadTable(conn, store, stores);
  await loadTable(conn, (await import("../../src/entities/index.js")).product, products);
  await loadTable(conn, (await import("../../src/entities/index.js")).customer, [
    {
      customer_id: "C0000001",
      first_name: "A",
      last_name: "B",
      email: "a@b.fr",
      segment: "vip",
      city: "Paris",
      country: "FR",
      signup_on: "2020-01-01",
    },
  ]);
  const rules = [...qualityRules(saleLine).rules, ...extraRules];
  const kinds = new Set<string>();
  const counts: Record<string, number> = {};
  for (const rule of rules) {
    const evaluator = createEvaluator(ruleSet(saleLine, rule), {
      schema: false,
      references: {
        store: ["S001", "S900"],
        product: products.map((p) => p.sku),
        customer: ["C0000001"],
      },
    });
    const { rejected } = evaluator.split(records);
    const report = evaluator.report();
    let inStream: string[];
    if (rule.kind === "unique") {
      const extra = new Map<string, number>();
      for (const r of rejected) {
        const key = saleLine.keyOf(r.record as Record<string, unknown>);
        extra.set(key, (extra.get(key) ?? 0) + 1);
      }
      inStream = [...extra].map(([k, n]) => `${k} x${n}`).sort();
    } else if (rule.kind === "row_count") {
      inStream = report.rules[0]?.failed ? [`count ${report.input}`] : [];
    } else {
      inStream = rejected.map((r) => saleLine.keyOf(r.record as Record<string, unknown>)).sort();
    }
    expect(await failingInSql(rule, conn), rule.name).toEqual(inStream);
    kinds.add(rule.kind);
    counts[rule.name] = inStream.length;
  }
  // Every kind ran, and every rule actually failed some rows: no vacuous agreement.
  expect([...kinds].sort()).toEqual([
    "accepted_values",
    "expression",
    "freshness",
    "not_null",
    "range",
    "regex",
    "relationships",
    "row_count",
    "unique",
  ]);
  expect(
    Object.entries(counts)
      .filter(
        ([name, n]) =>
          n === 0 && !name.startsWith("not_null_") && !name.startsWith("range_sale_line_line_no"),
      )
      .map(([n]) => n),
  ).toEqual([]);
});

test("text patterns with Unicode classes and U+FFFD fail the same rows on DuckDB", async () => {
  const conn = await duckdb();
  const names = [
    "Paris Bastille",
    "Caf\uFFFD de Lyon",
    " Lille",
    "Lille ",
    "Nice\u0007",
    "Zoë Market",
    "A",
    "Tab\tInside",
    "Nbsp\u00A0",
    "\u3000Ideo",
    "In\u00A0side",
  ];
  const rows = names.map((store_name, i) => ({
    ...stores[0],
    store_id: `S${String(i + 100).padStart(3, "0")}`,
    store_name,
  }));
  await loadTable(conn, store, rows);
  const rule = qualityRules(store).get("regex_store_store_name") as Rule;
  const { rejected } = createEvaluator(ruleSet(store, rule), { schema: false }).split(rows);
  const sql = (
    await conn.runAndReadAll(ruleToSql(rule, { dialect: "duckdb" }).sql)
  ).getRowObjectsJson();
  expect(sql.map((r) => r.store_name).sort()).toEqual(
    rejected.map((r) => (r.record as { store_name: string }).store_name).sort(),
  );
  expect(rejected.map((r) => (r.record as { store_name: string }).store_name)).toEqual([
    "Caf\uFFFD de Lyon",
    " Lille",
    "Lille ",
    "Nice\u0007",
    "Tab\tInside",
    "Nbsp\u00A0",
    "\u3000Ideo",
  ]);
});

test("stock_movement's sign rule agrees in-stream and on DuckDB", async () => {
  const conn = await duckdb();
  const types = ["receipt", "sale", "return", "adjustment", "transfer_in", "transfer_out"];
  const rows = types.flatMap((movement_type, i) =>
    [-3, 0, 4].map((quantity, j) => ({
      movement_id: `M-S001-${i}${j}00`,
      moved_at: "2026-11-01T08:00:00Z",
      store_id: "S001",
      sku: "P000001",
      movement_type,
      quantity,
      reference: null,
    })),
  );
  await loadTable(conn, stockMovement, rows);
  const rule = qualityRules(stockMovement).get(
    "stock_movement_quantity_sign_follows_movement_type",
  ) as Rule;
  const { rejected } = createEvaluator(ruleSet(stockMovement, rule), { schema: false }).split(rows);
  const sql = (
    await conn.runAndReadAll(ruleToSql(rule, { dialect: "duckdb" }).sql)
  ).getRowObjectsJson();
  expect(sql.map((r) => r.movement_id).sort()).toEqual(
    rejected.map((r) => (r.record as { movement_id: string }).movement_id).sort(),
  );
  expect(rejected).toHaveLength(3 * 6 - 5 - 2);
});

test("SQL quotes identifiers and escapes literals per dialect", () => {
  const rule = acceptedValues(saleLine, "channel", ["it's", "back\\slash"]);
  const relation = () => ["raw", 'we"ird'];
  expect(ruleToSql(rule, { dialect: "duckdb", relation }).sql).toMatchInlineSnapshot(
    `"select * from "raw"."we""ird" where "channel" is not null and "channel" not in ('it''s', 'back\\slash')"`,
  );
  expect(ruleToSql(rule, { dialect: "snowflake", relation }).sql).toMatchInlineSnapshot(
    `"select * from "RAW"."WE""IRD" where "CHANNEL" is not null and "CHANNEL" not in ('it''s', 'back\\\\slash')"`,
  );
  const regex = qualityRules(store).get("regex_store_store_name") as Rule;
  expect(ruleToSql(regex, { dialect: "snowflake" }).sql).toMatchInlineSnapshot(
    `
    "select * from "STORE" where "STORE_NAME" is not null and not regexp_like("STORE_NAME", '^[^	
    
        -     　﻿[:cntrl:]-�](?:[^[:cntrl:]-�]*[^	
    
        -     　﻿[:cntrl:]-�])?$')"
  `,
  );
  expect(
    ruleToSql(isFresh(saleLine, "sold_at", { maxAgeSeconds: 60 }), { dialect: "snowflake" }).sql,
  ).toMatchInlineSnapshot(
    `"select * from "SALE_LINE" where "SOLD_AT" is not null and "SOLD_AT" < dateadd(second, -60, sysdate())"`,
  );
  expect(
    ruleToSql(qualityRules(saleLine).get("unique_sale_line_transaction_id__line_no") as Rule, {
      dialect: "snowflake",
      foldCase: false,
    }).sql,
  ).toMatchInlineSnapshot(
    `"select "transaction_id", "line_no", count(*) as n_records from "sale_line" where "transaction_id" is not null and "line_no" is not null group by "transaction_id", "line_no" having count(*) > 1"`,
  );
});

test("decimal ranges agree with DuckDB's exact decimals on random values and bounds", async () => {
  const conn = await duckdb();
  const amount = fc
    .bigInt({ min: -(10n ** 11n) + 1n, max: 10n ** 11n - 1n })
    .map((u) => fromUnits(u, 2));
  await fc.assert(
    fc.asyncProperty(
      fc.array(amount, { minLength: 1, maxLength: 40 }),
      amount,
      amount,
      fc.boolean(),
      async (values, a, b, exclusive) => {
        const [lo, hi] = toUnits(a, 2) <= toUnits(b, 2) ? [a, b] : [b, a];
        const rule = inRange(
          saleLine,
          "net_amount",
          exclusive ? { above: lo, below: hi } : { min: lo, max: hi },
        );
        const rows = values.map((net_amount, i) => line(i, { net_amount }));
        await loadTable(conn, saleLine, rows);
        const { rejected } = createEvaluator(ruleSet(saleLine, rule), { schema: false }).split(
          rows,
        );
        const sql = (
          await conn.runAndReadAll(ruleToSql(rule, { dialect: "duckdb" }).sql)
        ).getRowObjectsJson();
        expect(sql.map((r) => saleLine.keyOf(r)).sort()).toEqual(
          rejected.map((r) => saleLine.keyOf(r.record as Record<string, unknown>)).sort(),
        );
      },
    ),
    { numRuns: 60 },
  );
});
