import { basename } from "node:path";
import type { LayoutDefect } from "./layout-feed.js";
import type { LegacyReadResult } from "./read-legacy-file.js";

/** Recall of one defect kind: injected, caught with the declared verdict, missed. */
export interface DefectKindScore {
  readonly defect: string;
  readonly injected: number;
  readonly caught: number;
  readonly missed: number;
}

/** How the reader's verdicts compare with a defect manifest. */
export interface DefectScore {
  readonly kinds: readonly DefectKindScore[];
  /** Rows rejected (or files rejected) that the manifest does not declare: precision misses. */
  readonly unexpected: number;
  readonly recall: number;
  readonly precision: number;
}

/**
 * Scores reader results against a layout feed's manifest: a defect is caught when its line is
 * rejected with its declared reason (or its file is rejected with the declared reason). Files are
 * matched by name; only the files of `results` are scored.
 * @example
 * scoreDefects(manifest.defects, files.map((f) => readLegacyFile(layout, bytes(f), f))).recall; // 1
 */
export function scoreDefects(
  manifest: readonly LayoutDefect[],
  results: readonly LegacyReadResult[],
): DefectScore {
  // The manifest names files as written (`pos_fr_sale_line-<window>.csv`); results, as read.
  const byFile = new Map(results.map((r) => [basename(r.file), r]));
  const kinds = new Map<string, { injected: number; caught: number }>();
  const declared = new Set<string>();
  for (const d of manifest) {
    const result = byFile.get(d.file);
    if (!result) continue;
    const k = kinds.get(d.defect) ?? { injected: 0, caught: 0 };
    k.injected++;
    const caught =
      d.line === undefined
        ? result.rejection?.reason === d.reason
        : result.rejects.some((r) => r.line === d.line && r.reason === d.reason);
    if (caught) k.caught++;
    kinds.set(d.defect, k);
    declared.add(d.line === undefined ? `${d.file}` : `${d.file}\u0000${d.line}`);
  }
  let unexpected = 0;
  let verdicts = 0;
  for (const r of results) {
    if (!r.accepted) {
      verdicts++;
      if (!declared.has(basename(r.file))) unexpected++;
      continue;
    }
    for (const reject of r.rejects) {
      verdicts++;
      if (!declared.has(`${basename(r.file)}\u0000${reject.line}`)) unexpected++;
    }
  }
  const list = [...kinds].map(([defect, k]) => ({ defect, ...k, missed: k.injected - k.caught }));
  const injected = list.reduce((s, k) => s + k.injected, 0);
  const caught = list.reduce((s, k) => s + k.caught, 0);
  return {
    kinds: list,
    unexpected,
    recall: injected ? caught / injected : 1,
    precision: verdicts ? (verdicts - unexpected) / verdicts : 1,
  };
}

/** The score as a table. */
export function formatDefectScore(score: DefectScore): string {
  const rows = score.kinds.map(
    (k) =>
      `  ${k.defect.padEnd(22)} ${String(k.injected).padStart(8)} ${String(k.caught).padStart(8)} ${String(k.missed).padStart(8)}`,
  );
  return [
    `  ${"defect".padEnd(22)} ${"injected".padStart(8)} ${"caught".padStart(8)} ${"missed".padStart(8)}`,
    ...rows,
    `  recall ${(score.recall * 100).toFixed(1)}%, precision ${(score.precision * 100).toFixed(1)}% (${score.unexpected} verdict(s) the manifest does not declare)`,
  ].join("\n");
}
