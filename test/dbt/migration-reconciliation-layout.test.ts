// The migration reconciliation end to end on the French POS layout's real dbt models: the same
// sales as gold written as French till exports with injected defects, landed and loaded by the
// local pipe, parsed by dbt, reconciled. Every defect is explained by its reason; nothing is left.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { beforeAll, expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import {
  renderLegacyLayoutModels,
  renderMigrationReconciliationModels,
} from "../../src/dbt/index.js";
import { createLayoutFeed, defineLegacyLayout, type LayoutDefect } from "../../src/legacy/index.js";
import {
  type MigrationReconciliation,
  openLocalPipe,
  readMigrationReconciliation,
} from "../../src/warehouse/index.js";
import { cliAsync } from "../integrity/run-cli.js";
import { buildRetailFixture, writeRawTables } from "./support/raw-fixture.js";
import { notOk, runDbt, runResults, type Workspace, workspace } from "./support/run-dbt.js";

let ws: Workspace;
let result: MigrationReconciliation;
/** The same sales in a copy of the layout, every file damaged but none cut short. */
let signed: MigrationReconciliation;
const signedManifest: LayoutDefect[] = [];
// A second layout, its models rendered into the test's project: the reference has pos_fr's only.
const posFrSigned = defineLegacyLayout({ ...posFr.definition, name: "pos_fr_signed" });
const manifest: LayoutDefect[] = [];
/** Sale lines of the file rejected whole by its trailer count. */
let heldLines = 0;
/** Sale lines of the file cut short (no trailer: rejected missing_trailer). */
let cutLines = 0;
/** The sale on the cut line: only its ticket survives the cut. */
let cutSale: Record<string, unknown> = {};
let goldRows = 0;
const ROUTED = posFr.reject.map((r) => r.reason);

beforeAll(async () => {
  ws = workspace("migration-layout");
  const project = join(ws.dir, "dbt");
  cpSync(resolve("dbt"), project, {
    recursive: true,
    filter: (src) => !/[/\\](target|logs|dbt_packages)$/.test(src),
  });
  for (const [path, text] of Object.entries({
    ...renderMigrationReconciliationModels([posFr, posFrSigned]),
    ...renderLegacyLayoutModels(posFrSigned),
  })) {
    mkdirSync(dirname(join(project, "models", path)), { recursive: true });
    writeFileSync(join(project, "models", path), text);
  }

  const fixture = buildRetailFixture({ days: 3, stores: 2 });
  goldRows = fixture.sale_line?.length ?? 0;
  await writeRawTables(ws.database, fixture);

  // One file per UTC day, tickets whole and in line order, as a till exports a period.
  const byDay = new Map<string, Record<string, unknown>[]>();
  for (const row of [...(fixture.sale_line ?? [])].sort((a, b) =>
    `${a.transaction_id}|${a.line_no?.padStart(4, "0")}`.localeCompare(
      `${b.transaction_id}|${b.line_no?.padStart(4, "0")}`,
    ),
  )) {
    const soldAt = `${String(row.sold_at).replace(" ", "T")}.000Z`;
    const record = {
      transaction_id: row.transaction_id,
      line_no: Number(row.line_no),
      sold_at: soldAt,
      store_id: row.store_id,
      sku: row.sku,
      customer_id: row.customer_id,
      quantity: Number(row.quantity),
      unit_price: row.unit_price,
      discount_amount: row.discount_amount,
      net_amount: row.net_amount,
      vat_amount: row.vat_amount,
      payment_method: row.payment_method,
      channel: row.channel,
      currency: row.currency,
    };
    const day = soldAt.slice(0, 10);
    byDay.set(day, [...(byDay.get(day) ?? []), record]);
  }
  const days = [...byDay.keys()].sort();
  expect(days.length).toBeGreaterThanOrEqual(3);
  // Row defects in the first file; the second fails its trailer count; the third is cut short
  // (in pos_fr_signed: damaged like the first).
  const lake = join(ws.dir, "lake");
  for (const layout of [posFr, posFrSigned]) {
    const damaged = createLayoutFeed(layout, {
      seed: 7,
      rates: { bad_date: 0.05, bad_number: 0.05, unknown_code: 0.05, routed_line: 0.15 },
    });
    const miscounted = createLayoutFeed(layout, { seed: 7, rates: { wrong_trailer_count: 1 } });
    const truncated = createLayoutFeed(layout, { seed: 7, rates: { truncated_last_line: 1 } });
    const folder = join(lake, "legacy_raw", layout.name);
    mkdirSync(folder, { recursive: true });
    days.forEach((day, i) => {
      const records = byDay.get(day) ?? [];
      const name = `caisse-${day}.csv`;
      const cut = i === 2 && layout === posFr;
      const file = (i === 1 ? miscounted : cut ? truncated : damaged).file(records, name);
      if (i === 1) heldLines = records.length;
      if (cut) {
        cutLines = records.length;
        cutSale = records.at(-1) ?? {};
      }
      (layout === posFr ? manifest : signedManifest).push(...file.defects);
      writeFileSync(join(folder, name), file.bytes);
    });
  }
  const pipe = await openLocalPipe({ lake, database: ws.database, layouts: [posFr, posFrSigned] });
  try {
    const loaded = await pipe.refresh();
    expect([loaded.loaded, loaded.failed]).toEqual([2 * days.length, 0]);
  } finally {
    await pipe.close();
  }

  const gold = await runDbt(ws, ["run", "--select", "+fct_sales"], {}, project);
  expect(gold.code, gold.output.slice(-3000)).toBe(0);
  const build = await runDbt(
    ws,
    [
      "build",
      "--select",
      "path:models/legacy",
      "fct_legacy_sale_lines",
      "mart_migration_reconciliation",
      "mart_migration_reconciliation_reasons",
    ],
    {},
    project,
  );
  expect(build.code, build.output.slice(-3000)).toBe(0);
  expect(notOk(runResults(ws), ["success", "pass", "warn"])).toEqual([]);
  const pipeAfter = await openLocalPipe({
    lake,
    database: ws.database,
    layouts: [posFr, posFrSigned],
  });
  try {
    [result] = (await readMigrationReconciliation(pipeAfter.query, {
      layout: posFr.name,
    })) as [MigrationReconciliation];
    [signed] = (await readMigrationReconciliation(pipeAfter.query, {
      layout: posFrSigned.name,
    })) as [MigrationReconciliation];
  } finally {
    await pipeAfter.close();
  }
}, 900_000);

