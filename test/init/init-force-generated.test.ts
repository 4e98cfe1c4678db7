import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { command as dbtSources } from "../../src/cli/dbt-sources-command.js";
import { command as init } from "../../src/cli/init-command.js";
import { renderDbtProjectFiles } from "../../src/dbt/index.js";
import { runDbt, workspace } from "../dbt/support/run-dbt.js";
import { priceChange } from "../fixtures/price-change.js";
import { writePriceChangeConfig } from "../fixtures/price-change-lake.js";
import { tempFolder } from "../warehouse/lake-fixture.js";

// Issue 13, left over: `init --force` in a project whose config has its own entity overwrote the
// YAML `dbt-sources` had generated with the package's (built-ins only) and left the entity's SQL,
// whose source no longer existed: dbt failed to parse until `dbt-sources` ran again.

async function quietly(run: () => Promise<number>) {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  console.error = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await run(), out: lines.join("\n") };
  } finally {
    [console.log, console.error] = [log, error];
  }
}

/** A scaffolded project whose config (a .ts, as docs/add-an-entity.md says) adds price_change. */
async function projectWithPriceChange() {
  const shop = tempFolder("init-force");
  expect((await quietly(() => init.run([shop]))).code).toBe(0);
  rmSync(join(shop, "retail-mds.config.mjs"));
  const config = writePriceChangeConfig(shop);
  expect((await quietly(() => dbtSources.run(["--config", config]))).code).toBe(0);
  return shop;
}

test("init --force keeps the dbt files generated for the config's entities: dbt still parses", async () => {
  const shop = await projectWithPriceChange();
  const forced = await quietly(() => init.run([shop, "--force"]));
  expect(forced.code).toBe(0);
  const generated = renderDbtProjectFiles(join(shop, "dbt", "models", "_sources.yml"), [
    priceChange,
  ]);
  for (const [path, text] of Object.entries(generated))
    expect(readFileSync(path, "utf8"), path).toBe(text);
  expect(forced.out).toContain(
    "dbt files generated for the config's entities and layouts (price_change)",
  );

  const project = join(shop, "dbt");
  const parse = await runDbt(workspace("init-force"), ["parse"], {}, project);
  expect(parse.code, parse.output.slice(-2000)).toBe(0);
});

test("re-running init after dbt-sources finds the generated files unchanged, not edited", async () => {
  const shop = await projectWithPriceChange();
  const again = await quietly(() => init.run([shop]));
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/0 files created, 0 overwritten, \d+ unchanged, 0 kept/);
  expect(again.out).toContain(
    "your config retail-mds.config.ts is kept (init never rewrites a config)",
  );
  expect(again.out).not.toContain("--force overwrites them");
});

test("a config init cannot read: the package's dbt files, and the command to run once it reads", async () => {
  const shop = await projectWithPriceChange();
  const config = join(shop, "retail-mds.config.ts");
  writeFileSync(config, readFileSync(config, "utf8").replace("[priceChange]", "[1]"));
  const forced = await quietly(() => init.run([shop, "--force"]));
  expect(forced.code).toBe(0);
  expect(forced.out).toContain(`init: ${config}: entities.0: `);
  expect(forced.out).toContain(
    "dbt's generated files are the package's (built-in entities only): fix the config, then run `npx retail-mds dbt-sources`",
  );
});

test("init --force never rewrites the project's config: it lists the user's entities", async () => {
  const shop = tempFolder("init-force-config");
  expect((await quietly(() => init.run([shop]))).code).toBe(0);
  const config = join(shop, "retail-mds.config.mjs");
  const edited = readFileSync(config, "utf8").replace("seed: 42", "seed: 7");
  writeFileSync(config, edited);
  const forced = await quietly(() => init.run([shop, "--force"]));
  expect(forced.code).toBe(0);
  expect(readFileSync(config, "utf8")).toBe(edited);
  expect(forced.out).toContain(
    "your config retail-mds.config.mjs is kept (init never rewrites a config)",
  );
  expect(forced.out).toMatch(/0 files created, 0 overwritten, \d+ unchanged, 0 kept/);
});
