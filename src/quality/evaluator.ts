import type { Batch, Entity, RecordOf, TimeWindow } from "../entities/index.js";
import type { QuarantineSink, RejectedRecord, RejectionReason } from "../lake/rejected-record.js";
import { QualityError } from "./quality-error.js";
import {
  type FailureSample,
  type QualityReport,
  type RuleReport,
  reconcile,
} from "./quality-report.js";
import { type RowCheck, rowCheckOf } from "./row-check.js";
import type { AnyRecord, Rule, RuleKind, Severity } from "./rule.js";
import type { RuleSet } from "./rule-set.js";

/** Options of `createEvaluator`. */
export interface EvaluatorOptions {
  /**
   * Key sets of the entities `relationships` rules point to, by entity name:
   * `{ store: ["S001", ...] }`. Held as `Set<string>`: 60-100 bytes per key.
   */
  readonly references?: Readonly<Record<string, Iterable<string>>>;
  /**
   * `true` (default): every rule judges every record, so a rejected record carries every
   * reason. `false`: a record stops at its first failing error rule (cheaper; later rules do
   * not count it as checked).
   */
  readonly lazy?: boolean;
  /** Failing records kept per rule in the report (default 10). */
  readonly sampleSize?: number;
  /** Validate each record against its entity schema first, as rule `schema` (default true). */
  readonly schema?: boolean;
  /** Called for every failure, warn ones included: a streaming failure log. */
  readonly onFailure?: (failure: RuleFailure) => void;
}

/** One rule failing on one record, as `onFailure` receives it. */
export interface RuleFailure {
  readonly rule: string;
  readonly severity: Severity;
  readonly row: number;
  readonly file?: string;
  readonly record: unknown;
  readonly message: string;
}

/** Where a batch of records came from, for row numbers, file names and window freshness. */
export interface BatchSource {
  readonly window?: TimeWindow;
  readonly file?: string;
  /** Row number of the first record in `file` (1-based); by default, the position in the stream. */
  readonly firstRow?: number;
}

/** A batch split in two: what goes on, and what goes to quarantine with its reasons. */
export interface SplitResult<E extends Entity> {
  readonly passed: RecordOf<E>[];
  readonly rejected: RejectedRecord[];
}

interface Tally {
  readonly rule: string;
  readonly kind: RuleKind | "schema";
  readonly severity: Severity;
  readonly columns: readonly string[];
  checked: number;
  failed: number;
  readonly samples: FailureSample[];
}

interface CompiledRule {
  readonly rule: Rule;
  readonly check: RowCheck;
  readonly tally: Tally;
}

/**
 * Streams an entity's records through its rules, batch by batch, in bounded memory: only
 * `unique` (5-11 bytes per distinct key, the keys on disk past 8 MiB) and the reference key sets
 * grow.
 */
export class QualityEvaluator<E extends Entity = Entity> {
  readonly entity: E;
  private readonly rowRules: CompiledRule[];
  private readonly countRules: { rule: Rule; tally: Tally }[];
  private readonly schemaTally: Tally | undefined;
  private readonly lazy: boolean;
  private readonly sampleSize: number;
  private readonly onFailure: ((failure: RuleFailure) => void) | undefined;
  private input = 0;
  private passedCount = 0;
  private quarantined = 0;

  constructor(rules: RuleSet<E>, options: EvaluatorOptions = {}) {
    this.entity = rules.entity;
    this.lazy = options.lazy ?? true;
    this.sampleSize = options.sampleSize ?? 10;
    this.onFailure = options.onFailure;
    const references: Record<string, ReadonlySet<string>> = {};
    for (const [name, keys] of Object.entries(options.references ?? {})) {
      references[name] = keys instanceof Set ? (keys as Set<string>) : new Set(keys);
    }
    const tally = (rule: Rule): Tally => ({
      rule: rule.name,
      kind: rule.kind,
      severity: rule.severity,
      columns: rule.columns,
      checked: 0,
      failed: 0,
      samples: [],
    });
    this.rowRules = rules.rules
      .filter((r) => r.kind !== "row_count")
      .map((rule) => ({ rule, check: rowCheckOf(rule, references), tally: tally(rule) }));
    this.countRules = rules.rules
      .filter((r) => r.kind === "row_count")
      .map((rule) => ({ rule, tally: tally(rule) }));
    this.schemaTally =
      options.schema === false
        ? undefined
        : {
            rule: "schema",
            kind: "schema",
            severity: "error",
            columns: [],
            checked: 0,
            failed: 0,
            samples: [],
          };
  }