test("the same sales as French till exports with row defects and a file failing its trailer count sign off: every defect explained by its reason, nothing unexplained", () => {
  const defects = new Map<string, number>();
  for (const d of signedManifest.filter((d) => d.line !== undefined))
    defects.set(d.reason, (defects.get(d.reason) ?? 0) + 1);
  expect(signedManifest.filter((d) => d.line === undefined).map((d) => d.reason)).toEqual([
    "control_count",
  ]);
  expect([...defects.keys()]).toContain("unparseable");
  expect([...defects.keys()].some((r) => ROUTED.includes(r))).toBe(true);
  expect(signed.total.unexplained).toEqual({ rows: 0, quantity: 0, amount: 0 });
  expect(signed.lines.filter((l) => !l.balanced)).toEqual([]);
  expect(signed.signedOff).toBe(true);
  expect(signed.total.gold.rows).toBe(goldRows);
  const explained = new Map<string, number>();
  for (const r of signed.reasons) {
    const key = r.kind === "file_rejection" ? `file ${r.reason}` : r.reason;
    explained.set(key, (explained.get(key) ?? 0) + r.rows);
  }
  expect(Object.fromEntries(explained)).toEqual({
    ...Object.fromEntries(defects),
    "file control_count": heldLines,
  });
});

test("the French POS feed of the same sales, a file cut short among them: every injected defect explained by its reason, the cut sale found in gold by the ticket its line keeps", () => {
  const defects = new Map<string, number>();
  for (const d of manifest.filter((d) => d.line !== undefined))
    defects.set(d.reason, (defects.get(d.reason) ?? 0) + 1);
  expect(manifest.filter((d) => d.line === undefined).map((d) => d.reason)).toEqual([
    "control_count",
    "missing_trailer",
  ]);
  // Some lines no sale (routed) and some sales unparseable: both kinds of explanation occur.
  expect([...defects.keys()]).toContain("unparseable");
  expect([...defects.keys()].some((r) => ROUTED.includes(r))).toBe(true);
  expect(result.total.gold.rows).toBe(goldRows);

  const explained = new Map<string, number>();
  for (const r of result.reasons) {
    const key = r.kind === "file_rejection" ? `file ${r.reason}` : r.reason;
    explained.set(key, (explained.get(key) ?? 0) + r.rows);
  }
  // The cut file's lines are held by its rejection; its cut last line is a reject of its own.
  expect(Object.fromEntries(explained)).toEqual({
    ...Object.fromEntries(defects),
    field_count: (defects.get("field_count") ?? 0) + 1,
    "file control_count": heldLines,
    "file missing_trailer": cutLines - 1,
  });
  // Routed lines are no sale; the rest are sales gold holds, each found by its key.
  expect(result.total.notSaleRows).toBe(manifest.filter((d) => ROUTED.includes(d.reason)).length);
  expect(result.total.explained.rows).toBe(
    heldLines +
      cutLines +
      manifest.filter((d) => d.line !== undefined && !ROUTED.includes(d.reason)).length,
  );
  expect(result.total.fileLines).toBe(goldRows + result.total.notSaleRows);

  // The cut line keeps the field it has, its ticket, and the number it would have had in it: gold
  // finds its sale by that key, so its quantity and amount are explained too, on its own day.
  expect(result.lines.filter((l) => !l.balanced)).toEqual([]);
  expect(
    result.lines.filter(
      (l) => l.lineKind === "unattributed" && l.explanation.includes("field_count"),
    ),
  ).toEqual([]);
  expect(
    result.lines.some(
      (l) =>
        l.lineKind === "day_store" &&
        l.storeId === cutSale.store_id &&
        l.explanation.includes("field_count"),
    ),
  ).toBe(true);
  expect(result.total.unexplained).toEqual({ rows: 0, quantity: 0, amount: 0 });
  expect(result.signedOff).toBe(true);
});

test("retail-mds reconcile: exit 0 on both layouts, the one with a file cut short included", async () => {
  const ok = await cliAsync(
    ["reconcile", "--database", ws.database, "--layout", posFrSigned.name],
    {
      cwd: ws.dir,
    },
  );
  expect([ok.code, ok.stderr]).toEqual([0, ""]);
  expect(ok.stdout).toMatch(/^pos_fr_signed: signed off: nothing unexplained/);
  expect(ok.stdout).toMatch(/\n {2}total .* ok .*file control_count \d+/);
  const run = await cliAsync(["reconcile", "--database", ws.database, "--layout", posFr.name], {
    cwd: ws.dir,
  });
  expect([run.code, run.stderr]).toEqual([0, ""]);
  expect(run.stdout).toMatch(/^pos_fr_sale_line: signed off: nothing unexplained/);
  expect(run.stdout).toMatch(/\n {2}total .* ok .*file missing_trailer \d+/);
}, 60_000);
