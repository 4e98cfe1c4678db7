import { ReconciliationError } from "./quality-error.js";
import type { RuleKind, Severity } from "./rule.js";

/** A failing record in a report: its natural key and where it was, never its PII. */
export interface FailureSample {
  /** The natural key, `"T-S001-20261101-000001|2"`. */
  readonly key: string;
  readonly row: number;
  readonly file?: string;
  readonly reason: string;
  /** The values of the columns the rule reads; PII columns show as `"<pii>"`. */
  readonly values: Readonly<Record<string, unknown>>;
}

/** How one rule did over the stream. `checked = passed + failed`. */
export interface RuleReport {
  readonly rule: string;
  /** `schema` is the entity's own validation, run before the rules. */
  readonly kind: RuleKind | "schema";
  readonly severity: Severity;
  readonly columns: readonly string[];
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  /** The first failures, up to the evaluator's `sampleSize`. */
  readonly samples: readonly FailureSample[];
}

/** The outcome of a quality run over one entity's stream. */
export interface QualityReport {
  readonly entity: string;
  /** Records that came in. */
  readonly input: number;
  /** Records that went on (they may have failed warn rules). */
  readonly passed: number;
  /** Records rejected by at least one error rule. */
  readonly quarantined: number;
  /** True when no error-severity rule failed. */
  readonly ok: boolean;
  readonly rules: readonly RuleReport[];
}

/**
 * Checks that counts add up: `input = passed + quarantined`, and optionally that a sink
 * received every quarantined record. Throws a `ReconciliationError` naming the counts.
 * @example
 * reconcile(report, { quarantineWritten: sink.written });
 */
export function reconcile(
  report: Pick<QualityReport, "entity" | "input" | "passed" | "quarantined">,
  extra: { readonly written?: number; readonly quarantineWritten?: number } = {},
): void {
  const { entity, input, passed, quarantined } = report;
  const counts = { input, passed, quarantined, ...extra };
  if (input !== passed + quarantined) {
    throw new ReconciliationError(entity, counts, "input != passed + quarantined");
  }
  if (extra.written !== undefined && extra.written !== passed) {
    throw new ReconciliationError(entity, counts, "written != passed");
  }
  if (extra.quarantineWritten !== undefined && extra.quarantineWritten !== quarantined) {
    throw new ReconciliationError(entity, counts, "quarantine written != quarantined");
  }
}

/**
 * The report as a fixed-width text table, one line per rule, failing sample keys at the end.
 * @example
 * console.log(formatReport(evaluator.report()));
 */
export function formatReport(report: QualityReport): string {
  const header = ["rule", "severity", "checked", "passed", "failed", "sample keys"];
  const rows = report.rules.map((r) => [
    r.rule,
    r.severity,
    String(r.checked),
    String(r.passed),
    String(r.failed),
    r.samples
      .slice(0, 3)
      .map((s) => s.key)
      .join(" ")
      .slice(0, 60),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) =>
        i >= 2 && i <= 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number),
      )
      .join("  ")
      .trimEnd();
  const status = report.ok ? "ok" : "FAILED";
  return [
    `${report.entity}: ${status}: ${report.input} in, ${report.passed} passed, ${report.quarantined} quarantined`,
    line(header),
    ...rows.map(line),
  ].join("\n");
}
