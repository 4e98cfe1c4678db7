import posFrSaleLine from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { isBuiltInEntity } from "../entities/index.js";
import type { EntityGenerator, LegacyFeed } from "../generators/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import type { LayoutFeedResult } from "../legacy/layout-feed-writer.js";

/**
 * The layout the demo's parallel run writes its legacy feed through by default: the French
 * point-of-sale export shipped in examples/legacy-layouts/. Imported from the example itself, so
 * the package bundles the very file users read.
 */
export const DEFAULT_LEGACY_LAYOUT: LegacyLayout = posFrSaleLine;

/** `legacyLayout` selecting the canonical legacy CSV feed of every built-in entity (`createLegacyFeed`). */
export const LEGACY_CSV_FEED = "legacy-csv";

/** A layout of an entity the run generates, or the canonical CSV feed. */
export type LegacyLayoutOption = LegacyLayout | typeof LEGACY_CSV_FEED;

/** The legacy system's side of a parallel run: the feed it sends the run's records through. */
export interface ParallelFeedPlan {
  readonly layout: LegacyLayoutOption;
  readonly seed: number;
  /** Share of rows (and files) with defects, 0-1. */
  readonly rate: number;
}

/**
 * Why a layout cannot carry the parallel run, or `undefined`: its entity must be a built-in or
 * one of the run's generators (nothing else is generated, so its feed would be empty).
 */
export function legacyLayoutProblem(
  layout: LegacyLayoutOption,
  generators: readonly EntityGenerator[] = [],
): string | undefined {
  if (layout === LEGACY_CSV_FEED) return undefined;
  const entity = layout.target.name;
  if (isBuiltInEntity(entity) || generators.some((g) => g.entity.name === entity)) return undefined;
  return `legacy layout "${layout.name}" maps entity "${entity}", which this run does not generate: a built-in entity or one of your generators' (${generators.map((g) => g.entity.name).join(", ") || "none configured"})`;
}

/**
 * The parallel run these options ask for, or `undefined` when it is off: on with `legacyDefects`
 * or `legacyLayout`, through the French POS layout unless `legacyLayout` says otherwise.
 */
export function parallelFeedPlan(options: {
  readonly seed: number;
  readonly legacyDefects?: number | undefined;
  readonly legacyLayout?: LegacyLayoutOption | undefined;
  readonly generators?: readonly EntityGenerator[] | undefined;
}): ParallelFeedPlan | undefined {
  const { seed, legacyDefects, legacyLayout } = options;
  if (legacyDefects === undefined && legacyLayout === undefined) return undefined;
  // Checked here, before the warehouse is opened: the feed's own schema would throw later.
  if (
    legacyDefects !== undefined &&
    !(typeof legacyDefects === "number" && legacyDefects >= 0 && legacyDefects <= 1)
  )
    throw new Error(
      `runLocalPipeline: legacyDefects must be a number from 0 to 1 (the share of legacy rows with defects); got ${legacyDefects}`,
    );
  const layout = legacyLayout ?? DEFAULT_LEGACY_LAYOUT;
  const problem = legacyLayoutProblem(layout, options.generators);
  if (problem) throw new Error(`runLocalPipeline: ${problem}`);
  return { layout, seed, rate: legacyDefects ?? 0 };
}

/** What the legacy system sent in a parallel run. */
export type LegacySent =
  | { readonly kind: "csv"; readonly feed: LegacyFeed }
  | {
      readonly kind: "layout";
      readonly layout: LegacyLayout;
      readonly feed: LayoutFeedResult;
      /** `_manifests/layout-defects-<layout>-<runId>.json` */
      readonly manifestPath: string;
    };
