// The migration reconciliation end to end on the French POS layout's real dbt models: the same
// sales as gold written as French till exports with injected defects, landed and loaded by the
// local pipe, parsed by dbt, reconciled. Every defect is explained by its reason; nothing is left.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { renderMigrationReconciliationModels } from "../../src/dbt/index.js";
import { createLayoutFeed, type LayoutDefect } from "../../src/legacy/index.js";
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
const manifest: LayoutDefect[] = [];
/** Sale lines of the file rejected whole by its trailer count. */
let heldLines = 0;
let goldRows = 0;
const ROUTED = posFr.reject.map((r) => r.reason);

beforeAll(async () => {
  ws = workspace("migration-layout");
  const project = join(ws.dir, "dbt");
  cpSync(resolve("dbt"), project, {
    recursive: true,
    filter: (src) => !/[/\\](target|logs|dbt_packages)$/.test(src),
  });
  for (const [path, text] of Object.entries(renderMigrationReconciliationModels([posFr])))
    writeFileSync(join(project, "models", path), text);

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
  // Row defects in the first file; the second fails its trailer count. (A file cut short,
  // truncated_last_line, is left out: its cut last line reads as its trailer, in no silver model.)
  const damaged = createLayoutFeed(posFr, {
    seed: 7,
    rates: { bad_date: 0.05, bad_number: 0.05, unknown_code: 0.05, routed_line: 0.15 },
  });
  const miscounted = createLayoutFeed(posFr, { seed: 7, rates: { wrong_trailer_count: 1 } });
  const lake = join(ws.dir, "lake");
  const folder = join(lake, "legacy_raw", posFr.name);
  mkdirSync(folder, { recursive: true });
  days.forEach((day, i) => {
    const records = byDay.get(day) ?? [];
    const name = `caisse-${day}.csv`;
    const file = (i === 1 ? miscounted : damaged).file(records, name);
    if (i === 1) heldLines = records.length;
    manifest.push(...file.defects);
    writeFileSync(join(folder, name), file.bytes);
  });
  const pipe = await openLocalPipe({ lake, database: ws.database, layouts: [posFr] });
  try {
    const loaded = await pipe.refresh();
    expect([loaded.loaded, loaded.failed]).toEqual([days.length, 0]);
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
  const pipeAfter = await openLocalPipe({ lake, database: ws.database, layouts: [posFr] });
  try {
    [result] = (await readMigrationReconciliation(pipeAfter.query, {
      layout: posFr.name,
    })) as [MigrationReconciliation];
  } finally {
    await pipeAfter.close();
  }
}, 900_000);

test("the French POS feed of the same sales signs off: every injected defect explained by its reason, nothing unexplained", () => {
  const defects = new Map<string, number>();
  for (const d of manifest.filter((d) => d.line !== undefined))
    defects.set(d.reason, (defects.get(d.reason) ?? 0) + 1);
  expect(manifest.filter((d) => d.line === undefined).map((d) => d.reason)).toEqual([
    "control_count",
  ]);
  // Some lines no sale (routed) and some sales unparseable: both kinds of explanation occur.
  expect([...defects.keys()]).toContain("unparseable");
  expect([...defects.keys()].some((r) => ROUTED.includes(r))).toBe(true);

  expect(result.total.unexplained).toEqual({ rows: 0, quantity: 0, amount: 0 });
  expect(result.lines.filter((l) => !l.balanced)).toEqual([]);
  expect(result.signedOff).toBe(true);
  expect(result.total.gold.rows).toBe(goldRows);

  const explained = new Map<string, number>();
  for (const r of result.reasons) {
    const key = r.kind === "file_rejection" ? `file ${r.reason}` : r.reason;
    explained.set(key, (explained.get(key) ?? 0) + r.rows);
  }
  expect(Object.fromEntries(explained)).toEqual({
    ...Object.fromEntries(defects),
    "file control_count": heldLines,
  });
  // Routed lines are no sale; the rest are sales gold holds, each found by its key.
  expect(result.total.notSaleRows).toBe(manifest.filter((d) => ROUTED.includes(d.reason)).length);
  expect(result.total.explained.rows).toBe(
    heldLines + manifest.filter((d) => d.line !== undefined && !ROUTED.includes(d.reason)).length,
  );
  expect(result.total.fileLines).toBe(goldRows + result.total.notSaleRows);
});

test("retail-mds reconcile on it: exit 0 and the total line explains by reason", async () => {
  const run = await cliAsync(["reconcile", "--database", ws.database, "--layout", posFr.name], {
    cwd: ws.dir,
  });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^pos_fr_sale_line: signed off: nothing unexplained/);
  expect(run.stdout).toMatch(/\n {2}total .* ok .*file control_count \d+/);
}, 60_000);
