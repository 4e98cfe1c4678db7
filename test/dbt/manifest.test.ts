import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { runDbt, workspace } from "./support/run-dbt.js";

interface ManifestNode {
  readonly resource_type: string;
  readonly name: string;
  readonly path: string;
  readonly description: string;
  readonly columns: Record<string, { description: string; data_type: string | null }>;
  readonly config: { contract?: { enforced: boolean }; materialized?: string };
  readonly depends_on: { nodes: string[] };
}

let parsed: Promise<Record<string, ManifestNode>> | undefined;
// One `dbt parse` for the whole file.
function manifest(): Promise<Record<string, ManifestNode>> {
  parsed ??= parseManifest();
  return parsed;
}

async function parseManifest(): Promise<Record<string, ManifestNode>> {
  const ws = workspace("manifest");
  const run = await runDbt(ws, ["parse"]);
  expect(run.code, run.output.slice(-2000)).toBe(0);
  const json = JSON.parse(readFileSync(join(ws.targetPath, "manifest.json"), "utf8")) as {
    nodes: Record<string, ManifestNode>;
  };
  return json.nodes;
}

test("every model and every documented column is described", async () => {
  const nodes = Object.values(await manifest()).filter((n) => n.resource_type === "model");
  expect(nodes.length).toBeGreaterThanOrEqual(40);
  const gaps: string[] = [];
  for (const node of nodes) {
    if (!node.description.trim()) gaps.push(`${node.name}: no description`);
    if (Object.keys(node.columns).length === 0) gaps.push(`${node.name}: no columns documented`);
    for (const [name, column] of Object.entries(node.columns)) {
      if (!column.description.trim()) gaps.push(`${node.name}.${name}: no description`);
    }
  }
  expect(gaps).toEqual([]);
});

test("gold enforces contracts with a data type on every column; marts read facts and dimensions only", async () => {
  const nodes = await manifest();
  const gold = Object.values(nodes).filter(
    (n) => n.resource_type === "model" && n.path.startsWith("gold/"),
  );
  expect(gold.map((n) => n.name).sort()).toEqual([
    "dim_customer",
    "dim_date",
    "dim_product",
    "dim_store",
    "fct_legacy_sale_lines",
    "fct_sales",
    "fct_stock_daily",
    "mart_daily_sales",
    "mart_inventory_turnover",
    "mart_migration_reconciliation",
    "mart_migration_reconciliation_reasons",
    "mart_returns",
    "mart_stock_outs",
  ]);
  for (const node of gold) {
    expect(node.config.contract?.enforced, node.name).toBe(true);
    for (const [name, column] of Object.entries(node.columns)) {
      expect(column.data_type, `${node.name}.${name}`).toMatch(
        /^(varchar|integer|bigint|boolean|date|timestamp|decimal\(\d+,\d+\))$/,
      );
    }
  }
  for (const mart of gold.filter((n) => n.name.startsWith("mart_"))) {
    const parents = mart.depends_on.nodes.map((id) => id.split(".").pop());
    expect(parents.length, mart.name).toBeGreaterThan(0);
    for (const parent of parents)
      expect(parent, `${mart.name} reads ${parent}`).toMatch(/^(fct|dim)_/);
  }
});

test("bronze, silver and gold follow the naming of their layer", async () => {
  const models = Object.values(await manifest()).filter((n) => n.resource_type === "model");
  for (const node of models) {
    const layer = node.path.split("/")[0];
    const prefix = {
      bronze: /^brz_/,
      silver: /^slv_/,
      gold: /^(dim|fct|mart)_/,
      // A legacy layout's models (generated), one folder per layout: its bronze and silver.
      legacy: new RegExp(`^(brz|slv)_legacy_${node.path.split("/")[1]}(_\\w+)?$`),
    }[layer ?? ""];
    expect(prefix, node.path).toBeDefined();
    expect(node.name).toMatch(prefix as RegExp);
  }
});
