import { createHash, randomUUID } from "node:crypto";
import { link, mkdir, open, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { type ListedFile, listFolder, type UnlistedEntry } from "./folder-listing.js";
import type { LakeObject, LakeStore, ListOptions, PutOptions, PutResult } from "./lake-store.js";
import { LakeWriteError, ObjectExistsError } from "./lake-write-error.js";
import { checkStorePath } from "./store-path.js";

/** A lake store on a local folder; `localPath` is always there. */
export interface LocalLakeStore extends LakeStore {
  readonly kind: "local";
  /** Absolute folder of the store root. */
  readonly root: string;
  localPath(path: string): string;
}

/** Hex SHA-256 of some bytes: the local store's eTag and the manifest's checksum. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * A lake on a local folder, the embedded default. `put` is atomic: the bytes go to a dot-named
 * temp file in the target folder, are fsynced, then renamed over the target, so a reader (or a
 * crash) sees the whole file or none. With `ifAbsent` the temp file is hard-linked to the target
 * instead, which fails with EEXIST when the name is taken (link(2) never replaces), then
 * unlinked: of two processes racing for one name exactly one wins. `list` follows the one
 * listing rule of a lake folder (`listFolder`: dot-named entries never listed, symlinks never
 * followed but reported, files vanishing mid-scan left out). The eTag is the SHA-256 of the
 * content.
 * @example
 * const store = localStore("./lake");
 * await store.put("store/store-20261101T0000Z-20261102T0000Z-00001.csv", bytes);
 */
export function localStore(root: string): LocalLakeStore {
  const absRoot = resolve(root);
  const url = pathToFileURL(absRoot).href.replace(/\/$/, "");
  // Hashing a file on every list would read the whole lake; the hash is kept while size and
  // mtime say the file is unchanged.
  const hashes = new Map<string, { size: number; mtimeMs: number; eTag: string }>();
  const fullPath = (path: string) => join(absRoot, ...checkStorePath(path).split("/"));

  // Undefined when the file vanished since it was listed (a concurrent delete or rename).
  const describe = async (file: ListedFile): Promise<LakeObject | undefined> => {
    const known = hashes.get(file.path);
    let eTag =
      known && known.size === file.size && known.mtimeMs === file.mtimeMs ? known.eTag : undefined;
    if (!eTag) {
      try {
        eTag = sha256Hex(await readFile(file.localPath));
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      hashes.set(file.path, { size: file.size, mtimeMs: file.mtimeMs, eTag });
    }
    return { path: file.path, size: file.size, eTag, lastModified: file.mtime };
  };

  return {
    kind: "local",
    url,
    root: absRoot,
    localPath: fullPath,

    async put(path: string, body: Uint8Array, options: PutOptions = {}): Promise<PutResult> {
      const full = fullPath(path);
      const temp = join(dirname(full), `.${basename(full)}.${randomUUID()}.tmp`);
      let linking = false;
      try {
        await mkdir(dirname(full), { recursive: true });
        const handle = await open(temp, "wx");
        try {
          await handle.writeFile(body);
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (options.ifAbsent) {
          linking = true;
          await link(temp, full);
          linking = false;
          // Published; a temp name left by a failed unlink is a hidden second link, harmless.
          await unlink(temp).catch(() => undefined);
        } else {
          await rename(temp, full);
        }
        await syncFolder(dirname(full));
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        if (linking && (error as NodeJS.ErrnoException).code === "EEXIST")
          throw new ObjectExistsError(url, path, { cause: error });
        throw new LakeWriteError(url, path, errorText(error), { cause: error });
      }
      const info = await stat(full);
      const eTag = sha256Hex(body);
      hashes.set(path, { size: info.size, mtimeMs: info.mtimeMs, eTag });
      return {
        path,
        size: info.size,
        eTag,
        lastModified: info.mtime,
        url: pathToFileURL(full).href,
        api: "PutBlob",
        contentType: options.contentType ?? "application/octet-stream",
      };
    },

    async get(path: string): Promise<Uint8Array> {
      try {
        return await readFile(fullPath(path));
      } catch (error) {
        throw new Error(`no readable object at "${path}" in ${url}: ${errorText(error)}`, {
          cause: error,
        });
      }
    },

    async *list(prefix = "", options: ListOptions = {}): AsyncIterable<LakeObject> {
      // Start at the deepest folder the prefix names, then filter on the full prefix.
      const under = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
      if (under) checkStorePath(under);
      const listing = listFolder(absRoot, {
        under,
        ...(options.onUnlisted
          ? {
              onUnlisted: (e: UnlistedEntry) =>
                e.path.startsWith(prefix) && options.onUnlisted?.(e),
            }
          : {}),
      });
      for await (const file of listing) {
        if (!file.path.startsWith(prefix)) continue;
        const object = await describe(file);
        if (object) yield object;
      }
    },

    async exists(path: string): Promise<boolean> {
      try {
        return (await stat(fullPath(path))).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },

    async delete(path: string): Promise<void> {
      try {
        await unlink(fullPath(path));
        hashes.delete(path);
      } catch (error) {
        if (!isMissing(error))
          throw new LakeWriteError(url, path, errorText(error), { cause: error });
      }
    },
  };
}

// Makes the rename itself durable; not every platform lets a folder be opened for that.
async function syncFolder(folder: string): Promise<void> {
  if (sep === "\\") return;
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (
    (error as NodeJS.ErrnoException)?.code === "ENOENT" ||
    (error as NodeJS.ErrnoException)?.code === "ENOTDIR"
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
