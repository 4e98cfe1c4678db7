import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Entity, entities } from "../entities/index.js";
import type { LegacyFeed } from "../generators/index.js";
import type { QualityEvaluator } from "../quality/index.js";
import { sqlString, sqlTable } from "../warehouse/duckdb-sql.js";
import {
  collectReportData,
  type QualitySummary,
  type QueryFn,
  type ReconciliationLine,
  type ReportData,
  renderReport,
} from "../warehouse/index.js";

/** What the legacy feed carried (its defect manifest) and what silver rejected of it. */
export interface LegacySummary {
  /** Defects injected, by kind. */
  readonly injected: Readonly<Record<string, number>>;
  readonly defects: number;
  /** Legacy rows rejected in silver, by entity and reason; `undefined` when dbt did not build. */
  readonly rejected:
    | readonly { readonly entity: string; readonly reason: string; readonly rows: number }[]
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
 * The legacy feed's defects by kind, and (when dbt built silver) the legacy rows each entity's
 * rejected model holds, by reason. Repaired defects (dd/MM dates, decimal commas, padding...)
 * are not rejects: silver parses them.
 */
export async function legacySummary(
  legacy: LegacyFeed,
  query: QueryFn,
  dbtBuilt: boolean,
): Promise<LegacySummary> {
  const injected: Record<string, number> = {};
  for (const d of legacy.manifest) injected[d.defect] = (injected[d.defect] ?? 0) + 1;
  if (!dbtBuilt) return { injected, defects: legacy.manifest.length, rejected: undefined };
  // The legacy feed carries the built-in entities only.
  const perEntity = Object.values(entities).map(
    (e) =>
      `select ${sqlString(e.name)} as entity, reject_reason, count(*)::INTEGER as rows from ${sqlTable("silver", `slv_${e.name}_rejected`)} where _feed = 'legacy' group by all`,
  );
  const rows = await query(`${perEntity.join(" union all ")} order by entity, rows desc`);
  return {
    injected,
    defects: legacy.manifest.length,
    rejected: rows.map((r) => ({
      entity: String(r.entity),
      reason: String(r.reject_reason),
      rows: Number(r.rows),
    })),
  };
}
