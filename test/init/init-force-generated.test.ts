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

// Found by the audit, following docs/add-an-entity.md from `npm install`: init, an entity added
// to the config, init again (no --force, as "running init again writes only what is missing"
// invites). init created the entity's SQL but kept the three YAML files the first init had
// written, calling them edited ("they differ from the package's") though they were the package's
// own bytes: the entity's models read a source the YAML no longer declared, and dbt failed to
// parse. A generated file still holding the package's bytes is nobody's edit: init renders it
// for the config ("updated"). One that holds neither is kept, and init says how to render it.
test("init again after an entity joins the config renders the package's generated YAML for it: dbt parses", async () => {
  const shop = tempFolder("init-again-entity");
  expect((await quietly(() => init.run([shop]))).code).toBe(0);
  rmSync(join(shop, "retail-mds.config.mjs"));
  writePriceChangeConfig(shop);
  const again = await quietly(() => init.run([shop]));
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/5 files created, 0 overwritten, 3 updated, \d+ unchanged, 0 kept/);
  expect(again.out).not.toContain("--force overwrites them");
  const generated = renderDbtProjectFiles(join(shop, "dbt", "models", "_sources.yml"), [
    priceChange,
  ]);
  for (const [path, text] of Object.entries(generated))
    expect(readFileSync(path, "utf8"), path).toBe(text);

  const parse = await runDbt(workspace("init-again-entity"), ["parse"], {}, join(shop, "dbt"));
  expect(parse.code, parse.output.slice(-2000)).toBe(0);
});

test("a generated dbt file edited by hand is kept, and init names the command that renders it", async () => {
  const shop = tempFolder("init-again-edited");
  expect((await quietly(() => init.run([shop]))).code).toBe(0);
  const sources = join(shop, "dbt", "models", "_sources.yml");
  const edited = `${readFileSync(sources, "utf8")}# our note\n`;
  writeFileSync(sources, edited);
  rmSync(join(shop, "retail-mds.config.mjs"));
  writePriceChangeConfig(shop);
  const again = await quietly(() => init.run([shop]));
  expect(again.code).toBe(0);
  expect(readFileSync(sources, "utf8")).toBe(edited);
  expect(again.out).toContain(
    "kept (they differ from the package's; --force overwrites them):\n  dbt/models/_sources.yml",
  );
  expect(again.out).toContain(
    "dbt/models/_sources.yml is generated: until `npx retail-mds dbt-sources` renders it again (overwriting it), dbt may not build the config's entities and layouts",
  );
});
