import { z } from "zod";
import { sqlString } from "./duckdb-sql.js";
import type { QueryFn } from "./report/report-data.js";

/** The mart the reconciliation reads, and its companion by reason (dbt/models/gold/marts/). */
export const MIGRATION_RECONCILIATION_MART = "mart_migration_reconciliation";
export const MIGRATION_RECONCILIATION_REASONS_MART = "mart_migration_reconciliation_reasons";

const measuresSchema = z.object({ rows: z.number(), quantity: z.number(), amount: z.number() });

/** One line of the reconciliation: a business day and store, the unattributed line, or the total. */
export const reconciliationLineSchema = z.object({
  layout: z.string(),
  lineKind: z.enum(["day_store", "unattributed", "total"]),
  /** `YYYY-MM-DD`; null on the unattributed and total lines. */
  businessDay: z.string().nullable(),
  storeId: z.string().nullable(),
  /** Detail lines of the files placed here: legacy.rows + explained.rows + notSaleRows. */
  fileLines: z.number(),
  /** Routed (fees, test lines) or dropped lines: in the file, no sale, on neither side. */
  notSaleRows: z.number(),
  /** The legacy records the platform read (accepted lines of accepted files). */
  legacy: measuresSchema,
  /** fct_sales of this day and store. */
  gold: measuresSchema,
  /** Sales the legacy side could not give: data rejects and lines of rejected files. */
  explained: measuresSchema,
  /** gold - legacy - explained: zero signs the line off. */
  unexplained: measuresSchema,
  /** `unparseable 2; file control_count 5; fee_line 1 (not a sale)`. */
  explanation: z.string(),
  balanced: z.boolean(),
});

/** Rows, quantity and amount a reason accounts for on one line. */
export const reconciliationReasonSchema = z.object({
  layout: z.string(),
  lineKind: z.enum(["day_store", "unattributed"]),
  businessDay: z.string().nullable(),
  storeId: z.string().nullable(),
  kind: z.enum(["reject", "file_rejection", "not_sale"]),
  reason: z.string(),
  rows: z.number(),
  quantity: z.number(),
  amount: z.number(),
});

export type MigrationReconciliationLine = z.infer<typeof reconciliationLineSchema>;
export type MigrationReconciliationReason = z.infer<typeof reconciliationReasonSchema>;

/** The reconciliation of one legacy layout against gold. */
export interface MigrationReconciliation {
  readonly layout: string;
  /** The mart's verdict: the total and every day/store line balance (see docs/legacy.md). */
  readonly signedOff: boolean;
  readonly total: MigrationReconciliationLine;
  /** Day/store lines by day and store, then the unattributed line if any. */
  readonly lines: readonly MigrationReconciliationLine[];
  readonly reasons: readonly MigrationReconciliationReason[];
}

/** The warehouse has no reconciliation mart, or not the layout asked for. */
export class MigrationReconciliationError extends Error {
  override readonly name = "MigrationReconciliationError";
  constructor(
    message: string,
    readonly reason: "no_mart" | "unknown_layout",
  ) {
    super(message);
  }
}

async function martSchema(query: QueryFn, table: string): Promise<string | undefined> {
  const rows = await query(
    `select table_schema from information_schema.tables where table_name = ${sqlString(table)} order by table_schema = 'gold' desc limit 1`,
  );
  return rows[0]?.table_schema as string | undefined;
}

const measure = (prefix: string) =>
  `${prefix}_rows::DOUBLE as ${prefix}_rows, ${prefix}_quantity::DOUBLE as ${prefix}_quantity, ${prefix}_amount::DOUBLE as ${prefix}_amount`;

const measuresOf = (row: Record<string, unknown>, prefix: string) => ({
  rows: row[`${prefix}_rows`],
  quantity: row[`${prefix}_quantity`],
  amount: row[`${prefix}_amount`],
});

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Reads the migration reconciliation (`mart_migration_reconciliation` and its reasons, built by
 * dbt) from the warehouse, one result per legacy layout, or the one `layout` names.
 * Throws `MigrationReconciliationError` when the mart is not there or holds no such layout.
 * @example
 * const [pos] = await readMigrationReconciliation(pipe.query, { layout: "pos_fr_sale_line" });
 * pos.signedOff; // true when nothing is unexplained
 */
