import type { Batch } from "../entities/index.js";
import { windowToken } from "../lake/lake-path.js";
import type { LakeStore } from "../lake/lake-store.js";
import { publishOnce } from "../lake/publish-once.js";
import type { LegacyLayout } from "./define-legacy-layout.js";
import { legacyRawPath } from "./land-legacy-file.js";
import { createLayoutFeed, type LayoutDefect, type LayoutFeedOptions } from "./layout-feed.js";

/** What a layout feed wrote into the lake. */
export interface LayoutFeedResult {
  readonly files: readonly string[];
  readonly rows: number;
  readonly manifest: readonly LayoutDefect[];
}

/**
 * Lands a layout feed in the lake beside the modern files: the batches of the layout's entity,
 * one legacy file per window (a window's tickets stay whole), under `legacy_raw/<layout>/`,
 * each published once (a re-run with the same seed finds the same bytes and changes nothing).
 * @example
 * const legacy = createLayoutFeedWriter(store, posFr, { seed: 42, rate: 0.02 });
 * for (const batch of sim.generate()) await legacy.write(batch);
 * const { files, manifest } = await legacy.close();
 */
export function createLayoutFeedWriter(
  store: LakeStore,
  layout: LegacyLayout,
  options: LayoutFeedOptions,
) {
  const feed = createLayoutFeed(layout, options);
  const extension = `${layout.format.kind === "delimited" ? "csv" : "dat"}${layout.compression === "gzip" ? ".gz" : ""}`;
  const files: string[] = [];
  let rows = 0;
  let window: Batch["window"] | undefined;
  let records: Record<string, unknown>[] = [];
  const flush = async () => {
    if (!window || !records.length) return;
    const name = `${layout.name}-${windowToken(window.from, window.to)}.${extension}`;
    const file = feed.file(records, name);
    const path = legacyRawPath(layout, name);
    await publishOnce(store, path, file.bytes, "text/plain");
    files.push(path);
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
      return { files, rows, manifest: feed.manifest };
    },
  };
}
