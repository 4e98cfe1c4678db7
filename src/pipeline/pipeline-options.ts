import type { Entity } from "../entities/index.js";
import type { EntityGenerator } from "../generators/index.js";
import type { FileFormat } from "../lake/index.js";
import type { LegacyLayout } from "../legacy/index.js";
import type { OnError } from "../warehouse/index.js";
import type { LegacyLayoutOption } from "./parallel-feed.js";

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
  /** Folder of the dbt log and the report, and of the DuckDB file by default (default `./warehouse`). */
  readonly warehouse?: string;
  /** The DuckDB file (default `<warehouse>/retail.duckdb`). */
  readonly database?: string;
  /** Format of the data files landed (default `parquet`). */
  readonly format?: FileFormat;
  /** The local pipe's ON_ERROR for a file holding bad rows (default `skip_file`, as Snowpipe). */
  readonly onError?: OnError;
  /**
   * Every entity the pipe and quality know (default the built-ins); a project's own entities
   * (`loadConfig().entities`) get RAW tables, so files of theirs in the lake load.
   */
  readonly entities?: readonly Entity[];
  /** Generators of your own entities (`defineGenerator`), run with the simulation each window. */
  readonly generators?: readonly EntityGenerator[];
  /**
   * Legacy layouts (a project config's `layouts`): the pipe loads the files under
   * `legacy_raw/<layout>/` into `raw.legacy_<layout>`, one row per line (docs/warehouse.md).
   */
  readonly layouts?: readonly LegacyLayout[];
  /** dbt project folder (default `./dbt`). */
  readonly dbtProject?: string;
  /** The dbt executable; else RETAIL_MDS_DBT_BIN, `dbt` on PATH, then `.venv/bin/dbt` (`findDbt`). */
  readonly dbtBin?: string;
  /** Do not run `dbt build` (the report then reads RAW). */
  readonly skipDbt?: boolean;
  /**
   * A migration's parallel run: the legacy system also sends the same records as flat files,
   * with this share of rows (and of files) carrying defects (0-1). Off when this and
   * `legacyLayout` are undefined.
   */
  readonly legacyDefects?: number;
  /**
   * The parallel run's legacy feed (setting it turns the run on, with `legacyDefects` 0 unless
   * given). A layout (`defineLegacyLayout`) of an entity the run generates: its records written
   * through it, one file per window, under `legacy_raw/<layout>/`, with the defect manifest
   * `_manifests/layout-defects-<layout>-<runId>.json`, loaded into `raw.legacy_<layout>`.
   * `"legacy-csv"`: the canonical CSV feed of every built-in entity (`createLegacyFeed`), loaded
   * into `raw.<entity>_legacy`, as before. Default: the French POS layout `pos_fr_sale_line`
   * (examples/legacy-layouts/pos-fr-sale-line.ts, bundled as `DEFAULT_LEGACY_LAYOUT`).
   */
  readonly legacyLayout?: LegacyLayoutOption;
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
