import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Entity, entities } from "../entities/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import type { QualityEvaluator } from "../quality/index.js";
import { sqlString, sqlTable } from "../warehouse/duckdb-sql.js";
import {
  collectReportData,
  type MigrationReconciliation,
  MigrationReconciliationError,
  type QualitySummary,
  type QueryFn,
  type ReconciliationLine,
  type ReportData,
  readMigrationReconciliation,
  renderReport,
} from "../warehouse/index.js";
import { LEGACY_CSV_FEED, type LegacySent } from "./parallel-feed.js";

/** What the legacy feed carried (its defect manifest) and what silver rejected of it. */
export interface LegacySummary {
  /** `legacy-csv` (the canonical CSV feed) or the layout's name. */
  readonly feed: string;
  /** A layout feed's defect manifest in the lake (`_manifests/layout-defects-<layout>-<runId>.json`). */
  readonly manifest: string | undefined;
  /** Defects injected, by kind. */
  readonly injected: Readonly<Record<string, number>>;
  readonly defects: number;
  /**
   * Legacy rows rejected in silver, by entity and reason (a layout feed: the lines of its
   * accepted files, by reason); `undefined` when dbt did not build.
   */
  readonly rejected:
    | readonly { readonly entity: string; readonly reason: string; readonly rows: number }[]
    | undefined;
  /** A layout feed: files rejected whole, by reason; `undefined` when dbt did not build. */
  readonly rejectedFiles:
    | readonly { readonly reason: string; readonly files: number }[]
    | undefined;
}

/** The in-stream quality results, as the report shows them. */
export function qualitySummaries(
  evaluators: ReadonlyMap<string, QualityEvaluator<Entity>>,
): QualitySummary[] {
  return [...evaluators.values()].map((e) => {
    const r = e.report();
    return {
      entity: r.entity,
      input: r.input,
      passed: r.passed,
      quarantined: r.quarantined,
      rules: r.rules.map(({ rule, severity, checked, failed }) => ({
        rule,
        severity,
        checked,
        failed,
      })),
    };
  });
}

/** Reads the report's figures from the warehouse and writes `report.html` beside it. */
export async function writeReport(
  query: QueryFn,
  input: {
    readonly warehouse: string;
    readonly title: string;
    readonly quality: readonly QualitySummary[];
    readonly reconciliation: readonly ReconciliationLine[];
    readonly dbt: string;
  },
): Promise<{ readonly path: string; readonly data: ReportData }> {
  const data = await collectReportData(query, {
    title: input.title,
    quality: input.quality,
    reconciliation: input.reconciliation,
    dbt: input.dbt,
  });
  const path = join(input.warehouse, "report.html");
  await writeFile(path, renderReport(data));
  return { path, data };
}

/**
 * The legacy feed's defects by kind, and (when dbt built silver) what silver rejected of it: for
 * the CSV feed, the legacy rows each entity's rejected model holds, by reason (repaired defects,
 * dd/MM dates, decimal commas, padding..., are not rejects: silver parses them); for a layout,
 * the rejected lines of its accepted files and the files rejected whole, by reason.
 */
export async function legacySummary(
  legacy: LegacySent,
  query: QueryFn,
  dbtBuilt: boolean,
): Promise<LegacySummary> {
  const manifest: readonly { readonly defect: string }[] = legacy.feed.manifest;
  const injected: Record<string, number> = {};
  for (const d of manifest) injected[d.defect] = (injected[d.defect] ?? 0) + 1;
  const base = {
    feed: legacy.kind === "csv" ? LEGACY_CSV_FEED : legacy.layout.name,
    manifest: legacy.kind === "layout" ? legacy.manifestPath : undefined,
    injected,
    defects: manifest.length,
  };
  if (!dbtBuilt) return { ...base, rejected: undefined, rejectedFiles: undefined };
  if (legacy.kind === "layout") {
    const verdicts = await layoutVerdicts(query, legacy);
    const entity = legacy.layout.target.name;
    return {
      ...base,
      rejected: [...verdicts.lines].map(([reason, rows]) => ({ entity, reason, rows })),
      rejectedFiles: [...verdicts.files].map(([reason, files]) => ({ reason, files })),
    };
  }
  // The legacy CSV feed carries the built-in entities only.
  const perEntity = Object.values(entities).map(
    (e) =>
      `select ${sqlString(e.name)} as entity, reject_reason, count(*)::INTEGER as rows from ${sqlTable("silver", `slv_${e.name}_rejected`)} where _feed = 'legacy' group by all`,
  );
  const rows = await query(`${perEntity.join(" union all ")} order by entity, rows desc`);
  return {
    ...base,
    rejected: rows.map((r) => ({
      entity: String(r.entity),
      reason: String(r.reject_reason),
      rows: Number(r.rows),
    })),
    rejectedFiles: undefined,
  };
}

/**
 * What dbt's models of the layout say about this run's files: the rejected lines of accepted
 * files by reason, and the files rejected whole by reason (the lines of a rejected file are not
 * loaded at all, so its own line verdicts are not counted, as `scoreDefects` does).
 */