export async function readMigrationReconciliation(
  query: QueryFn,
  options: { readonly layout?: string } = {},
): Promise<MigrationReconciliation[]> {
  const schema = await martSchema(query, MIGRATION_RECONCILIATION_MART);
  const reasonsSchema = await martSchema(query, MIGRATION_RECONCILIATION_REASONS_MART);
  if (!schema || !reasonsSchema)
    throw new MigrationReconciliationError(
      `the warehouse has no ${schema ? MIGRATION_RECONCILIATION_REASONS_MART : MIGRATION_RECONCILIATION_MART}: build it with dbt (\`dbt build --select ${MIGRATION_RECONCILIATION_MART}+\`, or \`retail-mds demo\`) after \`retail-mds dbt-sources\` has rendered it for the config's layouts`,
      "no_mart",
    );
  const layouts = (
    await query(
      `select distinct layout from ${quoted(schema)}.${MIGRATION_RECONCILIATION_MART} order by layout`,
    )
  ).map((r) => String(r.layout));
  if (options.layout !== undefined && !layouts.includes(options.layout))
    throw new MigrationReconciliationError(
      `layout "${options.layout}" is not in ${schema}.${MIGRATION_RECONCILIATION_MART}; it reconciles ${layouts.length ? layouts.join(", ") : "no layout (no sale_line layout in the config)"}`,
      "unknown_layout",
    );
  const where = options.layout === undefined ? "" : `where layout = ${sqlString(options.layout)}`;
  const lines = (
    await query(
      `select layout, line_kind, strftime(business_day, '%Y-%m-%d') as business_day, store_id,
              file_lines::DOUBLE as file_lines, not_sale_rows::DOUBLE as not_sale_rows,
              ${measure("legacy")}, ${measure("gold")}, ${measure("explained")}, ${measure("unexplained")},
              explanation, is_balanced, is_signed_off
       from ${quoted(schema)}.${MIGRATION_RECONCILIATION_MART} ${where}
       order by layout, line_kind = 'total', line_kind = 'unattributed', business_day, store_id`,
    )
  ).map((row) => ({
    signedOff: row.is_signed_off === true,
    line: reconciliationLineSchema.parse({
      layout: row.layout,
      lineKind: row.line_kind,
      businessDay: row.business_day ?? null,
      storeId: row.store_id ?? null,
      fileLines: row.file_lines,
      notSaleRows: row.not_sale_rows,
      legacy: measuresOf(row, "legacy"),
      gold: measuresOf(row, "gold"),
      explained: measuresOf(row, "explained"),
      unexplained: measuresOf(row, "unexplained"),
      explanation: row.explanation,
      balanced: row.is_balanced,
    }),
  }));
  const reasons = (
    await query(
      `select layout, line_kind, strftime(business_day, '%Y-%m-%d') as business_day, store_id,
              explanation_kind, reason, rows::DOUBLE as rows, quantity::DOUBLE as quantity, amount::DOUBLE as amount
       from ${quoted(reasonsSchema)}.${MIGRATION_RECONCILIATION_REASONS_MART} ${where}
       order by layout, business_day nulls last, store_id, explanation_kind, reason`,
    )
  ).map((row) =>
    reconciliationReasonSchema.parse({
      layout: row.layout,
      lineKind: row.line_kind,
      businessDay: row.business_day ?? null,
      storeId: row.store_id ?? null,
      kind: row.explanation_kind,
      reason: row.reason,
      rows: row.rows,
      quantity: row.quantity,
      amount: row.amount,
    }),
  );
  return (options.layout === undefined ? layouts : [options.layout]).map((layout) => {
    const own = lines.filter((l) => l.line.layout === layout);
    const total = own.find((l) => l.line.lineKind === "total");
    if (!total)
      throw new MigrationReconciliationError(
        `${schema}.${MIGRATION_RECONCILIATION_MART} has no total line for layout "${layout}": rebuild it with dbt`,
        "no_mart",
      );
    return {
      layout,
      signedOff: total.signedOff,
      total: total.line,
      lines: own.filter((l) => l !== total).map((l) => l.line),
      reasons: reasons.filter((r) => r.layout === layout),
    };
  });
}
