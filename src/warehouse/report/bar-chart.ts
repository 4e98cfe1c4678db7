/** One bar: its label (x axis) and value. */
export interface Bar {
  readonly label: string;
  readonly value: number;
}

const escapes: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML and SVG content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] as string);
}

/** `12 345.67` style, for values in charts and tables. */
export function formatNumber(value: number, decimals = 0): string {
  return value.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/**
 * A vertical bar chart as inline SVG: no script, no external resource. Each bar carries its
 * value in `data-value` and a `<title>`, and is labelled, so the numbers are readable without
 * hovering and checkable by a test.
 */
export function barChart(
  id: string,
  bars: readonly Bar[],
  options: { color?: string; decimals?: number; unit?: string } = {},
): string {
  const width = 720;
  const height = 260;
  const pad = { top: 24, right: 16, bottom: 48, left: 72 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = bars.length ? plotW / bars.length : plotW;
  const barW = Math.max(2, step * 0.7);
  const decimals = options.decimals ?? 0;
  const color = options.color ?? "#2f6f9f";
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = pad.top + plotH - f * plotH;
    return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" class="grid"/><text x="${pad.left - 6}" y="${y + 4}" text-anchor="end" class="axis">${escapeHtml(formatNumber(max * f, 0))}</text>`;
  });
  const rects = bars.map((bar, i) => {
    const h = Math.max(bar.value > 0 ? 1 : 0, (Math.max(0, bar.value) / max) * plotH);
    const x = pad.left + i * step + (step - barW) / 2;
    const y = pad.top + plotH - h;
    const value = formatNumber(bar.value, decimals);
    const label =
      bars.length > 16 && i % Math.ceil(bars.length / 16) !== 0 ? "" : escapeHtml(bar.label);
    return (
      `<g class="bar"><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${color}" data-label="${escapeHtml(bar.label)}" data-value="${bar.value}"><title>${escapeHtml(bar.label)}: ${escapeHtml(value)}${options.unit ? ` ${escapeHtml(options.unit)}` : ""}</title></rect>` +
      (bars.length <= 16
        ? `<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" text-anchor="middle" class="value">${escapeHtml(value)}</text>`
        : "") +
      `<text x="${(x + barW / 2).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle" class="axis">${label}</text></g>`
    );
  });
  return `<svg id="${escapeHtml(id)}" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" xmlns="http://www.w3.org/2000/svg">${ticks.join("")}${rects.join("")}${bars.length === 0 ? `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="axis">no data</text>` : ""}</svg>`;
}
