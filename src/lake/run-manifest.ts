import type { Compression } from "./file-encoder.js";
import type { Feed, FileFormat } from "./lake-path.js";

/** One file a run produced (published now, or found already there with the same bytes). */
export interface ManifestFile {
  readonly feed: Feed;
  readonly entity: string;
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * What a run wrote, stored last as `_manifests/<runId>.json`. It holds no clock time, so a re-run
 * of the same generation produces the same manifest, byte for byte.
 */
export interface RunManifest {
  readonly runId: string;
  readonly format: FileFormat;
  readonly compression: Compression;
  /**
   * Only in a lake written with `storeGroups` > 1: the group count, and the store group whose
   * files this manifest lists (0: the files of no group, such as reference data).
   */
  readonly storeGroups?: number;
  readonly storeGroup?: number;
  /** Sorted by path. */
  readonly files: readonly ManifestFile[];
  /** Valid records written to the `data` feed. */
  readonly rowsWritten: number;
  /** Records sent to the quarantine sink. */
  readonly rowsQuarantined: number;
  /** Legacy text rows landed as-is on the `legacy` feed. */
  readonly rowsLegacy: number;
}

/** Path of a run's manifest. */
export function manifestPath(runId: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(runId)) {
    throw new RangeError(
      `run id ${JSON.stringify(runId)} must be 1-128 of A-Z a-z 0-9 . _ - (and not start with . _ -)`,
    );
  }
  return `_manifests/${runId}.json`;
}
