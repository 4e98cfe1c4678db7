import fc from "fast-check";
import { expect, test } from "vitest";
import { z } from "zod";
import {
  customer,
  decimal,
  defineEntity,
  fromUnits,
  saleLine,
  stockSnapshot,
  store,
} from "../../src/entities/index.js";
import {
  acceptedValues,
  createEvaluator,
  defaultRules,
  expressionIsTrue,
  formatReport,
  inRange,
  isFresh,
  isUnique,
  matchesRegex,
  notNull,
  QualityError,
  qualityRules,
  RuleDefinitionError,
  reconcile,
  referencesKeyOf,
  rowCountBetween,
  ruleSet,
} from "../../src/quality/index.js";
import { KeyIndex } from "../../src/quality/key-index.js";
import { decimalUnits } from "../../src/quality/row-check.js";
import { customers, line, references } from "./fixtures.js";

test("default rules are read off the entity: key, not null, enums, bounds, patterns", () => {
  expect(
    defaultRules(stockSnapshot).rules.map((r) => `${r.name} ${r.severity}`),
  ).toMatchInlineSnapshot(`
    [
      "unique_stock_snapshot_snapshot_date__store_id__sku error",
      "not_null_stock_snapshot_snapshot_date error",
      "not_null_stock_snapshot_store_id error",
      "regex_stock_snapshot_store_id error",
      "not_null_stock_snapshot_sku error",
      "regex_stock_snapshot_sku error",
      "not_null_stock_snapshot_on_hand error",
      "range_stock_snapshot_on_hand error",
      "not_null_stock_snapshot_on_order error",
      "range_stock_snapshot_on_order error",
      "not_null_stock_snapshot_reorder_point error",
      "range_stock_snapshot_reorder_point error",
    ]
  `);
  const names = qualityRules(saleLine).rules.map((r) => r.name);
  expect(names).toContain("accepted_values_sale_line_channel");
  expect(names).not.toContain("not_null_sale_line_customer_id");
  expect(names.filter((n) => !defaultRules(saleLine).get(n))).toMatchInlineSnapshot(`
    [
      "sale_line_net_amount_is_quantity_x_unit_price_minus_discount",
      "sale_line_net_amount_sign_follows_quantity",
      "sale_line_vat_amount_within_net_amount",
      "relationships_sale_line_store_id__store",
      "relationships_sale_line_sku__product",
      "relationships_sale_line_customer_id__customer",
    ]
  `);
});

test("each sale_line defect is caught by the rule that says so, and a clean line passes all", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["not_null_sale_line_sku", { sku: null }],
    ["accepted_values_sale_line_channel", { channel: "fax" }],
    ["range_sale_line_unit_price", { unit_price: "99999.99", net_amount: "199998.98" }],
    ["range_sale_line_quantity", { quantity: 1000, net_amount: "14989.00" }],
    ["regex_sale_line_currency", { currency: "eur" }],
    ["relationships_sale_line_store_id__store", { store_id: "S777" }],
    ["relationships_sale_line_customer_id__customer", { customer_id: "C0000099" }],
    ["sale_line_net_amount_is_quantity_x_unit_price_minus_discount", { net_amount: "28.99" }],
    [
      "sale_line_net_amount_sign_follows_quantity",
      {
        quantity: 2,
        unit_price: "14.99",
        discount_amount: "59.96",
        net_amount: "-29.98",
        vat_amount: "-1.56",
      },
    ],
  ];
  const evaluator = createEvaluator(qualityRules(saleLine), { references, schema: false });
  const { passed, rejected } = evaluator.split([
    line(0),
    ...cases.map(([, o], i) => line(i + 1, o)),
  ]);
  expect(passed).toHaveLength(1);
  expect(rejected.map((r) => r.reasons.map((reason) => reason.rule))).toEqual(
    cases.map(([rule]) => [rule]),
  );
});

