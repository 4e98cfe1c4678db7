import type { LegacyReadResult } from "./read-legacy-file.js";

/** Rejected rows by reason, a column-level reason written `unparseable(sold_at)`. */
export function rejectsByReason(result: LegacyReadResult): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of result.rejects) {
    const key = r.column ? `${r.reason}(${r.column})` : r.reason;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/**
 * A file's check as text: verdict, counts, rejects by reason (with the first `samples` rows),
 * drops and control figures.
 * @example
 * console.log(formatLegacyCheck(readLegacyFile(layout, bytes, file)));
 */
export function formatLegacyCheck(result: LegacyReadResult, samples = 3): string {
  const { stats } = result;
  const lines = [
    `${result.file}: ${result.accepted ? "accepted" : `REJECTED (${result.rejection?.reason}: ${result.rejection?.detail})`}`,
    `  rows read ${stats.detailLines}, mapped ${stats.mapped}, rejected ${stats.rejected}, dropped ${stats.dropped}${stats.blankLines ? `, blank lines ${stats.blankLines}` : ""}`,
  ];
  for (const [reason, n] of Object.entries(rejectsByReason(result))) {
    lines.push(`  rejected ${String(n).padStart(6)}  ${reason}`);
  }
  for (const [reason, n] of Object.entries(result.dropped)) {
    lines.push(`  dropped  ${String(n).padStart(6)}  ${reason}`);
  }
  for (const c of result.controls) {
    lines.push(
      `  control  ${c.record} ${c.field} (${c.check}): declared ${c.declared}, file ${c.actual}: ${c.ok ? "ok" : "MISMATCH"}`,
    );
  }
  for (const r of result.rejects.slice(0, samples)) {
    lines.push(`  line ${r.line}: ${r.reason}${r.column ? ` ${r.column}` : ""}: ${r.detail}`);
    lines.push(`    ${JSON.stringify(r.raw.length > 160 ? `${r.raw.slice(0, 160)}...` : r.raw)}`);
  }
  return lines.join("\n");
}
