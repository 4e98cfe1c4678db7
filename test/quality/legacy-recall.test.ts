import { readFileSync, writeFileSync } from "node:fs";
import { expect, test } from "vitest";
import type { Batch, Entity } from "../../src/entities/index.js";
import {
  createRetailSimulation,
  DEFECT_KINDS,
  type DefectEntry,
  type LegacyBatch,
  parseTextRow,
  toLegacyFeed,
} from "../../src/generators/index.js";
import { createEvaluator, legacyFeedRules, type QualityReport } from "../../src/quality/index.js";

const CONFIG = {
  seed: 11,
  from: "2026-11-02",
  days: 2,
  stores: 3,
  products: 300,
  customers: 400,
  traffic: 0.3,
};

/** Runs the legacy rules over a legacy feed; returns the rules that failed, by "entity#row". */
function check(batches: readonly LegacyBatch[], references: Record<string, Set<string>>) {
  const failures = new Map<string, Set<string>>();
  const evaluators = new Map<string, ReturnType<typeof createEvaluator>>();
  for (const batch of batches) {
    const entity = batch.entity as Entity;
    let evaluator = evaluators.get(entity.name);
    if (!evaluator) {
      evaluator = createEvaluator(legacyFeedRules(entity), {
        references,
        onFailure: (f) => {
          const id = `${entity.name}#${f.row}`;
          const set = failures.get(id) ?? new Set<string>();
          set.add(f.rule);
          failures.set(id, set);
        },
      });
      evaluators.set(entity.name, evaluator);
    }
    evaluator.split(
      batch.rows.map((row) => parseTextRow(entity, row)),
      { window: batch.window },
    );
  }
  const reports: QualityReport[] = [...evaluators.values()].map((e) => e.report());
  return { failures, reports };
}

function simulate() {
  const sim = createRetailSimulation(CONFIG);
  const batches: Batch[] = [...sim.generate({ batchSize: 2000 })];
  const references: Record<string, Set<string>> = {};
  for (const batch of sim.reference()) {
    const set = references[batch.entity.name] ?? new Set<string>();
    for (const r of batch.records) set.add(batch.entity.keyOf(r as Record<string, unknown>));
    references[batch.entity.name] = set;
  }
  return { batches, references };
}

test("a clean legacy feed fails no rule at all", () => {
  const { batches, references } = simulate();
  const { batches: legacy, manifest } = toLegacyFeed(batches, { seed: 3, rate: 0 });
  expect(manifest).toHaveLength(0);
  const { failures, reports } = check(legacy, references);
  expect(reports.map((r) => r.entity).sort()).toEqual([
    "customer",
    "product",
    "sale_line",
    "stock_movement",
    "stock_snapshot",
    "store",
  ]);
  expect(reports.reduce((n, r) => n + r.input, 0)).toBeGreaterThan(5000);
  expect([...failures].slice(0, 5)).toEqual([]);
});

test("every legacy defect class is caught by a rule: recall 100% per class", () => {
  const { batches, references } = simulate();
  const { batches: legacy, manifest } = toLegacyFeed(batches, {
    seed: 3,
    rate: 0.08,
    rates: { latin1_name: 0.4 },
  });
  const { failures, reports } = check(legacy, references);
  const rows: string[] = [];
  const missed: DefectEntry[] = [];
  for (const kind of DEFECT_KINDS) {
    const entries = manifest.filter((m) => m.defect === kind);
    const rules = new Map<string, number>();
    let caught = 0;
    for (const m of entries) {
      const failed = failures.get(`${m.entity}#${m.row}`);
      if (!failed) {
        missed.push(m);
        continue;
      }
      caught++;
      for (const rule of failed) rules.set(rule, (rules.get(rule) ?? 0) + 1);
    }
    const top = [...rules]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 3)
      .map(([r]) => `\`${r}\``);
    const recall = entries.length ? `${((100 * caught) / entries.length).toFixed(1)}%` : "n/a";
    rows.push(`| ${kind} | ${entries.length} | ${caught} | ${recall} | ${top.join(", ")} |`);
    expect(entries.length, `${kind} injected`).toBeGreaterThanOrEqual(5);
  }
  expect(missed.slice(0, 5)).toEqual([]);
  // Nothing but the declared defects fails: every failing row is in the manifest.
  const declared = new Set(manifest.map((m) => `${m.entity}#${m.row}`));
  expect([...failures.keys()].filter((id) => !declared.has(id)).slice(0, 5)).toEqual([]);

  const input = reports.reduce((n, r) => n + r.input, 0);
  const table = [
    `Measured by \`test/quality/legacy-recall.test.ts\` on a generated legacy feed (simulation \`${JSON.stringify(CONFIG)}\`, legacy seed 3, defect rate 8%, latin1_name 40% of reference rows): ${input} rows, ${manifest.length} declared defects. A defect is caught when at least one rule fails on its row; rows that do not parse (dmy_date, decimal_comma) are caught by \`schema\`. On the same feed with no defects, no rule fails on any row.`,
    "",
    "| defect | injected | caught | recall | rules that caught it (most often first) |",
    "|---|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
  if (process.env.QUALITY_WRITE_DOCS === "1") {
    const doc = readFileSync("docs/quality.md", "utf8");
    const updated = doc.replace(
      /<!-- recall:start -->[\s\S]*?<!-- recall:end -->/,
      () => `<!-- recall:start -->\n${table}\n<!-- recall:end -->`,
    );
    writeFileSync("docs/quality.md", updated);
  }
  expect(rows.every((r) => r.includes("| 100.0% |"))).toBe(true);
});
