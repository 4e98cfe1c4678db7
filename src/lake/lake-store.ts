import type { UnlistedEntry } from "./folder-listing.js";

/** An object in a lake store. Paths are relative to the store root, `/`-separated. */
export interface LakeObject {
  readonly path: string;
  readonly size: number;
  /** Opaque version tag (Azure ETag, or a content hash on the local folder). */
  readonly eTag: string;
  readonly lastModified: Date;
}

/** The Azure operation that made an object visible, as Event Grid reports it in `data.api`. */
export type PublishApi = "PutBlob" | "PutBlockList" | "FlushWithClose";

/** What a successful `put` published. */
export interface PutResult extends LakeObject {
  /** Absolute URL of the object (`file://`, `https://<acct>.blob...` or `https://<acct>.dfs...`). */
  readonly url: string;
  readonly api: PublishApi;
  readonly contentType: string;
}

/** Options of `LakeStore.list`. */
export interface ListOptions {
  /**
   * Told about every entry that is not listed and why (a symlink, a FIFO, an unreadable
   * folder: see `listFolder`). Only a local folder has such entries.
   */
  readonly onUnlisted?: (entry: UnlistedEntry) => void;
}

export interface PutOptions {
  readonly contentType?: string;
  /**
   * Create only: publish when nothing is at `path`, and fail with an `ObjectExistsError`
   * otherwise, in one atomic step on every store (a no-replace link on the local folder,
   * `If-None-Match: *` on Blob and ADLS Gen2). Of several writers racing for one name exactly
   * one wins. Default false: `put` replaces what is there.
   */
  readonly ifAbsent?: boolean;
}

/**
 * Where lake files live: a local folder, an Azure Blob container or an ADLS Gen2 file system.
 * `put` is atomic: readers see the whole object or nothing; with `ifAbsent` it also never
 * replaces an object, whoever else is writing.
 */
export interface LakeStore {
  readonly kind: "local" | "blob" | "adls";
  /** URL of the store root, without a trailing slash. */
  readonly url: string;
  put(path: string, body: Uint8Array, options?: PutOptions): Promise<PutResult>;
  get(path: string): Promise<Uint8Array>;
  /** Objects under `prefix` (all when omitted), in no guaranteed order. */
  list(prefix?: string, options?: ListOptions): AsyncIterable<LakeObject>;
  exists(path: string): Promise<boolean>;
  delete(path: string): Promise<void>;
  /** On the local folder only: the file-system path of an object, for readers like DuckDB. */
  localPath?(path: string): string;
}
