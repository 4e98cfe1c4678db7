import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type LakeStore,
  type ListOptions,
  type LocalLakeStore,
  listedFilePath,
  listFolder,
} from "../lake/index.js";

/** A lake file made readable by DuckDB: a local path, its size and content hash. */
export interface StagedFile {
  readonly path: string;
  readonly localPath: string;
  readonly size: number;
  readonly contentHash: string;
  /**
   * Whether the file at `localPath` is no longer the one hashed: a local lake file is read in
   * place, so one replaced (by rename) or rewritten since must not go in under this hash. Its
   * inode, size and times are compared; a file changed within 2 s before its hash is hashed
   * again, since a rewrite within one tick of the clock leaves its times as they were.
   * Always false for a remote lake's local copy, which only the pipe writes.
   */
  changed(): Promise<boolean>;
  /** Removes the local copy when the lake is remote; a no-op on a local folder. */
  release(): Promise<void>;
}

/** A listed lake object. */
export interface SourceObject {
  readonly path: string;
  readonly size: number;
  readonly eTag?: string;
  /** When the file was staged (its last modification), as Snowflake's REFRESH sees it. */
  readonly lastModified?: Date;
}

/**
 * Where the pipe reads lake files: a local folder read in place, or any `LakeStore` (a remote one
 * is copied to a temporary file first, as Snowpipe reads a blob into its own compute).
 */
export interface LakeSource {
  /** The stage location reported in the load history (the store URL). */
  readonly url: string;
  /** The lake's files, by the one listing rule of `listFolder` on a local folder. */
  list(options?: ListOptions): AsyncIterable<SourceObject>;
  /** The file readable by DuckDB; `undefined` when it vanished since it was listed. */
  stage(path: string): Promise<StagedFile | undefined>;
  /** The lake-relative path of an event URL, or `undefined` when it is outside this lake. */
  pathOfUrl(url: string): string | undefined;
}

/** A lake given as a folder path, or as a store. */
export function lakeSource(lake: LakeStore | string): LakeSource {
  return typeof lake === "string" ? folderSource(resolve(lake)) : storeSource(lake);
}

function folderSource(root: string): LakeSource {
  const url = pathToFileURL(root).href.replace(/\/$/, "");
  return {
    url,
    async *list(options = {}) {
      for await (const file of listFolder(root, options))
        yield { path: file.path, size: file.size, lastModified: file.mtime };
    },
    async stage(path) {
      // Re-checked right before reading: a symlink swapped in since the listing is not followed.
      const localPath = await listedFilePath(root, path);
      return localPath ? stageLocal(path, localPath) : undefined;
    },
    pathOfUrl: (eventUrl) => relativeFileUrl(root, eventUrl),
  };
}

function storeSource(store: LakeStore): LakeSource {
  const localRoot = store.localPath?.bind(store);
  const localFolder = (store as Partial<LocalLakeStore>).root;
  return {
    url: store.url,
    async *list(options = {}) {
      for await (const object of store.list(undefined, options))
        yield {
          path: object.path,
          size: object.size,
          eTag: object.eTag,
          lastModified: object.lastModified,
        };
    },
    async stage(path) {
      if (localFolder) {
        const localPath = await listedFilePath(localFolder, path);
        return localPath ? stageLocal(path, localPath) : undefined;
      }
      if (localRoot) return stageLocal(path, localRoot(path));
      let body: Uint8Array;
      try {
        body = await store.get(path);
      } catch (error) {
        if (!(await store.exists(path).catch(() => true))) return undefined;
        throw error;
      }
      // Keep the file name, so DuckDB messages about it stay readable.
      const folder = join(tmpdir(), `retail-mds-pipe-${randomUUID()}`);
      await mkdir(folder, { recursive: true });
      const localPath = join(folder, basename(path));
      await writeFile(localPath, body);
      return {
        path,
        localPath,
        size: body.byteLength,
        contentHash: createHash("sha256").update(body).digest("hex"),
        changed: async () => false,
        release: () => rm(folder, { recursive: true, force: true }),
      };
    },
    pathOfUrl(eventUrl) {
      if (store.url.startsWith("file:")) {
        const root = store.localPath ? dirname(store.localPath("x")) : fileURLToPath(store.url);
        return relativeFileUrl(root, eventUrl);
      }
      const prefix = `${store.url}/`;
      if (!eventUrl.startsWith(prefix)) return undefined;
      return eventUrl
        .slice(prefix.length)
        .split("?")[0]
        ?.split("/")
        .map((segment) => decodeURIComponent(segment))
        .join("/");
    },
  };
}

function relativeFileUrl(root: string, eventUrl: string): string | undefined {
  if (!eventUrl.startsWith("file:")) return undefined;
  const rel = relative(root, fileURLToPath(eventUrl));
  if (rel === "" || rel.startsWith("..") || resolve(root, rel) !== resolve(fileURLToPath(eventUrl)))
    return undefined;
  return rel.split(sep).join("/");
}

/**
 * How long before its hash a file must have last changed for its unchanged inode, size and
 * times to prove it was not rewritten since. A rewrite after the hash sets ctime to the clock
 * then, which differs from an older ctime by more than any file system's timestamp granularity
 * (FAT's 2 s is the coarsest) or a kernel's coarse clock; a file changed within this window may
 * be rewritten within one tick, times unmoved, so it is hashed again.
 */
const SETTLED_MS = 2_000;

/** A local file staged in place; `undefined` when it is gone. */
async function stageLocal(path: string, localPath: string): Promise<StagedFile | undefined> {
  try {
    const hashedAt = Date.now();
    // Its inode, size and times before the hash: DuckDB reads the file again, later.
    const first = await stat(localPath);
    const before = fileVersion(first);
    const { size, contentHash } = await hashFile(localPath);
    const settled = Math.max(first.mtimeMs, first.ctimeMs) < hashedAt - SETTLED_MS;
    const changed = async () => {
      const now = await stat(localPath).catch(() => undefined);
      if (!now || fileVersion(now) !== before) return true;
      if (settled) return false;
      const again = await hashFile(localPath).catch(() => undefined);
      return again?.contentHash !== contentHash;
    };
    return { path, localPath, size, contentHash, changed, release: async () => {} };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** What changes when a file is replaced by rename (inode) or rewritten (size, mtime, ctime). */
function fileVersion(s: { ino: number; size: number; mtimeMs: number; ctimeMs: number }) {
  return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
}

async function hashFile(localPath: string): Promise<{ size: number; contentHash: string }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(localPath)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { size, contentHash: hash.digest("hex") };
}
