import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, expectTypeOf, test } from "vitest";
import { command as generate } from "../../src/cli/generate-command.js";
import { command as load } from "../../src/cli/load-command.js";
import {
  ConfigError,
  type ConfigInput,
  defineConfig,
  findConfigFile,
  loadConfig,
  type ProjectConfig,
  resolveConfig,
} from "../../src/config/index.js";
import { tempDir } from "../lake/temp-dir.js";

const src = (path: string) => pathToFileURL(resolve("src", path)).href;
const fixture = pathToFileURL(resolve("test/fixtures/price-change.ts")).href;

test("a retail-mds.config.ts is found from a subfolder up, typed with defineConfig, its paths relative to it", async () => {
  const root = tempDir("rmds-config-");
  writeFileSync(
    join(root, "retail-mds.config.ts"),
    `import { defineConfig } from ${JSON.stringify(src("config/index.ts"))};
import { priceChange } from ${JSON.stringify(fixture)};
export default defineConfig({
  entities: [priceChange],
  lake: { path: "./data/lake", format: "csv" },
  simulation: { seed: 7, days: 2 },
});
`,
  );
  const sub = join(root, "a", "b");
  mkdirSync(sub, { recursive: true });
  expect(findConfigFile(sub)).toBe(join(root, "retail-mds.config.ts"));
  const config = await loadConfig({ cwd: sub });
  expect(config.file).toBe(join(root, "retail-mds.config.ts"));
  expect(config.root).toBe(root);
  expect(config.lake).toEqual({ path: join(root, "data", "lake"), format: "csv" });
  expect(config.warehouse.database).toBe(join(root, "warehouse", "retail.duckdb"));
  expect(config.dbt.project).toBe(join(root, "dbt"));
  expect(config.simulation).toMatchObject({ seed: 7, days: 2 });
  expect(config.entities.map((e) => e.name)).toEqual([
    "store",
    "product",
    "customer",
    "sale_line",
    "stock_movement",
    "stock_snapshot",
    "price_change",
  ]);
  expect(config.customEntities.map((e) => e.name)).toEqual(["price_change"]);
});

test("a .mjs and a .json config load too; without any, the defaults relative to the working folder", async () => {
  const mjs = tempDir("rmds-config-");
  writeFileSync(
    join(mjs, "retail-mds.config.mjs"),
    `export default { warehouse: { database: "wh/shop.duckdb", onError: "continue" } };\n`,
  );
  const fromMjs = await loadConfig({ cwd: mjs });
  expect(fromMjs.warehouse).toEqual({
    database: join(mjs, "wh", "shop.duckdb"),
    onError: "continue",
  });

  const json = tempDir("rmds-config-");
  writeFileSync(join(json, "shop.json"), JSON.stringify({ snowflake: { database: "SHOP" } }));
  const fromJson = await loadConfig({ cwd: "/", file: join(json, "shop.json") });
  expect(fromJson.snowflake).toEqual({ database: "SHOP", schema: "RAW" });

  const none = tempDir("rmds-config-");
  const defaults = await loadConfig({ cwd: none });
  expect(defaults.file).toBeUndefined();
  expect(defaults.lake).toEqual({ path: join(none, "lake"), format: "parquet" });
  expect(defaults.entities).toHaveLength(6);
});