test("unique catches duplicates across batches, on compound keys, and ignores null key parts", () => {
  const evaluator = createEvaluator(
    ruleSet(saleLine, isUnique(saleLine, ["transaction_id", "line_no"])),
    { schema: false },
  );
  const a = evaluator.split([line(1), line(2), line(1, { line_no: 2 })]);
  const b = evaluator.split([
    line(2),
    line(3),
    line(1, { line_no: 2 }),
    line(4, { transaction_id: null }),
    line(4, { transaction_id: null }),
  ]);
  expect(a.rejected).toHaveLength(0);
  expect(b.rejected.map((r) => [r.row, r.reasons[0]?.message])).toMatchInlineSnapshot(`
    [
      [
        4,
        "duplicate transaction_id, line_no: an earlier record has the same value",
      ],
      [
        6,
        "duplicate transaction_id, line_no: an earlier record has the same value",
      ],
    ]
  `);
  const report = evaluator.report();
  expect(report.rules[0]?.samples.map((s) => s.key)).toEqual([
    "T-S001-20261101-000002|1",
    "T-S001-20261101-000001|2",
  ]);
});

test("decimal ranges compare exactly, never through floats, with inclusive and exclusive bounds", () => {
  const ledger = defineEntity({
    name: "ledger",
    description: "test",
    partition: "none",
    key: ["id"],
    schema: z.object({ id: z.int32(), amount: decimal(38, 2) }),
    docs: { id: { description: "id" }, amount: { description: "amount" } },
  });
  // Both sides are the same double: a float comparison would let 0.02 too much through.
  expect(Number("123456789012345678.02")).toBe(Number("123456789012345678.01"));
  const max = inRange(ledger, "amount", { max: "123456789012345678.01", above: "0.00" });
  const evaluator = createEvaluator(ruleSet(ledger, max));
  const amounts = ["123456789012345678.01", "123456789012345678.02", "0.00", "0.01", "-5.00"];
  const { rejected } = evaluator.split(amounts.map((amount, id) => ({ id, amount })));
  expect(
    rejected.map((r) => [(r.record as { amount: string }).amount, r.reasons[0]?.message]),
  ).toMatchInlineSnapshot(`
    [
      [
        "123456789012345678.02",
        "amount "123456789012345678.02" is above 123456789012345678.01",
      ],
      [
        "0.00",
        "amount "0.00" is below or at 0.00",
      ],
      [
        "-5.00",
        "amount "-5.00" is below or at 0.00",
      ],
    ]
  `);
  expect(() => inRange(ledger, "amount", { min: 0 })).toThrowErrorMatchingInlineSnapshot(
    `[RuleDefinitionError: rule "range_ledger_amount" on ledger: decimal column "amount" needs bounds as decimal strings with 2 decimals, got 0]`,
  );
});

test("lazy mode keeps every reason; eager mode stops a record at its first failing error rule", () => {
  const bad = line(1, { channel: "fax", currency: "euro", store_id: "S777" });
  const lazy = createEvaluator(qualityRules(saleLine), { references }).split([bad]);
  expect(lazy.rejected[0]?.reasons.map((r) => r.rule)).toEqual([
    "schema",
    "schema",
    "accepted_values_sale_line_channel",
    "regex_sale_line_currency",
    "relationships_sale_line_store_id__store",
  ]);
  const eager = createEvaluator(qualityRules(saleLine), { references, lazy: false, schema: false });
  expect(eager.split([bad]).rejected[0]?.reasons.map((r) => r.rule)).toEqual([
    "accepted_values_sale_line_channel",
  ]);
  const report = eager.report();
  expect(report.rules.find((r) => r.rule === "regex_sale_line_currency")?.checked).toBe(0);
});

test("warn rules report failures but let the record through", () => {
  const rules = ruleSet(
    saleLine,
    acceptedValues(saleLine, "channel", ["store"]).warn(),
    notNull(saleLine, "sku"),
  );
  const evaluator = createEvaluator(rules, { schema: false });
  const { passed, rejected } = evaluator.split([
    line(1, { channel: "web" }),
    line(2, { sku: null }),
  ]);
  expect([passed.length, rejected.length]).toEqual([1, 1]);
  const report = evaluator.report();
  expect(report.ok).toBe(false);
  expect(report.rules.map((r) => [r.rule, r.severity, r.checked, r.passed, r.failed])).toEqual([
    ["accepted_values_sale_line_channel", "warn", 2, 1, 1],
    ["not_null_sale_line_sku", "error", 2, 1, 1],
  ]);
  const warnOnly = createEvaluator(
    ruleSet(saleLine, acceptedValues(saleLine, "channel", ["store"]).warn()),
    { schema: false },
  );
  warnOnly.split([line(1, { channel: "web" })]);
  expect(warnOnly.report().ok).toBe(true);
});

