import { barChart, escapeHtml, formatNumber } from "./bar-chart.js";
import { migrationSection } from "./migration-section.js";
import type { ReportData } from "./report-data.js";
import { table } from "./report-table.js";

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2733;background:#f6f8fa}
header{background:#1d3557;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.8}
main{padding:20px 28px;display:grid;gap:20px;max-width:1100px}
section{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:16px 20px}
h2{font-size:17px;margin:0 0 10px}h3{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:4px 8px;border-bottom:1px solid #eef1f4;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f0f3f6}
td.text{text-align:left;font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
.chart .grid{stroke:#e3e8ee}.chart .axis{fill:#5b6b7b;font-size:11px}.chart .value{fill:#1d2733;font-size:10px}
.ok{color:#1a7f37;font-weight:600}.bad{color:#cf222e;font-weight:600}
.kpis{display:flex;gap:16px;flex-wrap:wrap}.kpi{background:#f0f3f6;border-radius:6px;padding:8px 14px}.kpi b{display:block;font-size:18px}
`;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no external URL,
 * so it opens from disk, in a mail attachment or an air-gapped machine.
 * @example
 * await writeFile("./warehouse/report.html", renderReport(await collectReportData(pipe.query)));
 */
export function renderReport(data: ReportData): string {
  const totalNet = data.dailySales.reduce((n, d) => n + d.net, 0);
  const totalReturns = data.dailySales.reduce((n, d) => n + d.returns, 0);
  const totalStockOuts = data.stockOuts.reduce((n, d) => n + d.count, 0);
  const loaded = data.loadStatus
    .filter((s) => s.status === "LOADED")
    .reduce((n, s) => n + s.files, 0);
  const notLoaded = data.loadStatus
    .filter((s) => s.status !== "LOADED")
    .reduce((n, s) => n + s.files, 0);
  const days = data.dailySales.map((d) => d.day);
  const kpi = (label: string, value: string) =>
    `<div class="kpi">${escapeHtml(label)}<b>${escapeHtml(value)}</b></div>`;
  const sections = [
    `<section id="kpis"><div class="kpis">${[
      kpi("Net sales", formatNumber(totalNet, 2)),
      kpi("Returns", formatNumber(totalReturns, 2)),
      kpi("Stock-outs (store x SKU x day)", formatNumber(totalStockOuts)),
      kpi("Files loaded", formatNumber(loaded)),
      kpi("Files not loaded", formatNumber(notLoaded)),
    ].join("")}</div></section>`,
    `<section id="daily-sales"><h2>Daily net sales</h2><p>Source: ${escapeHtml(data.salesSource)}</p>${barChart(
      "chart-daily-sales",
      data.dailySales.map((d) => ({ label: d.day, value: d.net })),
      { decimals: 2 },
    )}${table(
      ["Store", ...days, "Total"],
      data.storeSales.map((s) => [
        s.store,
        ...days.map((d) => formatNumber(s.byDay[d] ?? 0, 2)),
        formatNumber(s.total, 2),
      ]),
    )}</section>`,
    `<section id="returns"><h2>Returns per day</h2>${barChart(
      "chart-returns",
      data.dailySales.map((d) => ({ label: d.day, value: d.returns })),
      { color: "#e07a5f", decimals: 2 },
    )}</section>`,
    `<section id="stock-outs"><h2>Stock-outs per day</h2>${barChart(
      "chart-stock-outs",
      data.stockOuts.map((d) => ({ label: d.day, value: d.count })),
      { color: "#8d6cab" },
    )}</section>`,
    `<section id="quality"><h2>Quality (in-stream, before the lake)</h2>${table(
      ["Entity", "Input", "Passed", "Quarantined", "Rules failing (failed / checked)"],
      data.quality.map((q) => [
        q.entity,
        q.input,
        q.passed,
        q.quarantined,
        q.rules
          .filter((r) => r.failed > 0)
          .map(
            (r) =>
              `${r.rule} [${r.severity}] ${formatNumber(r.failed)} / ${formatNumber(r.checked)}`,
          )
          .join("; ") || "none",
      ]),
      [4],
    )}</section>`,
    `<section id="load-history"><h2>Load history (local pipe)</h2>${barChart(
      "chart-loads",
      data.loadStatus
        .filter((s) => s.status === "LOADED")
        .map((s) => ({ label: s.table, value: s.rows })),
      { color: "#3d9970", unit: "rows" },
    )}${table(
      ["Table", "Status", "Files", "Rows"],
      data.loadStatus.map((s) => [s.table, s.status, s.files, s.rows]),
    )}<h2>Files not loaded</h2>${table(
      ["File", "Status", "First error"],
      data.failedFiles.map((f) => [f.file, f.status, f.error]),
      [0, 2],
    )}</section>`,
    `<section id="reconciliation"><h2>Reconciliation</h2>${table(
      ["Check", "Left", "Right", "Result"],
      data.reconciliation.map((r) => [
        r.label,
        r.left,
        r.right,
        r.left === r.right ? "ok" : "MISMATCH",
      ]),
    )}</section>`,
    migrationSection(data.migration),
    `<section id="layers"><h2>Rows per layer</h2>${table(
      ["Layer", "Table", "Rows"],
      data.layers.map((l) => [l.layer, l.table, l.rows]),
    )}${data.dbt ? `<p>dbt: ${escapeHtml(data.dbt)}</p>` : ""}</section>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(data.title)}</h1><p>Generated ${escapeHtml(data.generatedAt)}</p></header>
<main>${sections.join("\n")}</main></body></html>
`;
}
