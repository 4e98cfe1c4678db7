import { join } from "node:path";
import { expect, test } from "vitest";
import type { Batch } from "../../src/entities/index.js";
import { createRetailSimulation, toLegacyFeed } from "../../src/generators/index.js";
import { createLakeWriter, localStore } from "../../src/lake/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { queryDuckDb } from "./support/query-duckdb.js";
import { notOk, runDbt, runResults, workspace } from "./support/run-dbt.js";

test("generator -> lake -> local pipe -> dbt: the modern feed passes every test; the legacy feed's defects land where they belong", async () => {
  const ws = workspace("pipeline");
  const lake = localStore(join(ws.dir, "lake"));
  const sim = createRetailSimulation({
    seed: 11,
    from: "2026-11-02",
    days: 2,
    stores: 3,
    products: 40,
  });
  const writer = createLakeWriter({ store: lake, format: "parquet" });
  const batches: Batch[] = [...sim.reference()];
  for (const batch of batches) await writer.write(batch);
  for (const batch of sim.generate()) {
    if (batch.entity.partition === "none") continue; // reference data came first
    batches.push(batch);
    await writer.write(batch);
  }
  const legacy = toLegacyFeed(batches, { seed: 3, rate: 0.08 });
  for (const batch of legacy.batches) {
    await writer.writeText({ entity: batch.entity, window: batch.window, rows: batch.rows });
  }
  await writer.close();
  const pipe = await openLocalPipe({ lake, database: ws.database });
  try {
    await pipe.refresh();
  } finally {
    await pipe.close();
  }

  const build = await runDbt(ws, ["build"]);
  expect(build.code, build.output.slice(-3000)).toBe(0);
  const problems = notOk(runResults(ws), ["success", "pass", "warn"]);
  expect(problems).toEqual([]);

  const defects = (entity: string, kind: string) =>
    legacy.manifest.filter((d) => d.entity === entity && d.defect === kind).length;
  const [counts] = await queryDuckDb(
    ws.database,
    `select
         (select count(*) from raw.sale_line)::integer as modern_lines,
         (select count(*) from silver.slv_sale_line where _feed = 'modern')::integer as modern_in_silver,
         (select count(*) from silver.slv_sale_line_rejected where _feed = 'legacy' and reject_reason = 'null key')::integer as null_keys,
         (select count(*) from silver.slv_sale_line_unified where _feed = 'legacy' and is_price_unknown)::integer as price_bugs,
         (select count(*) from silver.slv_sale_line_unified where _feed = 'legacy' and is_sign_corrected)::integer as unmarked_returns,
         (select count(*) from silver.slv_sale_line_unified as lines where _feed = 'legacy' and reject_reason is null
            and not exists (select 1 from silver.slv_store as stores where stores.store_id = lines.store_id))::integer as unknown_stores,
         (select count(*) from silver.slv_sale_line_unified as lines where _feed = 'legacy' and reject_reason is null
            and not exists (select 1 from silver.slv_product as products where products.sku = lines.sku))::integer as unknown_skus,
         (select count(*) from silver.slv_sale_line_unified where _feed = 'legacy' and reject_reason is not null and reject_reason <> 'null key')::integer as unparseable,
         (select count(*) from gold.fct_sales where is_orphan)::integer as orphans`,
  );
  // The legacy feed re-sends the modern records (same keys): modern and legacy unify in silver,
  // one row per key, so each defect is counted where it is judged, on the legacy rows.
  expect(counts?.modern_in_silver).toBe(counts?.modern_lines);
  expect(defects("sale_line", "null_key")).toBeGreaterThan(0);
  expect(counts?.null_keys).toBe(defects("sale_line", "null_key"));
  expect(counts?.price_bugs).toBe(defects("sale_line", "price_bug"));
  expect(counts?.unmarked_returns).toBe(defects("sale_line", "unmarked_return"));
  expect(counts?.unknown_stores).toBe(defects("sale_line", "unknown_store"));
  expect(counts?.unknown_skus).toBe(defects("sale_line", "unknown_sku"));
  // dd/MM/yyyy dates, decimal commas and padded codes all parse: nothing is unparseable.
  expect(counts?.unparseable).toBe(0);
  expect(counts?.orphans).toBe(0);
}, 600_000);
