import { IN_RAW, type LoadErrorDetail, type LoadStatus } from "./load-history.js";

/** One version of a path in the load history. */
export interface KnownVersion {
  readonly contentHash: string;
  readonly status: LoadStatus;
  readonly firstError: LoadErrorDetail | undefined;
}

/**
 * What the pipe does with a file, given what its history holds for the path:
 * - `new`: nothing of this path is in RAW and these bytes were never tried: load them;
 * - `known`: these bytes are already in the history (loaded, failed, skipped or in conflict):
 *   do nothing, report the recorded status again;
 * - `changed`: another version of the path is in RAW: do not load (a conflict), unless the
 *   change is explained (a quarantine rewrite) or the caller asked for a reload.
 */
export type Verdict =
  | { readonly kind: "new" }
  | {
      readonly kind: "known";
      readonly status: LoadStatus;
      readonly firstError: LoadErrorDetail | undefined;
    }
  | { readonly kind: "changed"; readonly loadedHash: string };

/**
 * The path is the file's identity, as for Snowpipe: a path whose rows are in RAW is never loaded
 * again under other bytes. A failed or skipped attempt leaves nothing in RAW, so a fixed file
 * (new bytes) under that path is simply loaded.
 */
export function judgeVersion(versions: readonly KnownVersion[], contentHash: string): Verdict {
  const loaded = versions.find((v) => IN_RAW.includes(v.status));
  if (loaded) {
    return loaded.contentHash === contentHash
      ? { kind: "known", status: loaded.status, firstError: loaded.firstError }
      : { kind: "changed", loadedHash: loaded.contentHash };
  }
  const same = versions.find((v) => v.contentHash === contentHash);
  return same
    ? { kind: "known", status: same.status, firstError: same.firstError }
    : { kind: "new" };
}
