/**
 * The defects a legacy feed carries, the ones a migration has to detect and handle. Each is
 * injected on purpose and recorded in a side manifest, never in the data.
 */
export const DEFECT_KINDS = [
  "duplicate",
  "null_key",
  "unknown_store",
  "unknown_sku",
  "price_bug",
  "unmarked_return",
  "dmy_date",
  "decimal_comma",
  "trailing_spaces",
  "late_arrival",
  "latin1_name",
] as const;

/** One kind of legacy defect. */
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** What the manifest says about one defective legacy row. */
export interface DefectEntry {
  /** Entity name, `sale_line`. */
  readonly entity: string;
  /** 1-based ordinal of the row in that entity's legacy stream (duplicates count as rows). */
  readonly row: number;
  /** Natural key of the clean record the row came from, `entity.keyOf()` form. */
  readonly key: string;
  readonly defect: DefectKind;
  /** The column the defect is in, when it is in one column. */
  readonly column?: string;
}

/** The price the legacy till system writes when its price lookup fails. */
export const PRICE_BUG = "99999.99";