test("a config that fails its schema names the key and what is allowed", () => {
  const where = { root: "/p", file: "/p/retail-mds.config.ts" };
  const message = (input: unknown) => {
    try {
      resolveConfig(input, where);
      return "accepted";
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
  };
  expect([
    message({ lake: { format: "xls" } }),
    message({ lakes: {} }),
    message({ simulation: { days: 0 } }),
    message({ simulation: { dayz: 3 } }),
    message({ entities: [{ name: "price_change" }] }),
    message({ warehouse: { database: " " } }),
    message({ demo: { legacyLayout: "caisse" } }),
    message({ demo: { legacyDefects: 2 } }),
  ]).toMatchInlineSnapshot(`
    [
      "/p/retail-mds.config.ts: lake.format: Invalid option: expected one of "parquet"|"csv"|"ndjson"; got "xls"",
      "/p/retail-mds.config.ts: lakes: is not a config key; allowed: entities, generators, layouts, lake, warehouse, dbt, azure, snowflake, demo, simulation",
      "/p/retail-mds.config.ts: simulation.days: Too small: expected number to be >=1; got 0",
      "/p/retail-mds.config.ts: simulation.dayz: is not a config key; allowed: seed, from, days, stores, products, customers, traffic, batchSize",
      "/p/retail-mds.config.ts: entities.0: expected an entity made with defineEntity (from retail-mds/entities)",
      "/p/retail-mds.config.ts: warehouse.database: expected the path of the DuckDB file (relative to the config file); got " "",
      "/p/retail-mds.config.ts: demo.legacyLayout: "caisse" is not a layout of the config's layouts; allowed: pos_fr_sale_line, legacy-csv, or a layout made with defineLegacyLayout",
      "/p/retail-mds.config.ts: demo.legacyDefects: Too big: expected number to be <=1; got 2",
    ]
  `);
});

test("a custom entity may not take a built-in's name, nor be listed twice", async () => {
  const { priceChange } = await import("../fixtures/price-change.js");
  const { saleLine } = await import("../../src/entities/index.js");
  const where = { root: "/p" };
  expect(resolveConfig({ entities: [saleLine, priceChange] }, where).customEntities).toEqual([
    priceChange,
  ]);
  expect(() => resolveConfig({ entities: [priceChange, priceChange] }, where)).toThrow(
    'config: entities.1: "price_change" is listed twice',
  );
  expect(() => resolveConfig({ entities: [{ ...priceChange, name: "store" }] }, where)).toThrow(
    'config: entities.0: "store" is a built-in entity; give yours another name',
  );
});

test("a missing --config file, a file without a default export and broken JSON are errors naming the file", async () => {
  const root = tempDir("rmds-config-");
  await expect(loadConfig({ file: join(root, "nope.ts") })).rejects.toThrow(
    `${join(root, "nope.ts")}: no such config file`,
  );
  writeFileSync(join(root, "retail-mds.config.mjs"), "export const lake = {};\n");
  await expect(loadConfig({ cwd: root })).rejects.toThrow(/has no default export/);
  writeFileSync(join(root, "bad.json"), "{ lake: ");
  await expect(loadConfig({ file: join(root, "bad.json") })).rejects.toThrow(
    /bad\.json: is not valid JSON/,
  );
});

test("commands read the config, flags override it, and a bad config is exit 2 before anything is written", async () => {
  const root = tempDir("rmds-config-");
  writeFileSync(
    join(root, "retail-mds.config.json"),
    JSON.stringify({
      lake: { path: "lake", format: "ndjson" },
      simulation: { from: "2026-11-05", days: 1, stores: 1, products: 5, seed: 3, traffic: 0.05 },
    }),
  );
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    const file = join(root, "retail-mds.config.json");
    expect(await generate.run(["--config", file, "--from", "2026-11-02"])).toBe(0);
    expect(lines[0]?.split("\n")[0]).toBe(
      `generated 1 day(s) from 2026-11-02, seed 3, into ${join(root, "lake")}`,
    );
    const { readdirSync } = await import("node:fs");
    expect(
      readdirSync(join(root, "lake", "sale_line"), { recursive: true }).some((f) =>
        String(f).endsWith(".ndjson"),
      ),
    ).toBe(true);

    writeFileSync(join(root, "bad.json"), JSON.stringify({ warehouse: { onError: "ignore" } }));
    await expect(
      load.run(["--config", join(root, "bad.json"), "--lake", join(root, "lake")]),
    ).rejects.toThrow(
      `load: ${join(root, "bad.json")}: warehouse.onError: Invalid option: expected one of "skip_file"|"continue"|"abort_statement"; got "ignore"`,
    );
  } finally {
    console.log = log;
  }
});

test("defineConfig keeps the config's type and rejects a wrong key at compile time", () => {
  const config = defineConfig({ lake: { format: "csv" }, simulation: { days: 3 } });
  expectTypeOf(config.lake.format).toEqualTypeOf<"csv">();
  // @ts-expect-error: "xls" is not a lake format
  defineConfig({ lake: { format: "xls" } });
  // @ts-expect-error: "lakes" is not a config key
  defineConfig({ lakes: {} });
  expectTypeOf<ProjectConfig["lake"]["format"]>().toEqualTypeOf<"parquet" | "csv" | "ndjson">();
  expectTypeOf<ConfigInput["simulation"]>().not.toBeAny();
});
