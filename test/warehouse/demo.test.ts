import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { expect, test } from "vitest";
import { command as demo } from "../../src/cli/demo-command.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { tempFolder } from "./lake-fixture.js";

const root = tempFolder("demo");
const args = [
  "--days",
  "1",
  "--stores",
  "2",
  "--products",
  "30",
  "--lake",
  join(root, "lake"),
  "--warehouse",
  join(root, "warehouse"),
];

function lakeDigest(folder: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(full).update(readFileSync(full));
    }
  };
  walk(folder);
  return hash.digest("hex");
}

async function runDemo(demoArgs: readonly string[] = args): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await demo.run([...demoArgs]), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

test("the demo runs the whole pipeline, dbt included, and a second run changes nothing", async () => {
  const first = await runDemo();
  expect(first.code).toBe(0);
  expect(first.out).toContain("gold.mart_daily_sales (dbt gold)");
  expect(first.out).toMatch(/ok {2}generated = landed \+ quarantined/);
  expect(first.out).toMatch(/ok {2}landed = loaded \+ skipped/);
  const digest = lakeDigest(join(root, "lake"));
  const database = join(root, "warehouse", "retail.duckdb");
  const countRows = async () => {
    const pipe = await openLocalPipe({ lake: join(root, "lake"), database });
    try {
      return await pipe.query(
        "select (select count(*) from raw.sale_line)::INTEGER as raw, (select count(*) from gold.fct_sales)::INTEGER as gold, (select count(*) from pipe.load_history)::INTEGER as files",
      );
    } finally {
      await pipe.close();
    }
  };
  const before = await countRows();
  expect(Number(before[0]?.raw)).toBeGreaterThan(0);
  expect(before[0]?.gold).toBe(before[0]?.raw);

  const second = await runDemo();
  expect(second.code).toBe(0);
  expect(lakeDigest(join(root, "lake"))).toBe(digest);
  expect(await countRows()).toEqual(before);
}, 600_000); // two demo runs with dbt: minutes on a loaded 2-core machine

test("the HTML report renders its charts in headless Chromium", async () => {
  const report = join(root, "warehouse", "report.html");
  expect(existsSync(report)).toBe(true);
  const html = readFileSync(report, "utf8");
  expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`file://${report}`);
    const charts = await page.$$eval("svg.chart", (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        const bars = [...svg.querySelectorAll("rect[data-value]")].map((r) => {
          const b = r.getBoundingClientRect();
          return { value: Number(r.getAttribute("data-value")), height: b.height, width: b.width };
        });
        return {
          id: svg.id,
          width: box.width,
          height: box.height,
          bars,
          labels: svg.querySelectorAll("text.value").length,
        };
      }),
    );
    expect(charts.map((c) => c.id)).toEqual([
      "chart-daily-sales",
      "chart-returns",
      "chart-stock-outs",
      "chart-loads",
    ]);
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(100);
    }
    const sales = charts[0];
    expect(sales?.bars.length).toBeGreaterThan(0);
    expect(sales?.bars.every((b) => b.value > 0 && b.height > 0 && b.width > 0)).toBe(true);
    expect(sales?.labels).toBe(sales?.bars.length);
    const loads = charts[3];
    expect(loads?.bars.filter((b) => b.value > 0 && b.height > 0).length).toBeGreaterThanOrEqual(5);
    expect(await page.textContent("#reconciliation")).not.toContain("MISMATCH");
    expect(await page.textContent("#quality")).toContain("sale_line");
    const shot = await page.screenshot({
      path: join(root, "warehouse", "report.png"),
      fullPage: true,
    });
    expect(shot.byteLength).toBeGreaterThan(10_000);
    expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);
  } finally {
    await browser.close();
  }
});

test("with --legacy-layout legacy-csv the canonical CSV feed runs in parallel: every row reconciles and every null key is rejected", async () => {
  const legacyRoot = tempFolder("demo-legacy");
  const run = await runDemo([
    ...args.slice(0, 6),
    "--defects",
    "0.05",
    "--legacy-layout",
    "legacy-csv",
    "--lake",
    join(legacyRoot, "lake"),
    "--warehouse",
    join(legacyRoot, "warehouse"),
  ]);
  expect(run.code, run.out).toBe(0);
  expect(run.out).toMatch(/ok {2}legacy rows sent = loaded \+ skipped +([\d,]+) = \1/);
  expect(run.out).toMatch(/ok {2}legacy files = files in load history/);
  const injected = Number(/null_key ([\d,]+)/.exec(run.out)?.[1]?.replaceAll(",", ""));
  expect(injected).toBeGreaterThan(0);
  const pipe = await openLocalPipe({
    lake: join(legacyRoot, "lake"),
    database: join(legacyRoot, "warehouse", "retail.duckdb"),
  });
  try {
    const [row] = await pipe.query(
      `select (select count(*) from raw.sale_line_legacy)::INTEGER as legacy_lines,
              ((select count(*) from silver.slv_sale_line_rejected where _feed = 'legacy' and reject_reason = 'null key')
             + (select count(*) from silver.slv_stock_movement_rejected where _feed = 'legacy' and reject_reason = 'null key')
             + (select count(*) from silver.slv_stock_snapshot_rejected where _feed = 'legacy' and reject_reason = 'null key')
             + (select count(*) from silver.slv_customer_rejected where _feed = 'legacy' and reject_reason = 'null key')
             + (select count(*) from silver.slv_product_rejected where _feed = 'legacy' and reject_reason = 'null key')
             + (select count(*) from silver.slv_store_rejected where _feed = 'legacy' and reject_reason = 'null key'))::INTEGER as null_keys`,
    );
    expect(Number(row?.legacy_lines)).toBeGreaterThan(0);
    expect(row?.null_keys).toBe(injected);
  } finally {
    await pipe.close();
  }
  await expect(demo.run(["--defects", "2"])).rejects.toThrow(
    '--defects must be a number from 0 up to 1; got "2"',
  );
}, 600_000);
