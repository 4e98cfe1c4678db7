import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { queryDuckDb } from "./support/query-duckdb.js";
import { buildRetailFixture, writeRawTables } from "./support/raw-fixture.js";
import { notOk, runDbt, runResults, workspace } from "./support/run-dbt.js";

test("dbt build on a clean dataset: every model builds and every test passes; docs generate", async () => {
  const ws = workspace("clean");
  await writeRawTables(ws.database, buildRetailFixture({ days: 10 }));
  const build = await runDbt(ws, ["build"]);
  expect(build.code, build.output.slice(-3000)).toBe(0);
  const results = runResults(ws);
  expect(notOk(results)).toEqual([]);
  const unitTests = results.filter((r) => r.unique_id.startsWith("unit_test."));
  expect(unitTests.map((r) => r.unique_id.split(".").pop()).sort()).toEqual([
    "fct_sales_dates_a_line_on_the_store_local_day",
    "fct_stock_daily_flags_stock_outs_and_days_of_cover",
    "mart_returns_counts_refunds_against_sales",
    "mart_stock_outs_estimates_lost_sales",
    "slv_sale_line_keeps_the_latest_load_of_a_duplicate",
    "slv_sale_line_picks_up_late_arriving_lines",
    "slv_sale_line_unified_corrects_unmarked_returns_and_the_price_bug",
  ]);
  expect(results.filter((r) => r.unique_id.startsWith("snapshot.")).length).toBe(2);

  const [counts] = await queryDuckDb(
    ws.database,
    `select
       (select count(*) from raw.sale_line) as raw_lines,
       (select count(*) from gold.fct_sales) as fact_lines,
       (select count(*) from gold.fct_sales where is_orphan) as orphans,
       (select count(*) from raw.stock_snapshot) as raw_positions,
       (select count(*) from gold.fct_stock_daily) as fact_positions,
       (select count(*) from gold.fct_stock_daily where is_stock_out) as stock_outs,
       (select count(*) from gold.mart_stock_outs) as mart_stock_outs,
       (select count(*) from gold.dim_store where is_unknown) as unknown_stores`,
  );
  expect(counts?.fact_lines).toBe(counts?.raw_lines);
  expect(counts?.fact_positions).toBe(counts?.raw_positions);
  expect(counts).toMatchObject({ orphans: "0", unknown_stores: "1" });
  expect(Number(counts?.stock_outs)).toBeGreaterThan(0);
  expect(counts?.mart_stock_outs).toBe(counts?.stock_outs);

  // Money reconciles from RAW to the mart, to the cent.
  const [money] = await queryDuckDb(
    ws.database,
    `select
       (select cast(sum(net_amount) as varchar) from raw.sale_line) as raw_net,
       (select cast(sum(net_sales_amount) as varchar) from gold.mart_daily_sales) as mart_net`,
  );
  expect(money?.mart_net).toBe(money?.raw_net);

  const docs = await runDbt(ws, ["docs", "generate"]);
  expect(docs.code, docs.output.slice(-2000)).toBe(0);
  expect(existsSync(join(ws.targetPath, "index.html"))).toBe(true);
  const catalog = JSON.parse(readFileSync(join(ws.targetPath, "catalog.json"), "utf8")) as {
    nodes: Record<string, unknown>;
  };
  expect(Object.keys(catalog.nodes)).toContain("model.retail_mds.fct_sales");
  // What the warehouse really has is exactly what the YAML documents, column for column.
  const manifest = JSON.parse(readFileSync(join(ws.targetPath, "manifest.json"), "utf8")) as {
    nodes: Record<string, { resource_type: string; columns: Record<string, unknown> }>;
  };
  const undocumented: string[] = [];
  for (const [id, node] of Object.entries(
    catalog.nodes as Record<string, { columns: Record<string, unknown> }>,
  )) {
    const documented = Object.keys(manifest.nodes[id]?.columns ?? {});
    if (manifest.nodes[id]?.resource_type !== "model") continue;
    for (const column of Object.keys(node.columns)) {
      if (!documented.includes(column.toLowerCase())) undocumented.push(`${id}.${column}`);
    }
    for (const column of documented) {
      if (
        !Object.keys(node.columns)
          .map((c) => c.toLowerCase())
          .includes(column)
      )
        undocumented.push(`${id}.${column} (documented, not built)`);
    }
  }
  expect(undocumented).toEqual([]);
});

