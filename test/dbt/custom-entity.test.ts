import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test } from "vitest";
import { command as dbtSources } from "../../src/cli/dbt-sources-command.js";
import { renderDbtLayers } from "../../src/dbt/index.js";
import { findDbt, openLocalPipe } from "../../src/warehouse/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { landPriceChanges, writePriceChangeConfig } from "../fixtures/price-change-lake.js";
import { tempDir } from "../lake/temp-dir.js";
import { queryDuckDb } from "./support/query-duckdb.js";
import type { RunResult } from "./support/run-dbt.js";

test("the generated _silver.yml names only models that exist once dbt-sources wrote the entity's SQL", async () => {
  const root = tempDir("rmds-dbt-entity-");
  const models = join(root, "dbt", "models");
  const config = writePriceChangeConfig(root);
  const log = console.log;
  console.log = () => undefined;
  try {
    expect(await dbtSources.run(["--config", config])).toBe(0);
  } finally {
    console.log = log;
  }
  const silver = renderDbtLayers({ entities: [priceChange] })["silver/_silver.yml"];
  expect(readFileSync(join(models, "silver", "_silver.yml"), "utf8")).toBe(silver);
  const named = [...silver.matchAll(/^ {2}- name: (slv_price_change\w*)$/gm)].map((m) => m[1]);
  expect(named).toEqual([
    "slv_price_change",
    "slv_price_change_unified",
    "slv_price_change_rejected",
  ]);
  for (const model of named) expect(existsSync(join(models, "silver", `${model}.sql`))).toBe(true);
  for (const model of ["brz_price_change", "brz_price_change_legacy"])
    expect(existsSync(join(models, "bronze", `${model}.sql`))).toBe(true);
  // The built-ins' models are the reference project's, written by hand: never generated.
  expect(existsSync(join(models, "silver", "slv_sale_line.sql"))).toBe(false);
});

test("dbt build covers a config's entity through bronze and silver, rejected rows included, with no SQL by hand", async () => {
  const root = tempDir("rmds-dbt-entity-");
  const project = join(root, "dbt");
  cpSync(resolve("dbt"), project, {
    recursive: true,
    filter: (src) => !/[/\\](target|logs|dbt_packages)$/.test(src),
  });
  const config = writePriceChangeConfig(root, 'dbt: { project: "./dbt" }');
  const log = console.log;
  console.log = () => undefined;
  try {
    expect(
      await dbtSources.run(["--config", config, "--out", join(project, "models", "_sources.yml")]),
    ).toBe(0);
  } finally {
    console.log = log;
  }

  // Two modern rows, and a legacy file: one row to parse (decimal commas), one without a key.
  const lake = join(root, "lake");
  await landPriceChanges(lake);
  const legacy = join(lake, "legacy", "price_change", "dt=2026-11-02");
  mkdirSync(legacy, { recursive: true });
  writeFileSync(
    join(legacy, "price_change-20261102T0000Z-20261103T0000Z-00001.csv"),
    "sku,store_id,changed_at,old_price,new_price,reason\r\n" +
      'P000003,S002,2026-11-02T09:00:00Z,"3,00","2,50",markdown\r\n' +
      ",S002,2026-11-02T09:00:00Z,1.00,0.90,markdown\r\n",
  );
  const database = join(root, "warehouse", "retail.duckdb");
  const pipe = await openLocalPipe({ lake, database, entities: [priceChange] });
  const loaded = await pipe.refresh();
  expect([loaded.loaded, loaded.failed, loaded.unregistered]).toEqual([2, 0, []]);
  await pipe.close();

  const dbt = findDbt({ projectDir: project });
  const target = join(root, "target");
  const build = await new Promise<{ code: number; output: string }>((done, fail) => {
    const child = spawn(
      dbt.path,
      [
        "build",
        "--select",
        "brz_price_change+",
        "brz_price_change_legacy+",
        "--project-dir",
        project,
        "--profiles-dir",
        project,
        "--target-path",
        target,
        "--log-path",
        join(root, "logs"),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          RETAIL_MDS_DUCKDB: database,
          DBT_SEND_ANONYMOUS_USAGE_STATS: "false",
          DO_NOT_TRACK: "1",
          DBT_USE_COLORS: "false",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, output }));
  });
  expect(build.code, build.output.slice(-3000)).toBe(0);
  const { results } = JSON.parse(readFileSync(join(target, "run_results.json"), "utf8")) as {
    results: RunResult[];
  };
  const models = results
    .filter((r) => r.unique_id.startsWith("model."))
    .map((r) => `${r.unique_id.split(".").pop()}: ${r.status}`)
    .sort();
  expect(models).toEqual([
    "brz_price_change: success",
    "brz_price_change_legacy: success",
    "slv_price_change: success",
    "slv_price_change_rejected: success",
    "slv_price_change_unified: success",
  ]);
  // The quality library's rules ran as dbt tests on silver: the key, the enum, the ranges.
  const tests = results.filter((r) => r.unique_id.startsWith("test."));
  expect(tests.map((r) => r.unique_id).join("\n")).toMatch(
    /unique_price_change_sku__store_id__changed_at/,
  );
  expect(tests.length).toBeGreaterThan(5);
  // Clean except the one rejected row, which the rejected model's test warns about.
  expect(tests.filter((r) => !["pass", "warn"].includes(r.status))).toEqual([]);

  const silver = await queryDuckDb(
    database,
    "select sku, store_id, cast(new_price as varchar) as new_price, _feed from silver.slv_price_change order by sku",
  );
  expect(silver).toEqual([
    { sku: "P000001", store_id: "S001", new_price: "1.99", _feed: "modern" },
    { sku: "P000002", store_id: "S001", new_price: "8.00", _feed: "modern" },
    { sku: "P000003", store_id: "S002", new_price: "2.50", _feed: "legacy" },
  ]);
  expect(
    await queryDuckDb(
      database,
      "select sku, reject_reason, disposition from silver.slv_price_change_rejected",
    ),
  ).toEqual([{ sku: null, reject_reason: "null key", disposition: "rejected" }]);
});