async function layoutVerdicts(query: QueryFn, legacy: Extract<LegacySent, { kind: "layout" }>) {
  const model = (suffix: string) => sqlTable("silver", `slv_legacy_${legacy.layout.name}${suffix}`);
  const paths = legacy.feed.landed.map((f) => sqlString(f.path)).join(", ") || "null";
  const lines = await query(
    `select r.reject_reason as reason, count(*)::INTEGER as n
       from ${model("_rejected")} r join ${model("_files")} f on f._source_file = r._source_file
      where f.accepted and r._source_file in (${paths}) group by all order by n desc, reason`,
  );
  const files = await query(
    `select rejection_reason as reason, count(*)::INTEGER as n from ${model("_files")}
      where not accepted and _source_file in (${paths}) group by all order by n desc, reason`,
  );
  const byReason = (rows: Record<string, unknown>[]) =>
    new Map(rows.map((r) => [String(r.reason), Number(r.n)]));
  return { lines: byReason(lines), files: byReason(files) };
}

const LAYOUT_MODELS = ["", "_rejected", "_files"] as const;

/** The layout's silver models (`slv_legacy_<layout>`, `_rejected`, `_files`) dbt built. */
async function layoutModelsBuilt(query: QueryFn, layout: LegacyLayout): Promise<number> {
  const names = LAYOUT_MODELS.map((suffix) => sqlString(`slv_legacy_${layout.name}${suffix}`));
  const [row] = await query(
    `select count(*)::INTEGER as n from information_schema.tables where table_schema = 'silver' and table_name in (${names.join(", ")})`,
  );
  return Number(row?.n ?? 0);
}

/**
 * The layout feed's defects against dbt's verdicts, one line per reason: the row defects of
 * files without a file defect = the rejected lines of accepted files with that reason; the file
 * defects = the files rejected whole with that reason. A reason only one side has shows as a
 * line that does not balance.
 */
export async function layoutDefectLines(
  query: QueryFn,
  legacy: Extract<LegacySent, { kind: "layout" }>,
): Promise<ReconciliationLine[]> {
  // A layout the dbt project has no models for (`retail-mds dbt-sources` renders them).
  const built = await layoutModelsBuilt(query, legacy.layout);
  if (built < LAYOUT_MODELS.length)
    return [
      {
        label: `dbt models of ${legacy.layout.name} built (slv_legacy_*, _rejected, _files)`,
        left: built,
        right: LAYOUT_MODELS.length,
      },
    ];
  const verdicts = await layoutVerdicts(query, legacy);
  const { manifest } = legacy.feed;
  const damagedFiles = new Set(manifest.filter((d) => d.line === undefined).map((d) => d.file));
  const expectedLines = new Map<string, number>();
  const expectedFiles = new Map<string, number>();
  for (const d of manifest) {
    const into = d.line === undefined ? expectedFiles : expectedLines;
    if (d.line !== undefined && damagedFiles.has(d.file)) continue;
    into.set(d.reason, (into.get(d.reason) ?? 0) + 1);
  }
  const compare = (
    label: (reason: string) => string,
    expected: Map<string, number>,
    actual: Map<string, number>,
  ) =>
    [...new Set([...expected.keys(), ...actual.keys()])].sort().map((reason) => ({
      label: label(reason),
      left: expected.get(reason) ?? 0,
      right: actual.get(reason) ?? 0,
    }));
  return [
    ...compare((r) => `legacy line defects = rejects: ${r}`, expectedLines, verdicts.lines),
    ...compare((r) => `legacy file defects = files rejected: ${r}`, expectedFiles, verdicts.files),
  ];
}

/**
 * The migration reconciliation of a sale_line layout (`readMigrationReconciliation`, from the
 * mart dbt built), or why there is none: a layout of another entity has no reconciliation.
 */
export async function migrationOf(
  query: QueryFn,
  layout: LegacyLayout,
): Promise<MigrationReconciliation | MigrationReconciliationError | undefined> {
  if (layout.target.name !== "sale_line") return undefined;
  try {
    const [result] = await readMigrationReconciliation(query, { layout: layout.name });
    return result;
  } catch (error) {
    if (error instanceof MigrationReconciliationError) return error;
    throw error;
  }
}

/**
 * The migration's lines: nothing unexplained in total (rows, quantity, amount: gold - legacy -
 * explained), and the mart's verdict, signed off.
 */
export function migrationLines(
  layout: LegacyLayout,
  migration: MigrationReconciliation | MigrationReconciliationError,
): ReconciliationLine[] {
  if (migration instanceof MigrationReconciliationError)
    return [{ label: `migration reconciliation of ${layout.name} built`, left: 0, right: 1 }];
  const { unexplained } = migration.total;
  return [
    { label: "migration unexplained rows = 0", left: unexplained.rows, right: 0 },
    { label: "migration unexplained quantity = 0", left: unexplained.quantity, right: 0 },
    { label: "migration unexplained amount = 0", left: unexplained.amount, right: 0 },
    { label: "migration signed off (1 = yes)", left: migration.signedOff ? 1 : 0, right: 1 },
  ];
}
