import { gunzipSync } from "node:zlib";
import type { Batch } from "../entities/index.js";
import { type BlobCreatedEventOptions, blobCreatedEvent } from "../lake/blob-created-event.js";
import type { EventSink } from "../lake/event-sink.js";
import { windowToken } from "../lake/lake-path.js";
import type { LakeStore } from "../lake/lake-store.js";
import { sha256Hex } from "../lake/local-store.js";
import { publishOnce } from "../lake/publish-once.js";
import type { LegacyLayout } from "./define-legacy-layout.js";
import { legacyRawPath } from "./land-legacy-file.js";
import { createLayoutFeed, type LayoutDefect, type LayoutFeedOptions } from "./layout-feed.js";

/** One legacy file a layout feed landed: its lake path, identity and physical lines. */
export interface LandedLayoutFile {
  /** `legacy_raw/<layout>/<layout>-<window>.<ext>` */
  readonly path: string;
  readonly sha256: string;
  /** Physical lines (header, details, trailer, blank ones; a last line without LF counts): the RAW table's rows for it. */
  readonly lines: number;
  /** `false` when the very same bytes were already there (a re-run). */
  readonly published: boolean;
}

/** What a layout feed wrote into the lake. */
export interface LayoutFeedResult {
  /** Lake paths, in the order written. */
  readonly files: readonly string[];
  readonly landed: readonly LandedLayoutFile[];
  /** Records written (the layout entity's rows, before defects add or damage lines). */
  readonly rows: number;
  readonly manifest: readonly LayoutDefect[];
}

/** Where the lake tells the pipe about each file published (a BlobCreated event per new file). */
export interface LayoutFeedLanding {
  readonly events?: EventSink;
  readonly eventOptions?: BlobCreatedEventOptions;
}

/**
 * Lands a layout feed in the lake beside the modern files: the batches of the layout's entity,
 * one legacy file per window (a window's tickets stay whole), under `legacy_raw/<layout>/`,
 * each published once (a re-run with the same seed finds the same bytes and changes nothing).
 * With `events`, each file published now is announced as every lake file is, so a pipe
 * consuming them loads it.
 * @example
 * const legacy = createLayoutFeedWriter(store, posFr, { seed: 42, rate: 0.02 });
 * for (const batch of sim.generate()) await legacy.write(batch);
 * const { files, manifest } = await legacy.close();
 */
export function createLayoutFeedWriter(
  store: LakeStore,
  layout: LegacyLayout,
  options: LayoutFeedOptions,
  landing: LayoutFeedLanding = {},
) {
  const feed = createLayoutFeed(layout, options);
  const extension = `${layout.format.kind === "delimited" ? "csv" : "dat"}${layout.compression === "gzip" ? ".gz" : ""}`;
  const landed: LandedLayoutFile[] = [];
  let rows = 0;
  let window: Batch["window"] | undefined;
  let records: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!window || !records.length) return;
    const name = `${layout.name}-${windowToken(window.from, window.to)}.${extension}`;
    const file = feed.file(records, name);
    const path = legacyRawPath(layout, name);
    const outcome = await publishOnce(store, path, file.bytes, "text/plain");
    if (outcome.published && landing.events)
      await landing.events.publish(blobCreatedEvent(outcome.put, landing.eventOptions));
    landed.push({
      path,
      sha256: sha256Hex(file.bytes),
      lines: physicalLines(layout, file.bytes),
      published: outcome.published,
    });
    rows += records.length;
    records = [];
  };
  return {
    async write(batch: Batch): Promise<void> {
      if (batch.entity.name !== layout.target.name) return;
      if (batch.window.from !== window?.from) {
        await flush();
        window = batch.window;
      }
      records.push(...(batch.records as Record<string, unknown>[]));
    },
    async close(): Promise<LayoutFeedResult> {
      await flush();
      return { files: landed.map((f) => f.path), landed, rows, manifest: feed.manifest };
    },
  };
}

const LF = 0x0a;

/**
 * Physical lines of a written file, counted on its bytes the way Snowflake's loader splits them
 * (at LF, a last line without LF kept), independently of the loader it is checked against.
 */
function physicalLines(layout: LegacyLayout, written: Uint8Array): number {
  const bytes = layout.compression === "gzip" ? gunzipSync(written) : written;
  let lines = 0;
  for (const byte of bytes) if (byte === LF) lines++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== LF ? lines + 1 : lines;
}

/**
 * Publishes a layout feed's defect manifest, `_manifests/layout-defects-<layout>-<runId>.json`
 * (what `legacy check --manifest` scores a reader against), once; returns its path.
 */
export async function publishLayoutManifest(
  store: LakeStore,
  layout: LegacyLayout,
  run: { readonly runId: string; readonly seed: number; readonly rate: number },
  manifest: readonly LayoutDefect[],
): Promise<string> {
  const path = `_manifests/layout-defects-${layout.name}-${run.runId}.json`;
  const body = {
    runId: run.runId,
    layout: layout.name,
    seed: run.seed,
    rate: run.rate,
    note: "line = physical line of the file; a defect without a line rejects its file whole",
    defects: manifest,
  };
  await publishOnce(
    store,
    path,
    Buffer.from(`${JSON.stringify(body, null, 1)}\n`),
    "application/json",
  );
  return path;
}
