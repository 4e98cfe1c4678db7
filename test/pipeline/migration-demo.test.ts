import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { LayoutDefect } from "../../src/legacy/index.js";
import { runLocalPipeline } from "../../src/pipeline/index.js";
import { tempFolder } from "../warehouse/lake-fixture.js";

// One store, one day, through the French POS layout with a real dbt-duckdb build of the
// reference project. Seed 1 at 5% gives a file failing its trailer count besides the line
// defects; the test checks they are there. (A file cut short is covered by
// test/dbt/migration-reconciliation-layout.test.ts.)
test("the parallel run through the French POS layout, dbt built: lines reconcile, defects equal rejects by reason, the migration is signed off and the report shows it", async () => {
  const root = tempFolder("migration-demo");
  const result = await runLocalPipeline({
    days: 1,
    stores: 1,
    products: 20,
    seed: 1,
    legacyDefects: 0.05,
    lake: join(root, "lake"),
    warehouse: join(root, "warehouse"),
  });
  expect(result.dbt.result?.ok, result.dbt.text).toBe(true);

  const manifest: LayoutDefect[] = JSON.parse(
    readFileSync(join(root, "lake", String(result.legacy?.manifest)), "utf8"),
  ).defects;
  const kinds = new Set(manifest.map((d) => d.defect));
  for (const kind of [
    "wrong_trailer_count",
    "bad_date",
    "bad_number",
    "unknown_code",
    "routed_line",
  ])
    expect(kinds).toContain(kind);

  // Every line balances, each one a check that could fail.
  expect(result.reconciliation.filter((r) => r.left !== r.right)).toEqual([]);
  expect(result.balanced).toBe(true);
  const line = (label: string) => result.reconciliation.find((r) => r.label === label);
  const sent = line("legacy lines sent = loaded into raw.legacy_pos_fr_sale_line");
  expect(sent?.left).toBeGreaterThan(1000);

  // Injected defects = dbt's rejects, by reason, counted here from the manifest on its own: the
  // line defects of files without a file defect, and the file defects.
  const damaged = new Set(manifest.filter((d) => d.line === undefined).map((d) => d.file));
  const count = (list: LayoutDefect[]) => {
    const by: Record<string, number> = {};
    for (const d of list) by[d.reason] = (by[d.reason] ?? 0) + 1;
    return by;
  };
  const lineDefects = count(manifest.filter((d) => d.line !== undefined && !damaged.has(d.file)));
  const fileDefects = count(manifest.filter((d) => d.line === undefined));
  expect(Object.keys(lineDefects)).toEqual(expect.arrayContaining(["unparseable", "fee_line"]));
  const rejected = Object.fromEntries(
    (result.legacy?.rejected ?? []).map((r) => [r.reason, r.rows]),
  );
  const filesRejected = Object.fromEntries(
    (result.legacy?.rejectedFiles ?? []).map((r) => [r.reason, r.files]),
  );
  expect(rejected).toEqual(lineDefects);
  expect(filesRejected).toEqual(fileDefects);
  expect(fileDefects).toEqual({ control_count: expect.any(Number) });
  for (const [reason, n] of Object.entries(lineDefects))
    expect(line(`legacy line defects = rejects: ${reason}`)).toMatchObject({ left: n, right: n });
  for (const [reason, n] of Object.entries(fileDefects))
    expect(line(`legacy file defects = files rejected: ${reason}`)).toMatchObject({
      left: n,
      right: n,
    });

  // The migration reconciliation against gold: the rejects explain every difference.
  const migration = result.migration;
  expect(migration?.layout).toBe("pos_fr_sale_line");
  expect(migration?.signedOff).toBe(true);
  expect(migration?.total.unexplained).toEqual({ rows: 0, quantity: 0, amount: 0 });
  expect(migration?.total.explained.rows).toBeGreaterThan(0);
  expect(migration?.total.gold.rows).toBe(
    (migration?.total.legacy.rows ?? 0) + (migration?.total.explained.rows ?? 0),
  );
  expect(line("migration unexplained amount = 0")).toEqual({
    label: "migration unexplained amount = 0",
    left: 0,
    right: 0,
  });
  expect(line("migration signed off (1 = yes)")?.left).toBe(1);

  // The report: the migration section, and the new lines in the reconciliation.
  const html = readFileSync(result.report, "utf8");
  expect(html).toContain('id="migration-pos_fr_sale_line"');
  expect(html).toContain("signed off");
  expect(html).toContain("legacy lines sent = loaded into raw.legacy_pos_fr_sale_line");
  expect(html).not.toContain("MISMATCH");
}, 600_000);
