// The migration reconciliation mart built by the real dbt-duckdb against gold, with the legacy
// layouts' silver models standing in as tables holding exactly the contract's columns
// (LEGACY.md §3): one layout per scenario, each on its own store, so one dbt build covers a
// balanced feed, explained rejects, an unattributed reject, a rejected file and a broken gold.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { chromium } from "playwright-core";
import { beforeAll, expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { renderMigrationReconciliationModels } from "../../src/dbt/index.js";
import { defineLegacyLayout } from "../../src/legacy/index.js";
import {
  collectReportData,
  type MigrationReconciliation,
  openLocalPipe,
  readMigrationReconciliation,
  renderReport,
} from "../../src/warehouse/index.js";
import { cliAsync } from "../integrity/run-cli.js";
import { queryDuckDb } from "./support/query-duckdb.js";
import { buildRetailFixture, writeRawTables } from "./support/raw-fixture.js";
import { notOk, runDbt, runResults, type Workspace, workspace } from "./support/run-dbt.js";

const SCENARIOS = {
  recon_balanced: "S001",
  recon_rejects: "S002",
  recon_file: "S003",
  recon_broken: "S004",
} as const;
type Scenario = keyof typeof SCENARIOS;

const ENTITY_COLUMNS =
  "transaction_id, line_no, sold_at, store_id, sku, customer_id, quantity, unit_price, discount_amount, net_amount, vat_amount, payment_method, channel, currency";

let ws: Workspace;
let project: string;
let results: Record<string, MigrationReconciliation>;
/** Gold rows the scenarios damaged or rejected, by what was done to them. */
let picked: Record<
  string,
  { sale_date: string; transaction_id: string; quantity: number; net_amount: number }
>;

async function withDuckDb<T>(
  path: string,
  run: (sql: (q: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
) {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  try {
    return await run(
      async (q) =>
        (await connection.runAndReadAll(q)).getRowObjectsJson() as Record<string, unknown>[],
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The layout's four silver models, as views over tables the test fills. */
function writeStubModels(name: string) {
  const folder = join(project, "models", "legacy", name);
  mkdirSync(folder, { recursive: true });
  for (const suffix of ["", "_rejected", "_held", "_files", "_lines"]) {
    const model = `slv_legacy_${name}${suffix}`;
    writeFileSync(join(folder, `${model}.sql`), `select * from legacy_stub.${model}\n`);
  }
}

beforeAll(async () => {
  ws = workspace("migration");
  project = join(ws.dir, "dbt");
  cpSync(resolve("dbt"), project, {
    recursive: true,
    filter: (src) => !/[/\\](target|logs|dbt_packages)$/.test(src),
  });
  const layouts = Object.keys(SCENARIOS).map((name) =>
    defineLegacyLayout({ ...posFr.definition, name }),
  );
  for (const [path, text] of Object.entries(renderMigrationReconciliationModels(layouts)))
    writeFileSync(join(project, "models", path), text);
  for (const name of Object.keys(SCENARIOS)) writeStubModels(name);

  await writeRawTables(ws.database, buildRetailFixture({ days: 3, stores: 4 }));
  const gold = await runDbt(ws, ["run", "--select", "+fct_sales"], {}, project);
  expect(gold.code, gold.output.slice(-3000)).toBe(0);

  picked = await withDuckDb(ws.database, async (sql) => {
    await sql("create schema legacy_stub");
    const salesOf = (store: string) =>
      `select ${ENTITY_COLUMNS}, 'legacy_raw/x/' || store_id || '.csv' as _source_file,
              row_number() over (order by transaction_id, line_no) + 1 as _source_row
       from gold.fct_sales where store_id = '${store}'`;
    const rows = async (store: string) =>
      (await sql(
        `select strftime(sale_date, '%Y-%m-%d') as sale_date, transaction_id, line_no, quantity::DOUBLE as quantity, net_amount::DOUBLE as net_amount
         from gold.fct_sales where store_id = '${store}' order by transaction_id, line_no`,
      )) as {
        sale_date: string;
        transaction_id: string;
        line_no: number;
        quantity: number;
        net_amount: number;
      }[];
    const rejectedAs = (columns: string) =>
      `select reject_reason, reject_column, raw_line, ${ENTITY_COLUMNS}, _source_file, _source_row from (${columns})`;
    const file = (f: string, accepted: boolean, reason: string | null, dropped = 0) =>
      `select '${f}' as _source_file, ${accepted} as accepted, ${reason ? `'${reason}'` : "cast(null as varchar)"} as rejection_reason,
              0 as lines, 0 as detail_lines, 0 as mapped, 0 as rejected, ${dropped} as dropped`;
    const empty = (model: string, from: string) =>
      sql(`create table legacy_stub.${model} as select * from (${from}) where false`);
    const heldOf = (from: string, reason = "control_count") =>
      `select ${ENTITY_COLUMNS}, '${reason}' as rejection_reason, _source_file, _source_row from (${from})`;
    const linesOf = (from: string) =>
      `select outcome, reject_reason, reject_column, drop_reason, ${ENTITY_COLUMNS}, raw_line, frame_rejection, _source_file, _source_row from (${from})`;
    const noLines = (layout: string, store: string) =>
      empty(
        `slv_legacy_${layout}_lines`,
        linesOf(
          `select 'x' as outcome, 'x' as reject_reason, 'x' as reject_column, 'x' as drop_reason, 'x' as raw_line, 'x' as frame_rejection, * from (${salesOf(store)})`,
        ),
      );
    const s = SCENARIOS;

    // Balanced: every gold sale in the legacy feed, one fee line (no sale), one dropped line.
    await sql(`create table legacy_stub.slv_legacy_recon_balanced as ${salesOf(s.recon_balanced)}`);
    await sql(
      `create table legacy_stub.slv_legacy_recon_balanced_rejected as ${rejectedAs(
        `select 'fee_line' as reject_reason, cast(null as varchar) as reject_column, 'S001;FRAIS' as raw_line,
                'T-FEE-1' as transaction_id, cast(null as integer) as line_no, min(sold_at) as sold_at, '${s.recon_balanced}' as store_id,
                cast(null as varchar) as sku, cast(null as varchar) as customer_id, 1 as quantity, cast(null as decimal(12,2)) as unit_price,
                cast(null as decimal(12,2)) as discount_amount, cast(2.50 as decimal(12,2)) as net_amount, cast(null as decimal(12,2)) as vat_amount,
                cast(null as varchar) as payment_method, cast(null as varchar) as channel, 'EUR' as currency, 'legacy_raw/x/S001.csv' as _source_file, 1 as _source_row
         from gold.fct_sales where store_id = '${s.recon_balanced}'`,
      )}`,
    );
    await empty("slv_legacy_recon_balanced_held", heldOf(salesOf(s.recon_balanced)));
    await noLines("recon_balanced", s.recon_balanced);
    await sql(
      `create table legacy_stub.slv_legacy_recon_balanced_files as ${file("legacy_raw/x/S001.csv", true, null, 1)}`,
    );

    // Rejects: r1 unparseable quantity, r2 unparseable sold_at (found by key), r3 no store and no
    // key (unattributed, valued as it reads).
    const s2 = await rows(s.recon_rejects);
    const [r1, r2, r3] = [s2[0], s2[1], s2[2]];
    if (!r1 || !r2 || !r3) throw new Error("fixture too small");
    const key = (r: { transaction_id: string; line_no: number }) =>
      `(transaction_id = '${r.transaction_id}' and line_no = ${r.line_no})`;
    await sql(
      `create table legacy_stub.slv_legacy_recon_rejects as select * from (${salesOf(s.recon_rejects)}) where not (${key(r1)} or ${key(r2)} or ${key(r3)})`,
    );
    await sql(
      `create table legacy_stub.slv_legacy_recon_rejects_rejected as ${rejectedAs(
        `select case when ${key(r1)} then 'unparseable' when ${key(r2)} then 'unparseable' else 'invalid' end as reject_reason,
                case when ${key(r1)} then 'quantity' when ${key(r2)} then 'sold_at' else 'store_id' end as reject_column,
                'raw' as raw_line,
                case when ${key(r3)} then null else transaction_id end as transaction_id,
                case when ${key(r3)} then null else line_no end as line_no,
                case when ${key(r2)} then null else sold_at end as sold_at,
                case when ${key(r3)} then null else store_id end as store_id,
                sku, customer_id,
                case when ${key(r1)} then null else quantity end as quantity,
                unit_price, discount_amount, net_amount, vat_amount, payment_method, channel, currency, _source_file, _source_row
         from (${salesOf(s.recon_rejects)}) where ${key(r1)} or ${key(r2)} or ${key(r3)}`,
      )}`,
    );
    await empty("slv_legacy_recon_rejects_held", heldOf(salesOf(s.recon_rejects)));
    await noLines("recon_rejects", s.recon_rejects);
    await sql(
      `create table legacy_stub.slv_legacy_recon_rejects_files as ${file("legacy_raw/x/S002.csv", true, null)}`,
    );

    // Two files rejected whole: the first day's by its trailer count (its lines in _held), the
    // second day's for a missing trailer (mapped lines in _held, an unparseable line and a fee
    // line only in _lines); the other days accepted.
    const s3 = await rows(s.recon_file);
    const [day1, day2] = [...new Set(s3.map((r) => r.sale_date))];
    const cut = s3.find((r) => r.sale_date === day2);
    if (!day1 || !day2 || !cut) throw new Error("fixture too small");
    const ofDay = (day: string) =>
      `transaction_id in (select transaction_id from gold.fct_sales where sale_date = '${day}' and store_id = '${s.recon_file}')`;
    await sql(`create table legacy_stub.slv_legacy_recon_file as select * from (${salesOf(s.recon_file)})
               where not ${ofDay(day1)} and not ${ofDay(day2)}`);
    await sql(
      `create table legacy_stub.slv_legacy_recon_file_held as
       ${heldOf(`select * from (${salesOf(s.recon_file)}) where ${ofDay(day1)}`)}
       union all ${heldOf(`select * from (${salesOf(s.recon_file)}) where ${ofDay(day2)} and not ${key(cut)}`, "missing_trailer")}`,
    );
    await sql(
      `create table legacy_stub.slv_legacy_recon_file_lines as ${linesOf(
        `select 'rejected' as outcome, 'unparseable' as reject_reason, 'quantity' as reject_column, cast(null as varchar) as drop_reason,
                'raw' as raw_line, 'missing_trailer' as frame_rejection, * replace (cast(null as integer) as quantity)
         from (${salesOf(s.recon_file)}) where ${key(cut)}
         union all
         select 'rejected', 'fee_line', cast(null as varchar), cast(null as varchar), 'raw', 'missing_trailer',
                'T-FEE-2', cast(null as integer), sold_at, store_id, sku, customer_id, 1, unit_price, discount_amount,
                cast(1.00 as decimal(12,2)), vat_amount, payment_method, channel, currency, _source_file, _source_row + 1000
         from (${salesOf(s.recon_file)}) where ${key(cut)}`,
      )}`,
    );
    await empty(
      "slv_legacy_recon_file_rejected",
      rejectedAs(
        `select 'x' as reject_reason, 'x' as reject_column, 'x' as raw_line, * from (${salesOf(s.recon_file)})`,
      ),
    );
    await sql(
      `create table legacy_stub.slv_legacy_recon_file_files as ${file("legacy_raw/x/S003-a.csv", true, null)}
       union all ${file("legacy_raw/x/S003-b.csv", false, "control_count")} union all ${file("legacy_raw/x/S003-c.csv", false, "missing_trailer")}`,
    );

    // Broken gold: everything in the legacy feed, then one gold row deleted and one amount changed.
    const s4 = await rows(s.recon_broken);
    const [deleted, changed] = [s4[0], s4.at(-1)];
    if (!deleted || !changed) throw new Error("fixture too small");
    await sql(`create table legacy_stub.slv_legacy_recon_broken as ${salesOf(s.recon_broken)}`);
    await empty(
      "slv_legacy_recon_broken_rejected",
      rejectedAs(
        `select 'x' as reject_reason, 'x' as reject_column, 'x' as raw_line, * from (${salesOf(s.recon_broken)})`,
      ),
    );
    await empty("slv_legacy_recon_broken_held", heldOf(salesOf(s.recon_broken)));
    await noLines("recon_broken", s.recon_broken);
    await sql(
      `create table legacy_stub.slv_legacy_recon_broken_files as ${file("legacy_raw/x/S004.csv", true, null)}`,
    );
    await sql(`delete from gold.fct_sales where ${key(deleted)}`);
    await sql(`update gold.fct_sales set net_amount = net_amount + 10 where ${key(changed)}`);
    return {
      r1,
      r2,
      r3,
      day1: { sale_date: day1 },
      day2: { sale_date: day2 },
      deleted,
      changed,
    } as never;
  });

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
  expect(notOk(runResults(ws))).toEqual([]);
  const instance = await DuckDBInstance.create(ws.database, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  try {
    const all = await readMigrationReconciliation(
      async (q) =>
        (await connection.runAndReadAll(q)).getRowObjectsJson() as Record<string, unknown>[],
    );
    results = Object.fromEntries(all.map((r) => [r.layout, r]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}, 600_000);

const zero = { rows: 0, quantity: 0, amount: 0 };
const lineOf = (scenario: Scenario, day: string) =>
  results[scenario]?.lines.find((l) => l.businessDay === day && l.storeId === SCENARIOS[scenario]);

test("a balanced feed signs off: unexplained zero on every line, the fee line and the dropped line no sale", async () => {
  const r = results.recon_balanced as MigrationReconciliation;
  expect(r.signedOff).toBe(true);
  for (const l of [...r.lines, r.total]) expect(l.unexplained).toEqual(zero);
  const [gold] = await queryDuckDb(
    ws.database,
    `select count(*)::DOUBLE as n, sum(quantity)::DOUBLE as q, sum(net_amount)::DOUBLE as a from gold.fct_sales where store_id = 'S001'`,
  );
  expect(r.total.gold).toEqual({ rows: gold?.n, quantity: gold?.q, amount: gold?.a });
  expect(r.total.legacy).toEqual(r.total.gold);
  expect(r.total).toMatchObject({
    notSaleRows: 2,
    fileLines: Number(gold?.n) + 2,
    explained: zero,
  });
  expect(r.total.explanation).toBe("dropped 1 (not a sale); fee_line 1 (not a sale)");
  expect(r.lines.find((l) => l.lineKind === "unattributed")).toMatchObject({
    notSaleRows: 1,
    explanation: "dropped 1 (not a sale)",
  });
  expect(
    r.reasons.filter((x) => x.kind === "not_sale").map((x) => [x.reason, x.rows, x.amount]),
  ).toEqual([
    ["fee_line", 1, 2.5],
    ["dropped", 1, 0],
  ]);
});

test("rejects explain the difference by reason, valued at gold; one with no store nor key lands unattributed and the total still balances", () => {
  const r = results.recon_rejects as MigrationReconciliation;
  const { r1, r2, r3 } = picked as Record<
    string,
    { sale_date: string; quantity: number; net_amount: number }
  >;
  expect(r.signedOff).toBe(true);
  expect(r.total.unexplained).toEqual(zero);
  expect(r.total.explained.rows).toBe(3);
  expect(r.total.explanation).toBe("invalid 1; unparseable 2");
  // r2's day could not be read: its key found the gold row, which gave the day.
  const reasons = r.reasons.filter((x) => x.kind === "reject");
  expect(reasons.filter((x) => x.reason === "unparseable").reduce((n, x) => n + x.rows, 0)).toBe(2);
  expect(
    reasons.find((x) => x.reason === "unparseable" && x.businessDay === r2?.sale_date),
  ).toBeTruthy();
  // r1's quantity did not read: explained at gold's quantity.
  expect(
    reasons.filter((x) => x.reason === "unparseable").reduce((n, x) => n + x.quantity, 0),
  ).toBe((r1?.quantity ?? 0) + (r2?.quantity ?? 0));
  const unattributed = r.lines.find((l) => l.lineKind === "unattributed");
  expect(unattributed).toMatchObject({
    explained: { rows: 1, quantity: r3?.quantity, amount: r3?.net_amount },
    unexplained: { rows: -1, quantity: -(r3?.quantity ?? 0), amount: -(r3?.net_amount ?? 0) },
    explanation: "invalid 1",
  });
  // The day r3 was sold shows gold holding one row more than the legacy explains there.
  expect(lineOf("recon_rejects", r3?.sale_date as string)?.unexplained).toEqual({
    rows: 1,
    quantity: r3?.quantity,
    amount: r3?.net_amount,
  });
});

test("files rejected whole explain their days: by the trailer count, and for a missing trailer with its rejected and routed lines", () => {
  const r = results.recon_file as MigrationReconciliation;
  const day1 = (picked.day1 as { sale_date: string }).sale_date;
  const day2 = (picked.day2 as { sale_date: string }).sale_date;
  expect(r.signedOff).toBe(true);
  expect(r.total.unexplained).toEqual(zero);
  const counted = lineOf("recon_file", day1);
  expect(counted?.legacy.rows).toBe(0);
  expect(counted?.explained).toEqual(counted?.gold);
  expect(counted?.explanation).toMatch(/^file control_count \d+$/);
  const cut = lineOf("recon_file", day2);
  expect(cut?.legacy.rows).toBe(0);
  expect(cut?.explained).toEqual(cut?.gold);
  expect(cut?.notSaleRows).toBe(1);
  expect(cut?.explanation).toBe(
    `file missing_trailer ${(cut?.gold.rows ?? 0) - 1}; fee_line 1 (not a sale); unparseable 1`,
  );
  expect(
    r.reasons
      .map((x) => `${x.kind} ${x.reason}`)
      .filter((v, i, all) => all.indexOf(v) === i)
      .sort(),
  ).toEqual([
    "file_rejection control_count",
    "file_rejection missing_trailer",
    "not_sale fee_line",
    "reject unparseable",
  ]);
});

test("a gold row deleted and an amount changed are unexplained on their day and store, and the layout is not signed off", () => {
  const r = results.recon_broken as MigrationReconciliation;
  const { deleted, changed } = picked as Record<
    string,
    { sale_date: string; quantity: number; net_amount: number }
  >;
  expect(r.signedOff).toBe(false);
  expect(r.total.unexplained).toEqual({
    rows: -1,
    quantity: -(deleted?.quantity ?? 0),
    amount: Math.round((10 - (deleted?.net_amount ?? 0)) * 100) / 100,
  });
  const lost = lineOf("recon_broken", deleted?.sale_date as string);
  const moved = lineOf("recon_broken", changed?.sale_date as string);
  expect(lost?.balanced).toBe(false);
  expect(lost?.unexplained.rows).toBe(-1);
  expect(moved?.balanced).toBe(false);
  expect(r.lines.filter((l) => !l.balanced).length).toBe(
    deleted?.sale_date === changed?.sale_date ? 1 : 2,
  );
});

test("retail-mds reconcile: table, --json, exit 0 signed off, 1 unexplained, 2 on an unknown layout or a warehouse without the mart", async () => {
  const ok = await cliAsync(
    ["reconcile", "--database", ws.database, "--layout", "recon_balanced"],
    {
      cwd: ws.dir,
    },
  );
  expect(ok.stderr).toBe("");
  expect(ok.code).toBe(0);
  expect(ok.stdout).toMatch(/^recon_balanced: signed off: nothing unexplained/);
  expect(ok.stdout).toMatch(
    /\n {2}total .* ok {2}dropped 1 \(not a sale\); fee_line 1 \(not a sale\)$/,
  );

  const broken = await cliAsync(
    ["reconcile", "--database", ws.database, "--layout", "recon_broken", "--json"],
    { cwd: ws.dir },
  );
  expect(broken.code).toBe(1);
  const parsed = JSON.parse(broken.stdout) as { layouts: MigrationReconciliation[] };
  expect(parsed.layouts.map((l) => [l.layout, l.signedOff])).toEqual([["recon_broken", false]]);
  expect(parsed.layouts[0]).toEqual(results.recon_broken);
  expect(Object.keys(parsed.layouts[0]?.total ?? {})).toEqual([
    "layout",
    "lineKind",
    "businessDay",
    "storeId",
    "fileLines",
    "notSaleRows",
    "legacy",
    "gold",
    "explained",
    "unexplained",
    "explanation",
    "balanced",
  ]);

  const every = await cliAsync(["reconcile", "--database", ws.database], { cwd: ws.dir });
  expect(every.code).toBe(1);
  expect(every.stdout).toMatch(/^recon_balanced: signed off/m);
  expect(every.stdout).toMatch(/^recon_broken: NOT signed off: unexplained -1 \/ /m);

  const unknown = await cliAsync(["reconcile", "--database", ws.database, "--layout", "nope"], {
    cwd: ws.dir,
    dir: ws.dir,
  });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toBe(
    'retail-mds: reconcile: --layout: layout "nope" is not in gold.mart_migration_reconciliation; it reconciles recon_balanced, recon_broken, recon_file, recon_rejects (database "<tmp>/retail.duckdb")',
  );

  const bare = join(ws.dir, "bare.duckdb");
  await withDuckDb(bare, (sql) => sql("create table t as select 1 as x"));
  const noMart = await cliAsync(["reconcile", "--database", bare], { cwd: ws.dir, dir: ws.dir });
  expect(noMart.code).toBe(2);
  expect(noMart.stderr).toMatch(
    /^retail-mds: reconcile: the warehouse has no mart_migration_reconciliation: build it with dbt/,
  );
  const missing = await cliAsync(["reconcile", "--database", join(ws.dir, "none.duckdb")], {
    cwd: ws.dir,
    dir: ws.dir,
  });
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/no such DuckDB file/);
}, 120_000);

test("the report's Migration section: each layout's verdict, a chart of what explains the rows, and its lines, in headless Chromium", async () => {
  const lake = join(ws.dir, "lake");
  mkdirSync(lake, { recursive: true });
  const pipe = await openLocalPipe({ lake, database: ws.database });
  let html: string;
  try {
    html = renderReport(await collectReportData(pipe.query));
  } finally {
    await pipe.close();
  }
  const path = join(ws.dir, "report.html");
  writeFileSync(path, html);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`file://${path}`);
    const charts = await page.$$eval("#migration svg.chart", (svgs) =>
      svgs.map((svg) => ({
        id: svg.id,
        height: svg.getBoundingClientRect().height,
        bars: [...svg.querySelectorAll("rect[data-value]")].map((r) => ({
          label: r.getAttribute("data-label"),
          value: Number(r.getAttribute("data-value")),
          height: r.getBoundingClientRect().height,
        })),
      })),
    );
    expect(charts.map((c) => c.id)).toEqual([
      "chart-migration-recon_balanced",
      "chart-migration-recon_broken",
      "chart-migration-recon_file",
      "chart-migration-recon_rejects",
    ]);
    for (const chart of charts) expect(chart.height).toBeGreaterThan(100);
    const bars = (id: string) =>
      charts.find((c) => c.id === id)?.bars.map((b) => [b.label, b.value]);
    expect(bars("chart-migration-recon_rejects")).toEqual([
      ["rejected: invalid", 1],
      ["rejected: unparseable", 2],
      ["unexplained", 0],
    ]);
    expect(bars("chart-migration-recon_broken")).toEqual([["unexplained", 1]]);
    const broken = charts.find((c) => c.id === "chart-migration-recon_broken")?.bars[0];
    expect(broken?.height).toBeGreaterThan(0);
    expect(await page.textContent("#migration-recon_broken")).toBe(
      `recon_broken: NOT signed off: unexplained -1 / -${(picked.deleted as { quantity: number }).quantity} / ${(
        Math.round((10 - (picked.deleted as { net_amount: number }).net_amount) * 100) / 100
      ).toFixed(2)} (rows / quantity / amount) in total`,
    );
    expect(await page.textContent("#migration-recon_balanced")).toBe(
      "recon_balanced: signed off: nothing unexplained",
    );
    const rows = await page.$$eval("#migration table", (tables) =>
      tables.map((t) =>
        [...t.querySelectorAll("tbody tr")].map((tr) =>
          [...tr.querySelectorAll("td")].map((td) => td.textContent),
        ),
      ),
    );
    // Tables in layout order: balanced, broken, file, rejects; the total line last.
    expect(rows[0]?.at(-1)?.slice(0, 3)).toEqual([
      "total",
      "",
      String(results.recon_balanced?.total.fileLines),
    ]);
    expect(rows[1]?.filter((r) => r[7] === "OFF").length).toBeGreaterThan(0);
  } finally {
    await browser.close();
  }
}, 120_000);

test("the reconciliation compiles for Snowflake: the business day by convert_timezone, explanations by listagg", async () => {
  const compileWs = workspace("migration-snowflake");
  const run = await runDbt(
    compileWs,
    [
      "compile",
      "--no-introspect",
      "--no-populate-cache",
      "--select",
      "fct_legacy_sale_lines",
      "mart_migration_reconciliation",
      "mart_migration_reconciliation_reasons",
    ],
    {
      DBT_TARGET: "snowflake",
      SNOWFLAKE_ACCOUNT: "xy12345.west-europe.azure",
      SNOWFLAKE_USER: "DBT_CI",
      SNOWFLAKE_PASSWORD: "not-a-secret",
      SNOWFLAKE_WAREHOUSE: "TRANSFORM_WH",
      SNOWFLAKE_DATABASE: "RETAIL",
    },
    project,
  );
  expect(run.code, run.output.slice(-2000)).toBe(0);
  const compiled = (path: string) =>
    readFileSync(join(compileWs.targetPath, "compiled", "retail_mds", "models", path), "utf8");
  const fact = compiled("gold/fct_legacy_sale_lines.sql");
  expect(fact).toContain(
    "convert_timezone('UTC', coalesce(stores.timezone, 'UTC'), legacy_lines.sold_at)",
  );
  expect(fact).toMatch(/from RETAIL\.\w+\.slv_legacy_recon_rejects_held/);
  expect(compiled("gold/marts/mart_migration_reconciliation.sql")).toMatch(
    /listagg\(\s*said,\s*'; '\s*\)\s*within group \(order by line_class, reason\)/,
  );
}, 120_000);