test("samples identify records by natural key, are capped, and never carry PII", () => {
  const evaluator = createEvaluator(
    ruleSet(customer, matchesRegex(customer, "email", "^[a-z.]+@[a-z.]+$")),
    { sampleSize: 2, schema: false },
  );
  const bad = [1, 2, 3].map((i) => ({
    ...customers[0],
    customer_id: `C000000${i}`,
    email: `Secret.Person${i}@example.com`,
  }));
  const { rejected } = evaluator.split(bad);
  const report = evaluator.report();
  const rule = report.rules[0];
  expect(rule?.failed).toBe(3);
  expect(rule?.samples).toEqual([
    {
      key: "C0000001",
      row: 1,
      reason: "email <pii> does not match /^[a-z.]+@[a-z.]+$/",
      values: { email: "<pii>" },
    },
    {
      key: "C0000002",
      row: 2,
      reason: "email <pii> does not match /^[a-z.]+@[a-z.]+$/",
      values: { email: "<pii>" },
    },
  ]);
  expect(JSON.stringify(report)).not.toContain("Secret");
  expect(JSON.stringify(rejected.map((r) => r.reasons))).not.toContain("Secret");
});

test("counts reconcile: input = passed + quarantined, and a mismatch is an error", () => {
  const evaluator = createEvaluator(qualityRules(saleLine), { references });
  evaluator.split([line(1), line(2, { sku: "nope" }), "not a record", null]);
  evaluator.split([line(3)], { file: "legacy/x.csv", firstRow: 10 });
  const report = evaluator.report();
  expect([report.input, report.passed, report.quarantined]).toEqual([5, 2, 3]);
  expect(() => reconcile(report, { quarantineWritten: 2 })).toThrowErrorMatchingInlineSnapshot(
    `[ReconciliationError: sale_line: counts do not reconcile: quarantine written != quarantined (input=5, passed=2, quarantined=3, quarantineWritten=2)]`,
  );
  expect(() => reconcile({ ...report, passed: 3 })).toThrow(/input != passed \+ quarantined/);
});

test("freshness measures age from the batch window end or a fixed instant", () => {
  const rule = isFresh(saleLine, "sold_at", { maxAgeSeconds: 3600 });
  const evaluator = createEvaluator(ruleSet(saleLine, rule), { schema: false });
  const window = { from: "2026-11-01T09:00:00Z", to: "2026-11-01T09:05:00Z" };
  const { rejected } = evaluator.split(
    [
      line(1, { sold_at: "2026-11-01T08:05:00Z" }),
      line(2, { sold_at: "2026-11-01T08:04:59.999Z" }),
    ],
    { window },
  );
  expect(rejected.map((r) => r.row)).toEqual([2]);
  expect(() => evaluator.split([line(3)])).toThrow(QualityError);
  const fixed = createEvaluator(
    ruleSet(
      saleLine,
      isFresh(saleLine, "sold_at", { maxAgeSeconds: 0, reference: "2026-11-01T08:15:30.123Z" }),
    ),
    { schema: false },
  );
  expect(
    fixed
      .split([line(1), line(2, { sold_at: "2026-11-01T08:15:30.122Z" })])
      .rejected.map((r) => r.row),
  ).toEqual([2]);
});

test("row_count is judged on the whole stream and fails the report, not records", () => {
  const evaluator = createEvaluator(ruleSet(store, rowCountBetween(store, { min: 3 })), {
    schema: false,
  });
  evaluator.split([{ store_id: "S001" }, { store_id: "S002" }]);
  const report = evaluator.report();
  expect([report.ok, report.passed, report.rules[0]?.samples[0]?.reason]).toEqual([
    false,
    2,
    "2 rows, expected 3 to any",
  ]);
});

