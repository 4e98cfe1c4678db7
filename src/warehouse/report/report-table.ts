import { escapeHtml, formatNumber } from "./bar-chart.js";

/** An HTML table; numbers formatted, `textColumns` left-aligned in monospace. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number)[])[],
  textColumns: readonly number[] = [],
): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = rows
    .map(
      (row) =>
        `<tr>${row
          .map(
            (cell, i) =>
              `<td${textColumns.includes(i) ? ' class="text"' : ""}>${escapeHtml(typeof cell === "number" ? formatNumber(cell) : cell)}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("");
  return `<table><thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="${headers.length}">none</td></tr>`}</tbody></table>`;
}