  /**
   * Judges a batch: records that fail no error rule go on, the others come back as
   * `RejectedRecord`s with every failing rule and reason (in lazy mode).
   * @example
   * const { passed, rejected } = evaluator.split(batch.records, { window: batch.window });
   * await quarantine.reject(rejected);
   */
  split(records: readonly unknown[], source: BatchSource = {}): SplitResult<E> {
    const passed: RecordOf<E>[] = [];
    const rejected: RejectedRecord[] = [];
    const { window, file } = source;
    const firstRow = source.firstRow ?? this.input + 1;
    // One context per batch, its row updated in place: no allocation per record.
    const context: { row: number; window?: TimeWindow; file?: string } = {
      row: firstRow,
      ...(window ? { window } : {}),
      ...(file ? { file } : {}),
    };
    const rowRules = this.rowRules;
    for (let i = 0; i < records.length; i++) {
      const input = records[i];
      const row = firstRow + i;
      this.input++;
      const record: AnyRecord =
        input !== null && typeof input === "object" ? (input as AnyRecord) : {};
      let reasons: RejectionReason[] | undefined;
      let rejectedHere = false;
      context.row = row;
      if (this.schemaTally) {
        this.schemaTally.checked++;
        const result = this.entity.check(input, { ...(file ? { file } : {}), row });
        if (!result.ok) {
          reasons = result.error.issues.map((issue) => ({
            rule: "schema",
            field: issue.field,
            message: `${issue.field} ${issue.message}`,
          }));
          rejectedHere = true;
          const message = reasons.map((r) => r.message).join("; ");
          this.fail(this.schemaTally, record, row, file, message);
          this.onFailure?.({
            rule: "schema",
            severity: "error",
            row,
            ...(file ? { file } : {}),
            record: input,
            message,
          });
        }
      }
      if (!rejectedHere || this.lazy) {
        for (let k = 0; k < rowRules.length; k++) {
          const { rule, check, tally } = rowRules[k] as CompiledRule;
          tally.checked++;
          const message = check(record, context);
          if (message === undefined) continue;
          this.fail(tally, record, row, file, message);
          this.onFailure?.({
            rule: rule.name,
            severity: rule.severity,
            row,
            ...(file ? { file } : {}),
            record: input,
            message,
          });
          reasons ??= [];
          const field = rule.columns.length === 1 ? rule.columns[0] : undefined;
          reasons.push({
            rule: rule.name,
            ...(field ? { field } : {}),
            message: rule.severity === "warn" ? `warn: ${message}` : message,
          });
          if (rule.severity === "error") {
            rejectedHere = true;
            if (!this.lazy) break;
          }
        }
      }
      if (rejectedHere) {
        this.quarantined++;
        rejected.push({
          entity: this.entity.name,
          row,
          record: input,
          reasons: reasons ?? [],
          ...(window ? { window } : {}),
          ...(file ? { file } : {}),
        });
      } else {
        this.passedCount++;
        passed.push(input as RecordOf<E>);
      }
    }
    return { passed, rejected };
  }

  /**
   * Passes batches through, sending rejected records to `quarantine` and yielding batches of the
   * records that passed (empty batches are skipped). Read `report()` once the stream is done.
   * @example
   * for await (const good of evaluator.filter(batches, lakeQuarantine(store))) await writer.write(good);
   */
  async *filter(
    batches: AsyncIterable<Batch<E>> | Iterable<Batch<E>>,
    quarantine: QuarantineSink,
  ): AsyncGenerator<Batch<E>> {
    for await (const batch of batches) {
      const { passed, rejected } = this.split(batch.records, { window: batch.window });
      if (rejected.length) await quarantine.reject(rejected);
      if (passed.length) yield { ...batch, records: passed };
    }
  }

