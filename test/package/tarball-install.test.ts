import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";

// What a user does with the packed tarball in an empty folder: install it, run the README's
// snippet, `retail-mds init`, then `retail-mds demo` in the project, dbt included.
//
// Not run here: creating the project's venv with pip (minutes, and the network). The project's
// `.venv` is a link to an existing venv holding the same pinned dbt (the repository's `.venv`,
// or RETAIL_MDS_TEST_DBT_VENV), exactly where `pip install -r requirements.txt` would put it.
const root = join(import.meta.dirname, "..", "..");
const venv = process.env.RETAIL_MDS_TEST_DBT_VENV ?? join(root, ".venv");
let work: string;
let app: string;
let packed: string[];

// Asynchronous: a synchronous child blocks the worker for minutes and Vitest's RPC times out.
const exec = promisify(execFile);
const run = async (cmd: string, args: string[], cwd: string) =>
  (await exec(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).stdout;
/** Exit status, stdout and stderr, without throwing on a non-zero exit. */
const spawn = (cmd: string, args: string[], cwd: string) =>
  exec(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ status: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({
      status: e.code ?? 1,
      stdout: e.stdout ?? "",
      stderr: e.stderr ?? "",
    }),
  );

beforeAll(async () => {
  if (!existsSync(join(root, "dist", "pipeline.js"))) await run("npx", ["tsup", "--silent"], root);
  work = mkdtempSync(join(tmpdir(), "retail-mds-install-"));
  const name = (await run("npm", ["pack", "--silent", "--pack-destination", work], root))
    .trim()
    .split("\n")
    .pop() as string;
  const tarball = join(work, name);
  packed = (await run("tar", ["-tzf", tarball], work))
    .split("\n")
    .filter(Boolean)
    .map((p) => p.replace(/^package\//, ""));
  app = join(work, "app");
  mkdirSync(app);
  await run("npm", ["init", "-y"], app);
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], app);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Relative links of a markdown file, resolved against its folder, anchors dropped. */
function relativeLinks(file: string): string[] {
  const text = readFileSync(join(app, "node_modules", "retail-mds", file), "utf8");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((href) => !/^([a-z]+:|#)/.test(href))
    .map((href) => normalize(join(dirname(file), href.split("#")[0] as string)).replace(/\/$/, ""));
}

test("the tarball holds the changelog, the scaffold's sources and every file its docs link to", () => {
  for (const path of [
    "CHANGELOG.md",
    "README.md",
    "docs/from-npm-install.md",
    "dbt/dbt_project.yml",
    "dags/retail_mds.py",
    "examples/azure-function/src/tick-handler.ts",
    "infra/terraform/main.tf",
    "docker-compose.yaml",
    "deploy/airflow/Dockerfile",
    "requirements.txt",
    "scaffold/ci.yml",
  ])
    expect(packed, path).toContain(path);
  expect(packed.filter((p) => /^dbt\/(target|logs)\/|^dags\/tests\/|__pycache__/.test(p))).toEqual(
    [],
  );
  const docs = ["README.md", ...packed.filter((p) => /^docs\/[^/]+\.md$/.test(p))];
  const broken = docs.flatMap((doc) =>
    relativeLinks(doc)
      .filter((target) => !packed.some((p) => p === target || p.startsWith(`${target}/`)))
      .map((target) => `${doc} -> ${target}`),
  );
  expect(broken).toEqual([]);
});

test("the README's library snippet runs as written, saved as pipeline.mjs", async () => {
  const readme = readFileSync(join(app, "node_modules", "retail-mds", "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Install as a library"));
  const snippet = /Save as `pipeline\.mjs`[\s\S]*?```js\n([\s\S]*?)```/.exec(section)?.[1];
  expect(snippet).toBeDefined();
  writeFileSync(join(app, "pipeline.mjs"), snippet as string);
  const out = await run("node", ["pipeline.mjs"], app);
  expect(out).toMatch(/^[1-9]\d* files, [1-9]\d* rows loaded$/m);
  expect(existsSync(join(app, "warehouse", "retail.duckdb"))).toBe(true);
});

test("init then demo in the new project runs the whole local pipeline, dbt build included", async () => {
  const init = await spawn("npx", ["retail-mds", "init", "shop"], app);
  expect(init.status, init.stderr).toBe(0);
  expect(init.stdout).toContain("cd shop");
  const shop = join(app, "shop");
  expect(existsSync(join(shop, "dbt", "dbt_project.yml"))).toBe(true);
  symlinkSync(venv, join(shop, ".venv"));
  // The scaffolded config is what demo reads: make its simulation small, as a user would.
  const config = join(shop, "retail-mds.config.mjs");
  const text = readFileSync(config, "utf8");
  expect(text).toContain('from "retail-mds/config"');
  writeFileSync(
    config,
    text.replace("days: 7, stores: 10, products: 500", "days: 1, stores: 2, products: 30"),
  );
  const demo = await spawn("npx", ["retail-mds", "demo"], shop);
  expect(demo.stderr).toContain("generate 1 days x 2 stores x 30 SKUs (seed 42)");
  expect(demo.stderr).toMatch(/dbt ok: Done\. PASS=\d+ WARN=0 ERROR=0/);
  expect(demo.status, demo.stderr).toBe(0);
  expect(demo.stdout).toContain("gold.mart_daily_sales (dbt gold)");
  expect(demo.stdout).toMatch(/ok {2}generated = landed \+ quarantined/);
  expect(existsSync(join(shop, "warehouse", "report.html"))).toBe(true);
}, 600_000);

test("in that project, an entity of your own, its generator and one config line go through the whole pipeline", async () => {
  // docs/add-an-entity.md, steps 1 to 3 and 5, as files of the project (plain .mjs).
  const shop = join(app, "shop");
  mkdirSync(join(shop, "entities"), { recursive: true });
  mkdirSync(join(shop, "generators"), { recursive: true });
  writeFileSync(
    join(shop, "entities", "price-change.mjs"),
    `import { z } from "zod";
import { decimal, defineEntity, sku, storeId, utcTimestamp } from "retail-mds/entities";
export const priceChange = defineEntity({
  name: "price_change",
  description: "A change of a SKU's shelf price in one store.",
  partition: "day",
  eventTime: "changed_at",
  key: ["sku", "store_id", "changed_at"],
  schema: z.object({
    sku,
    store_id: storeId,
    changed_at: utcTimestamp(),
    old_price: decimal(12, 2, { min: "0.00", max: "10000.00" }),
    new_price: decimal(12, 2, { min: "0.00", max: "10000.00" }),
    reason: z.enum(["markdown", "promotion_start", "promotion_end", "repricing"]),
  }),
  docs: {
    sku: { description: "Product repriced." },
    store_id: { description: "Store where the price changed." },
    changed_at: { description: "Instant the new price applies from, UTC." },
    old_price: { description: "Shelf price before, including VAT." },
    new_price: { description: "Shelf price from changed_at, including VAT." },
    reason: { description: "Why: markdown, promotion_start, promotion_end or repricing." },
  },
});
`,
  );
  writeFileSync(
    join(shop, "generators", "price-changes.mjs"),
    `import { defineGenerator } from "retail-mds/generators";
import { priceChange } from "../entities/price-change.mjs";
// Each store reprices its first ten SKUs at the start of every business day in the window.
export const priceChanges = defineGenerator(priceChange, function* (ctx) {
  for (const day of ctx.businessDays) {
    if (day.start < ctx.window.from || day.start >= ctx.window.to) continue;
    for (const p of ctx.products.slice(0, 10))
      yield { sku: p.sku, store_id: day.store_id, changed_at: day.start,
        old_price: p.list_price, new_price: p.list_price, reason: "repricing" };
  }
});
`,
  );
  const config = join(shop, "retail-mds.config.mjs");
  writeFileSync(
    config,
    `import { priceChange } from "./entities/price-change.mjs";\nimport { priceChanges } from "./generators/price-changes.mjs";\n${readFileSync(
      config,
      "utf8",
    ).replace("entities: [],", "entities: [priceChange],\n  generators: [priceChanges],")}`,
  );

  const sources = await spawn("npx", ["retail-mds", "dbt-sources"], shop);
  expect(sources.status, sources.stderr).toBe(0);
  expect(existsSync(join(shop, "dbt", "models", "silver", "slv_price_change.sql"))).toBe(true);
  const demo = await spawn("npx", ["retail-mds", "demo"], shop);
  expect(demo.stderr).toMatch(/dbt ok: Done\. PASS=\d+ WARN=0 ERROR=0/);
  expect(demo.status, demo.stderr).toBe(0);
  expect(demo.stdout).toMatch(/raw {5}.*price_change [1-9]/);
  expect(demo.stdout).toMatch(/silver {2}.*slv_price_change [1-9]/);
  expect(readFileSync(join(shop, "warehouse", "report.html"), "utf8")).toContain("price_change");

  const ddl = await spawn(
    "npx",
    [
      "retail-mds",
      "ddl",
      "--account",
      "shoplake",
      "--container",
      "lake",
      "--queue-url",
      "https://shoplake.queue.core.windows.net/lake-events",
      "--tenant",
      "00000000-0000-0000-0000-000000000000",
    ],
    shop,
  );
  expect(ddl.status, ddl.stderr).toBe(0);
  expect(ddl.stdout).toMatch(/create table if not exists [^\n]*PRICE_CHANGE\b/i);
  expect(ddl.stdout).toMatch(/create pipe if not exists [^\n]*PRICE_CHANGE/i);
}, 600_000);
