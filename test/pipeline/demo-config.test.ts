import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { command as demo } from "../../src/cli/demo-command.js";
import { tempFolder } from "../warehouse/lake-fixture.js";

async function runDemo(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await demo.run(args), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

test("demo reads the project config: simulation defaults, lake, warehouse file; a flag wins", async () => {
  const project = tempFolder("demo-config");
  const file = join(project, "retail-mds.config.mjs");
  writeFileSync(
    file,
    `export default {
      lake: { path: "./data/lake" },
      warehouse: { database: "./data/wh/shop.duckdb" },
      simulation: { seed: 7, from: "2026-11-09", days: 1, stores: 2, products: 20 },
    };\n`,
  );
  const run = await runDemo(["--config", file, "--stores", "1", "--skip-dbt"]);
  expect(run.code, run.out).toBe(0);
  expect(run.out).toContain(`warehouse: ${join(project, "data", "wh", "shop.duckdb")}`);
  expect(run.out).toContain(`report: ${join(project, "data", "wh", "report.html")}`);
  expect(existsSync(join(project, "data", "lake", "store"))).toBe(true);
  // --stores 1 from the flag, the rest from the config: one store column, the config's week.
  expect(run.out).toMatch(
    /net sales per day and store \(raw\.sale_line.*\)\n\s+store\s+11-09\s+total\n\s+S001 /,
  );
  expect(run.out).not.toMatch(/\n\s+S002 /);
});

test("a config that fails its schema stops demo with a usage error before anything is written", async () => {
  const project = tempFolder("demo-config-bad");
  const file = join(project, "retail-mds.config.mjs");
  writeFileSync(file, `export default { simulation: { dayz: 3 }, lake: { path: "./lake" } };\n`);
  await expect(demo.run(["--config", file, "--skip-dbt"])).rejects.toThrow(
    /demo: .*retail-mds\.config\.mjs: simulation\.dayz: is not a config key/,
  );
  expect(existsSync(join(project, "lake"))).toBe(false);
});

test("the config's demo.legacyLayout and demo.legacyDefects turn the parallel run on; --legacy-layout wins", async () => {
  const project = tempFolder("demo-config-legacy");
  const file = join(project, "retail-mds.config.mjs");
  writeFileSync(
    file,
    `export default {
      simulation: { days: 1, stores: 1, products: 20 },
      demo: { legacyLayout: "legacy-csv", legacyDefects: 0.02 },
    };\n`,
  );
  const csv = await runDemo(["--config", file, "--skip-dbt"]);
  expect(csv.code, csv.out).toBe(0);
  expect(csv.out).toMatch(/legacy feed legacy-csv: [\d,]+ defects injected/);
  expect(existsSync(join(project, "lake", "legacy"))).toBe(true);

  const other = tempFolder("demo-config-legacy-flag");
  const flagged = await runDemo([
    "--config",
    file,
    "--skip-dbt",
    "--legacy-layout",
    "pos_fr_sale_line",
    "--lake",
    join(other, "lake"),
    "--warehouse",
    join(other, "warehouse"),
  ]);
  expect(flagged.out).toMatch(
    /legacy feed pos_fr_sale_line: [\d,]+ defects injected \(_manifests\/layout-defects-pos_fr_sale_line-run-[0-9a-f]+\.json\)/,
  );
  expect(existsSync(join(other, "lake", "legacy_raw", "pos_fr_sale_line"))).toBe(true);
  expect(existsSync(join(other, "lake", "legacy"))).toBe(false);
});

test("a --legacy-layout that is neither a shipped name, a config layout nor a file is a usage error", async () => {
  const project = tempFolder("demo-legacy-bad");
  await expect(
    demo.run(["--legacy-layout", "caisse", "--skip-dbt", "--lake", join(project, "lake")]),
  ).rejects.toThrow('demo: --legacy-layout "caisse" is neither a file nor a layout of the config');
  expect(existsSync(join(project, "lake"))).toBe(false);
});