test("dbt build on a legacy feed: defects land in the rejected models and their tests warn", async () => {
  const ws = workspace("legacy");
  await writeRawTables(ws.database, buildRetailFixture({ days: 6, legacy: true }));
  const build = await runDbt(ws, ["build"]);
  expect(build.code, build.output.slice(-3000)).toBe(0);
  const warned = notOk(runResults(ws), ["success", "pass"])
    .map((line) => line.split(":")[0]?.split(".")[2])
    .sort();
  expect(warned).toMatchInlineSnapshot(`
    [
      "not_null_sale_line_unit_price",
      "regex_customer_first_name",
      "regex_product_product_name",
      "relationships_sale_line_sku__product",
      "relationships_sale_line_store_id__store",
      "sale_line_net_amount_is_quantity_x_unit_price_minus_discount",
      "slv_customer_has_no_encoding_errors",
      "slv_product_has_no_encoding_errors",
      "slv_product_rejected_is_empty",
      "slv_sale_line_rejected_is_empty",
      "slv_stock_movement_rejected_is_empty",
      "slv_stock_snapshot_rejected_is_empty",
    ]
  `);

  const rejected = await queryDuckDb(
    ws.database,
    `select transaction_id, reject_reason, disposition from silver.slv_sale_line_rejected
     where _feed = 'legacy' order by _source_row`,
  );
  expect(rejected).toMatchInlineSnapshot(`
    [
      {
        "disposition": "rejected",
        "reject_reason": "null key",
        "transaction_id": null,
      },
      {
        "disposition": "rejected",
        "reject_reason": "null key",
        "transaction_id": "TLEG-000004",
      },
      {
        "disposition": "kept as orphan",
        "reject_reason": "unknown store_id",
        "transaction_id": "TLEG-000005",
      },
      {
        "disposition": "kept as orphan",
        "reject_reason": "unknown sku",
        "transaction_id": "TLEG-000006",
      },
      {
        "disposition": "rejected",
        "reject_reason": "unparseable sold_at",
        "transaction_id": "TLEG-000009",
      },
      {
        "disposition": "rejected",
        "reject_reason": "unparseable quantity",
        "transaction_id": "TLEG-000010",
      },
    ]
  `);

  const legacyLines = await queryDuckDb(
    ws.database,
    `select transaction_id, store_id, sku, quantity, cast(unit_price as varchar) as unit_price,
            cast(net_amount as varchar) as net_amount, is_price_unknown, is_orphan, payment_method
     from gold.fct_sales where transaction_id like 'TLEG-%' order by transaction_id`,
  );
  expect(legacyLines).toMatchInlineSnapshot(`
    [
      {
        "is_orphan": false,
        "is_price_unknown": false,
        "net_amount": "3.00",
        "payment_method": "cash",
        "quantity": 2,
        "sku": "P000001",
        "store_id": "S001",
        "transaction_id": "TLEG-000001",
        "unit_price": "1.50",
      },
      {
        "is_orphan": false,
        "is_price_unknown": false,
        "net_amount": "3.00",
        "payment_method": "card",
        "quantity": 2,
        "sku": "P000001",
        "store_id": "S001",
        "transaction_id": "TLEG-000002",
        "unit_price": "1.50",
      },
      {
        "is_orphan": true,
        "is_price_unknown": false,
        "net_amount": "3.00",
        "payment_method": "cash",
        "quantity": 2,
        "sku": "P000001",
        "store_id": "-1",
        "transaction_id": "TLEG-000005",
        "unit_price": "1.50",
      },
      {
        "is_orphan": true,
        "is_price_unknown": false,
        "net_amount": "3.00",
        "payment_method": "cash",
        "quantity": 2,
        "sku": "-1",
        "store_id": "S001",
        "transaction_id": "TLEG-000006",
        "unit_price": "1.50",
      },
      {
        "is_orphan": false,
        "is_price_unknown": true,
        "net_amount": "3.00",
        "payment_method": "cash",
        "quantity": 2,
        "sku": "P000001",
        "store_id": "S001",
        "transaction_id": "TLEG-000007",
        "unit_price": null,
      },
      {
        "is_orphan": false,
        "is_price_unknown": false,
        "net_amount": "-3.00",
        "payment_method": "cash",
        "quantity": -2,
        "sku": "P000001",
        "store_id": "S001",
        "transaction_id": "TLEG-000008",
        "unit_price": "1.50",
      },
      {
        "is_orphan": false,
        "is_price_unknown": false,
        "net_amount": "3.00",
        "payment_method": "cash",
        "quantity": 2,
        "sku": "P000001",
        "store_id": "S001",
        "transaction_id": "TLEG-000011",
        "unit_price": "1.50",
      },
    ]
  `);

  const others = await queryDuckDb(
    ws.database,
    `select 'product' as entity, cast(sku as varchar) as id, reject_reason from silver.slv_product_rejected
     union all select 'stock_snapshot', store_id || '|' || sku, reject_reason from silver.slv_stock_snapshot_rejected
     union all select 'stock_movement', coalesce(movement_id, '(null)'), reject_reason from silver.slv_stock_movement_rejected
     order by 1, 2`,
  );
  expect(others).toMatchInlineSnapshot(`
    [
      {
        "entity": "product",
        "id": null,
        "reject_reason": "null key",
      },
      {
        "entity": "stock_movement",
        "id": "(null)",
        "reject_reason": "null key",
      },
      {
        "entity": "stock_snapshot",
        "id": "S001|P000001",
        "reject_reason": "unparseable on_hand",
      },
    ]
  `);
  const [product] = await queryDuckDb(
    ws.database,
    "select product_name, cast(list_price as varchar) as list_price, is_perishable, cast(launched_on as varchar) as launched_on, has_encoding_error from silver.slv_product where sku = 'P000900'",
  );
  expect(product).toEqual({
    product_name: "Caf\uFFFD moulu",
    list_price: "3.50",
    is_perishable: false,
    launched_on: "2025-02-01",
    has_encoding_error: true,
  });
});
