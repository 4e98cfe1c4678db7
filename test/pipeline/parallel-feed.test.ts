import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import {
  legacyCsvLayout,
  rawLegacyLines,
  readLegacyFile,
  scoreDefects,
} from "../../src/legacy/index.js";
import { DEFAULT_LEGACY_LAYOUT, runLocalPipeline } from "../../src/pipeline/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { tempFolder } from "../warehouse/lake-fixture.js";

const small = { days: 1, stores: 2, products: 20, skipDbt: true } as const;

const folders = (name: string) => {
  const root = tempFolder(name);
  return { lake: join(root, "lake"), warehouse: join(root, "warehouse") };
};

test("the parallel run writes its legacy feed through the French POS layout by default, with its defect manifest, and the pipe loads every line", async () => {
  const where = folders("parallel-layout");
  const options = { ...small, ...where, legacyDefects: 0.05 };
  const result = await runLocalPipeline(options);

  expect(DEFAULT_LEGACY_LAYOUT.name).toBe("pos_fr_sale_line");
  const folder = join(where.lake, "legacy_raw", "pos_fr_sale_line");
  const names = readdirSync(folder).sort();
  expect(names.length).toBeGreaterThan(5);
  expect(names.every((n) => /^pos_fr_sale_line-\d{8}T\d{4}Z-\d{8}T\d{4}Z\.csv$/.test(n))).toBe(
    true,
  );
  // The canonical CSV feed is not sent alongside.
  expect(existsSync(join(where.lake, "legacy"))).toBe(false);

  const legacy = result.legacy;
  expect(legacy?.feed).toBe("pos_fr_sale_line");
  expect(legacy?.manifest).toMatch(
    /^_manifests\/layout-defects-pos_fr_sale_line-run-[0-9a-f]+\.json$/,
  );
  const manifest = JSON.parse(readFileSync(join(where.lake, String(legacy?.manifest)), "utf8"));
  expect(manifest).toMatchObject({ layout: "pos_fr_sale_line", seed: 42, rate: 0.05 });
  expect(manifest.defects.length).toBe(legacy?.defects);
  expect(legacy?.defects).toBeGreaterThan(50);
  // Real Windows-1252 bytes, read back by the layout's reader: every declared defect is caught
  // with its declared reason, and nothing else is rejected.
  const files = names.map((n) => ({ name: n, bytes: readFileSync(join(folder, n)) }));
  const read = files.map((f) => readLegacyFile(DEFAULT_LEGACY_LAYOUT, f.bytes, f.name));
  const score = scoreDefects(manifest.defects, read);
  expect(score.recall).toBe(1);
  expect(score.precision).toBe(1);
  // Every sale line the simulation generated was sent: mapped, or rejected with a line defect.
  const mapped = read.reduce((s, r) => s + r.stats.mapped, 0);
  expect(result.counts.legacyRows).toBeGreaterThan(0);
  expect(mapped).toBeGreaterThan(result.counts.legacyRows * 0.9);
  expect(mapped).toBeLessThanOrEqual(result.counts.legacyRows);

  // The lines sent, counted on the bytes, are the physical lines the RAW table will hold.
  const sent = result.reconciliation.find((r) => r.label.startsWith("legacy lines sent"));
  expect(sent?.label).toBe("legacy lines sent = loaded into raw.legacy_pos_fr_sale_line");
  const physical = files.reduce(
    (s, f) => s + rawLegacyLines(DEFAULT_LEGACY_LAYOUT, f.bytes).lines.length,
    0,
  );
  expect(sent?.left).toBe(physical);
  // The pipe loaded every one of them into raw.legacy_pos_fr_sale_line (from the load history).
  expect(sent?.right).toBe(physical);
  expect(result.balanced).toBe(true);
  const pipe = await openLocalPipe({ lake: where.lake, database: result.database });
  try {
    const [row] = await pipe.query(
      "select count(*)::INTEGER as n, count(distinct _source_file)::INTEGER as files from raw.legacy_pos_fr_sale_line",
    );
    expect(row).toEqual({ n: physical, files: names.length });
  } finally {
    await pipe.close();
  }
  expect(
    result.reconciliation.find((r) => r.label === "legacy files = files in load history")?.left,
  ).toBe(names.length);

  // A re-run finds the same bytes (files and manifest), loads nothing twice, and still balances.
  const again = await runLocalPipeline(options);
  expect(again.legacy?.manifest).toBe(legacy?.manifest);
  expect(again.reconciliation).toEqual(result.reconciliation);
  expect(readdirSync(folder).sort()).toEqual(names);
  for (const f of files) expect(readFileSync(join(folder, f.name)).equals(f.bytes)).toBe(true);
}, 300_000);

test("legacyLayout takes any layout of a generated entity, or the canonical CSV feed for continuity", async () => {
  const stock = folders("parallel-mainframe");
  const run = await runLocalPipeline({ ...small, ...stock, legacyLayout: mainframe });
  const names = readdirSync(join(stock.lake, "legacy_raw", "mainframe_stock_movement"));
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n) => n.endsWith(".dat"))).toBe(true);
  expect(run.legacy?.feed).toBe("mainframe_stock_movement");
  // Without legacyDefects: no defect.
  expect(run.legacy?.defects).toBe(0);
  expect(run.balanced).toBe(true);

  const csv = folders("parallel-csv");
  const old = await runLocalPipeline({
    ...small,
    ...csv,
    legacyLayout: "legacy-csv",
    legacyDefects: 0.05,
  });
  expect(existsSync(join(csv.lake, "legacy_raw"))).toBe(false);
  expect(readdirSync(join(csv.lake, "legacy")).length).toBeGreaterThan(0);
  expect(old.legacy?.feed).toBe("legacy-csv");
  expect(old.legacy?.manifest).toBeUndefined();
  expect(old.reconciliation.map((r) => r.label)).toContain("legacy rows sent = loaded + skipped");
  expect(old.balanced).toBe(true);
}, 300_000);

test("a layout of an entity the run does not generate is refused before anything is written", async () => {
  // price_change is a registered entity here, but no generator of it runs.
  const layout = legacyCsvLayout(priceChange);
  const where = folders("parallel-refused");
  await expect(
    runLocalPipeline({ ...small, ...where, entities: [priceChange], legacyLayout: layout }),
  ).rejects.toThrow(
    'legacy layout "legacy_csv_price_change" maps entity "price_change", which this run does not generate',
  );
  expect(existsSync(where.lake)).toBe(false);
  expect(existsSync(where.warehouse)).toBe(false);
});

// Found by the audit from the package, in plain JavaScript (the README's way): legacyDefects 2
// created the warehouse, then threw the feed's raw ZodError (`"path": ["rate"]`), naming neither
// the option nor what it takes. Refused now before anything is written.
test.each([2, -0.1, Number.NaN])(
  "legacyDefects %s is refused naming the option and its range, before anything is written",
  async (legacyDefects) => {
    const where = folders("parallel-rate");
    await expect(runLocalPipeline({ ...small, ...where, legacyDefects })).rejects.toThrow(
      `runLocalPipeline: legacyDefects must be a number from 0 to 1 (the share of legacy rows with defects); got ${legacyDefects}`,
    );
    expect(existsSync(where.lake)).toBe(false);
    expect(existsSync(where.warehouse)).toBe(false);
  },
);
