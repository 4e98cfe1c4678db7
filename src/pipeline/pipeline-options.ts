/** What `runLocalPipeline` simulates, where it writes, and whether it runs dbt. */
export interface LocalPipelineOptions {
  /** Business days to simulate (default 7). */
  readonly days?: number;
  /** Stores (default 10). */
  readonly stores?: number;
  /** Products, SKUs (default 500). */
  readonly products?: number;
  /** Random seed: same seed, same bytes (default 42). */
  readonly seed?: number;
  /** First business day, `YYYY-MM-DD` (default 2026-11-02). */
  readonly from?: string;
  /** Lake folder (default `./lake`). */
  readonly lake?: string;
  /** Folder of the DuckDB file (`retail.duckdb`), the dbt log and the report (default `./warehouse`). */
  readonly warehouse?: string;
  /** dbt project folder (default `./dbt`). */
  readonly dbtProject?: string;
  /** The dbt executable; else RETAIL_MDS_DBT_BIN, `dbt` on PATH, then `.venv/bin/dbt` (`findDbt`). */
  readonly dbtBin?: string;
  /** Do not run `dbt build` (the report then reads RAW). */
  readonly skipDbt?: boolean;
  /**
   * Also send the same records as the legacy flat-file feed, with this share of rows carrying
   * defects (0-1): a migration's parallel run. Off when undefined.
   */
  readonly legacyDefects?: number;
}

/** The defaults of `runLocalPipeline` (and of `retail-mds demo`). */
export const LOCAL_PIPELINE_DEFAULTS = {
  days: 7,
  stores: 10,
  products: 500,
  seed: 42,
  from: "2026-11-02",
  lake: "./lake",
  warehouse: "./warehouse",
  dbtProject: "./dbt",
} as const;
