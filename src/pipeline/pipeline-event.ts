import type { DbtBuildResult } from "../warehouse/index.js";

/** The stages of `runLocalPipeline`, in the order they run. */
export type PipelineStage = "generate" | "refresh" | "dbt" | "report";

/** What the generate stage (generate -> quality -> lake -> pipe) did. */
export interface LandCounts {
  /** Records the simulation generated. */
  readonly generated: number;
  /** Records written to lake files. */
  readonly landed: number;
  /** Records quarantined (in-stream rules and the writer's schema check). */
  readonly quarantined: number;
  /** Quarantine files a previous run had already written, identical. */
  readonly quarantineUnchanged: number;
  /** Data files of this run, and of them the ones published now and the ones already there. */
  readonly files: number;
  readonly published: number;
  readonly unchanged: number;
  /** Files and rows the pipe loaded from this run's events. */
  readonly filesLoaded: number;
  readonly rowsLoaded: number;
  /** Legacy-feed rows sent (0 without `legacyDefects`). */
  readonly legacyRows: number;
}

/** What the pipe refresh (Snowpipe's `ALTER PIPE ... REFRESH`) found. */
export interface RefreshCounts {
  readonly loaded: number;
  readonly failed: number;
  /** Files changed after they were loaded under the same name: not loaded, see docs/warehouse.md. */
  readonly conflicts: number;
  readonly alreadyLoaded: number;
  readonly ignored: number;
}

/** dbt's part of the run: built, failed, or skipped and why. */
export interface DbtOutcome {
  /** `undefined` when dbt was skipped on request (`skipDbt`). */
  readonly result: DbtBuildResult | undefined;
  /** One line, as the report shows it. */
  readonly text: string;
}

/**
 * A progress event of `runLocalPipeline`, in run order: `stage` opens each stage, then the
 * stage's own events, and its closing event (`landed`, `refreshed`, `dbt-done`, `reported`).
 * Plain data: log it, render it, or forward it as JSON.
 */
export type PipelineEvent =
  | { readonly type: "stage"; readonly stage: PipelineStage; readonly title: string }
  | {
      readonly type: "generated";
      readonly stage: "generate";
      /** Start of the hourly window just generated (UTC ISO). */
      readonly hour: string;
      /** Records generated so far. */
      readonly rows: number;
      readonly filesLoaded: number;
      readonly rowsLoaded: number;
    }
  | { readonly type: "landed"; readonly stage: "generate"; readonly counts: LandCounts }
  | { readonly type: "refreshed"; readonly stage: "refresh"; readonly counts: RefreshCounts }
  | {
      readonly type: "dbt-node";
      readonly stage: "dbt";
      /** Nodes finished so far. */
      readonly nodes: number;
      /** dbt's line for the node, colour codes removed. */
      readonly line: string;
    }
  | { readonly type: "dbt-done"; readonly stage: "dbt"; readonly dbt: DbtOutcome }
  | { readonly type: "reported"; readonly stage: "report"; readonly report: string };

/** How a caller observes and stops a run. */
export interface PipelineRunControl {
  /** Checked between stages and between hourly windows; an aborted run rejects with its reason. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: PipelineEvent) => void;
}