test("builders are immutable and refuse what cannot work", () => {
  const rule = notNull(saleLine, "sku");
  const warn = rule.warn().named("sku_present");
  expect([rule.name, rule.severity, warn.name, warn.severity]).toEqual([
    "not_null_sale_line_sku",
    "error",
    "sku_present",
    "warn",
  ]);
  expect(Object.isFrozen(rule)).toBe(true);
  const base = defaultRules(store);
  const smaller = base.without("regex_store_country");
  expect(base.rules.length - smaller.rules.length).toBe(1);
  expect(base.with(notNull(store, "city").named("x")).rules).toHaveLength(base.rules.length + 1);
  expect(() => base.with(rule)).toThrow(/is a rule of sale_line, not of store/);
  expect(() => notNull(saleLine, "skew" as "sku")).toThrowErrorMatchingInlineSnapshot(
    `[RuleDefinitionError: rule "not_null_sale_line_skew" on sale_line: "skew" is not a column; columns: transaction_id, line_no, sold_at, store_id, sku, customer_id, quantity, unit_price, discount_amount, net_amount, vat_amount, payment_method, channel, currency]`,
  );
  expect(() => matchesRegex(saleLine, "sku", "^(?!P)")).toThrow(/look-around/);
  expect(() => ruleSet(saleLine, rule, rule)).toThrow(/appears twice/);
  expect(() => base.without("nope")).toThrow(RuleDefinitionError);
  expect(() =>
    createEvaluator(ruleSet(saleLine, referencesKeyOf(saleLine, "sku", stockSnapshot))),
  ).toThrowErrorMatchingInlineSnapshot(
    `[RuleDefinitionError: rule "relationships_sale_line_sku__stock_snapshot" on sale_line: needs the keys of "stock_snapshot": pass them as references: { stock_snapshot: [...] } to the evaluator]`,
  );
  const isEven = expressionIsTrue(saleLine, {
    name: "line_no_is_odd",
    description: "line numbers are odd",
    columns: ["line_no"],
    predicate: (r) => Number(r.line_no) % 2 === 1,
    sql: "line_no % 2 = 1",
  });
  expect(
    createEvaluator(ruleSet(saleLine, isEven), { schema: false }).split([line(1, { line_no: 2 })])
      .rejected[0]?.reasons,
  ).toEqual([
    { rule: "line_no_is_odd", field: "line_no", message: "line_no_is_odd: line numbers are odd" },
  ]);
});

test("the key index tells new keys from seen ones through growth and spilling", () => {
  const index = new KeyIndex({ spillAfterBytes: 0 });
  let added = 0;
  for (let i = 0; i < 200_000; i++) if (index.add(`T-${i}|1`)) added++;
  let again = 0;
  for (let i = 0; i < 200_000; i++) if (index.add(`T-${i}|1`)) again++;
  expect([added, again, index.size]).toEqual([200_000, 0, 200_000]);
  // 2.2 MB of keys: what is not in a shard's open 4 KiB block is in the file. The tables'
  // 4-byte slots are at least three-eighths full.
  expect(index.spilledBytes).toBeGreaterThan(2_200_000 - 256 * 4096);
  expect(index.bytes).toBeLessThanOrEqual(200_000 * 4 * 3 + 256 * 4096);
});

test("the report renders as a table", () => {
  const evaluator = createEvaluator(
    ruleSet(saleLine, notNull(saleLine, "sku"), isUnique(saleLine, "transaction_id").warn()),
  );
  evaluator.split([line(1), line(1, { sku: null }), line(2)]);
  expect(formatReport(evaluator.report())).toMatchInlineSnapshot(`
    "sale_line: FAILED: 3 in, 2 passed, 1 quarantined
    rule                             severity  checked  passed  failed  sample keys
    schema                           error           3       2       1  T-S001-20261101-000001|1
    not_null_sale_line_sku           error           3       2       1  T-S001-20261101-000001|1
    unique_sale_line_transaction_id  warn            3       2       1  T-S001-20261101-000001|1"
  `);
});

test("decimal units are exact on the fast path and the bigint path, and refuse non-decimals", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.integer({ min: 0, max: 4 }),
      (units, scale) => {
        const text = fromUnits(units, scale);
        const parsed = decimalUnits(text, scale);
        expect(parsed === undefined ? undefined : BigInt(parsed)).toBe(units);
      },
    ),
  );
  expect(decimalUnits("1.5", 2)).toBe(150);
  expect(decimalUnits("-0.00", 2)).toBe(0);
  for (const bad of ["", "-", "1.", ".5", "+1", "1e5", "1,50", "1.234", " 1.00", "1.00 ", 1.5]) {
    expect(decimalUnits(bad, 2), String(bad)).toBeUndefined();
  }
});