  /**
   * The report so far, with `row_count` rules judged on the records seen. Throws a
   * `ReconciliationError` if `input != passed + quarantined`.
   */
  report(): QualityReport {
    const counts = this.countRules.map(({ rule, tally }) => {
      const spec = rule.spec;
      if (spec.kind !== "row_count") return tally;
      const n = this.input;
      const failed =
        (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max);
      const reason = `${n} rows, expected ${spec.min ?? 0} to ${spec.max ?? "any"}`;
      return {
        ...tally,
        checked: 1,
        failed: failed ? 1 : 0,
        samples: failed ? [{ key: "*", row: 0, reason, values: { row_count: n } }] : [],
      };
    });
    const tallies = [
      ...(this.schemaTally ? [this.schemaTally] : []),
      ...this.rowRules.map((r) => r.tally),
      ...counts,
    ];
    const rules: RuleReport[] = tallies.map((t) => ({
      rule: t.rule,
      kind: t.kind,
      severity: t.severity,
      columns: t.columns,
      checked: t.checked,
      passed: t.checked - t.failed,
      failed: t.failed,
      samples: [...t.samples],
    }));
    const report: QualityReport = {
      entity: this.entity.name,
      input: this.input,
      passed: this.passedCount,
      quarantined: this.quarantined,
      ok: rules.every((r) => r.severity === "warn" || r.failed === 0),
      rules,
    };
    reconcile(report);
    return report;
  }

  /**
   * Throws a `QualityError` for the first error rule that failed, naming it and a failing key.
   * @example
   * evaluator.split(records); evaluator.assertOk();
   */
  assertOk(): void {
    const report = this.report();
    const failed = report.rules.find((r) => r.severity === "error" && r.failed > 0);
    if (!failed) return;
    const sample = failed.samples[0];
    throw new QualityError(
      report.entity,
      failed.rule,
      `${report.entity}: rule ${failed.rule} failed on ${failed.failed} of ${failed.checked} row(s)` +
        (sample
          ? `; first: key ${sample.key} row ${sample.row}${sample.file ? ` in ${sample.file}` : ""}: ${sample.reason}`
          : ""),
      sample?.row,
      sample?.file,
    );
  }

  private fail(
    tally: Tally,
    record: AnyRecord,
    row: number,
    file: string | undefined,
    reason: string,
  ): void {
    tally.failed++;
    if (tally.samples.length >= this.sampleSize) return;
    const values: Record<string, unknown> = {};
    for (const name of tally.columns) {
      const column = this.entity.columns.find((c) => c.name === name);
      values[name] = column?.pii ? "<pii>" : record[name];
    }
    tally.samples.push({ key: this.keyOf(record), row, ...(file ? { file } : {}), reason, values });
  }

  private keyOf(record: AnyRecord): string {
    return this.entity.key
      .map((k) =>
        this.entity.columns.find((c) => c.name === k)?.pii ? "<pii>" : String(record[k] ?? "null"),
      )
      .join("|");
  }
}

/**
 * An evaluator for a rule set.
 * @example
 * const evaluator = createEvaluator(qualityRules(saleLine), { references: { store: storeIds, product: skus, customer: customerIds } });
 * const { passed, rejected } = evaluator.split(records);
 * console.log(formatReport(evaluator.report()));
 */
export function createEvaluator<E extends Entity>(
  rules: RuleSet<E>,
  options: EvaluatorOptions = {},
): QualityEvaluator<E> {
  return new QualityEvaluator(rules, options);
}

/**
 * Evaluates a whole array or stream of batches and returns the report (no quarantine).
 * @example
 * const report = await evaluateBatches(qualityRules(store), [{ entity: store, records, window }]);
 */
export async function evaluateBatches<E extends Entity>(
  rules: RuleSet<E>,
  batches: AsyncIterable<Batch<E>> | Iterable<Batch<E>>,
  options: EvaluatorOptions = {},
): Promise<QualityReport> {
  const evaluator = new QualityEvaluator(rules, options);
  for await (const batch of batches) evaluator.split(batch.records, { window: batch.window });
  return evaluator.report();
}
