import { randomUUID } from "node:crypto";
import type { DataLakeFileSystemClient, DataLakeServiceClient } from "@azure/storage-file-datalake";
import { type AzureCredential, dataLakeServiceClient } from "./azure-credential.js";
import {
  type AzureOperationContext,
  type AzureRetryOptions,
  ensureOnce,
  refusedAsExisting,
  runAzure,
  statusOf,
} from "./azure-operation.js";
import type { LakeObject, LakeStore, PutOptions, PutResult } from "./lake-store.js";
import { ObjectExistsError } from "./lake-write-error.js";
import { publicUrl } from "./redact.js";
import { checkStorePath } from "./store-path.js";
import { listPrefix, rootPrefix, underRoot } from "./store-prefix.js";

export interface AdlsStoreOptions {
  /** File system (container) name. */
  readonly fileSystem: string;
  /** Directory inside the file system under which every path lives (`landing/retail`). */
  readonly prefix?: string;
  /** Connection string, SAS, or an account URL (blob or dfs) for Entra ID; or a ready client. */
  readonly credential: AzureCredential | DataLakeServiceClient;
  /** Bytes sent per append request. Default 8 MiB. */
  readonly appendBytes?: number;
  /** Create the file system on first use when it does not exist. Default false. */
  readonly createFileSystem?: boolean;
  /**
   * `rename` (default): write a dot-prefixed temp file, flush with close, rename into place; no
   * reader ever sees a partial file. But Azure's Event Grid then reports `FlushWithClose` for the
   * temp path and only `BlobRenamed` for the final one, which Snowpipe ignores.
   * `in-place`: create, append and flush with close on the final path, so Event Grid's
   * `FlushWithClose` names the final path (what Snowpipe auto-ingest needs); the price is an
   * empty (0-byte) file visible at that path until the flush. See docs/lake-azure.md.
   */
  readonly publish?: "rename" | "in-place";
  readonly retry?: AzureRetryOptions;
  /** Receives one redacted line per retried request. */
  readonly log?: (line: string) => void;
}

const DEFAULT_APPEND = 8 * 1024 * 1024;
/** Temp files are dot-prefixed siblings of their target; `list` never shows them. */
const isTemp = (name: string) => (name.split("/").pop() ?? "").startsWith(".");

/**
 * A lake store on an ADLS Gen2 file system (hierarchical namespace). `put` writes the body to a
 * dot-prefixed temp file in the target's directory (create, append, flush with close=true), then
 * renames it into place in one atomic metadata operation: a reader sees the whole file or
 * nothing. `PutResult.api` is `FlushWithClose` and `url` the dfs URL, as in the event the lake
 * emits for the final path (see docs/lake-azure.md for what Azure's own Event Grid sends).
 * @example
 * const store = adlsStore({ fileSystem: "landing", credential: { accountUrl: "https://acct.dfs.core.windows.net" } });
 * await store.put("product/product-20261101T0000Z-20261102T0000Z-00001.parquet", bytes);
 */
export function adlsStore(options: AdlsStoreOptions): LakeStore {
  const root = rootPrefix(options.prefix);
  const service = isServiceClient(options.credential)
    ? options.credential
    : dataLakeServiceClient(options.credential);
  const fileSystem: DataLakeFileSystemClient = service.getFileSystemClient(options.fileSystem);
  const fileSystemUrl = dfsUrl(publicUrl(fileSystem.url)).replace(/\/+$/, "");
  const url = root === "" ? fileSystemUrl : `${fileSystemUrl}/${root}`;
  const appendBytes = options.appendBytes ?? DEFAULT_APPEND;
  if (!(appendBytes > 0 && appendBytes <= 4000 * 1024 * 1024))
    throw new RangeError(`appendBytes ${appendBytes} must be 1..4000 MiB`);
  const context: AzureOperationContext = {
    storeUrl: url,
    kind: "adls",
    retry: options.retry,
    log: options.log,
  };
  const ensureFileSystem = options.createFileSystem
    ? ensureOnce(context, "create file system", (abortSignal) =>
        fileSystem.createIfNotExists({ abortSignal }),
      )
    : () => Promise.resolve();

  async function put(
    path: string,
    body: Uint8Array,
    putOptions: PutOptions = {},
  ): Promise<PutResult> {
    checkStorePath(path);
    await ensureFileSystem(path);
    const contentType = putOptions.contentType ?? "application/octet-stream";
    const finalName = underRoot(root, path);
    const slash = finalName.lastIndexOf("/");
    const inPlace = options.publish === "in-place";
    const tempName = inPlace
      ? finalName
      : `${finalName.slice(0, slash + 1)}.${finalName.slice(slash + 1)}.${randomUUID().slice(0, 8)}.tmp`;
    const temp = fileSystem.getFileClient(tempName);
    // Create-only: `If-None-Match: *` on the request that makes the final name exist (the
    // create in place, or the rename), which Path - Create documents as failing when the
    // destination already exists.
    const ifAbsent = putOptions.ifAbsent ? { ifNoneMatch: "*" } : undefined;
    let ours = true;
    try {
      try {
        await runAzure(context, inPlace ? "create file" : "create temp file", path, (abortSignal) =>
          temp.create({ abortSignal, ...(inPlace && ifAbsent ? { conditions: ifAbsent } : {}) }),
        );
      } catch (e) {
        // The file at the final name is another writer's: it must not be deleted below. (A
        // create whose response was lost lands here too: it leaves an empty file, never a
        // replaced one.)
        if (inPlace && ifAbsent && refusedAsExisting(e)) {
          ours = false;
          throw new ObjectExistsError(url, path);
        }
        throw e;
      }
      for (let offset = 0; offset < body.byteLength; offset += appendBytes) {
        const chunk = body.subarray(offset, Math.min(body.byteLength, offset + appendBytes));
        await runAzure(context, `append at ${offset}`, path, (abortSignal) =>
          temp.append(chunk, offset, chunk.byteLength, { abortSignal }),
        );
      }
      const flushed = await runAzure(context, "flush with close", path, (abortSignal) =>
        temp.flush(body.byteLength, { abortSignal, close: true, pathHttpHeaders: { contentType } }),
      );
      const renamed = inPlace
        ? flushed
        : await runAzure(context, "rename into place", path, async (abortSignal, attempt) => {
            try {
              return await temp.move(finalName, {
                abortSignal,
                ...(ifAbsent ? { destinationConditions: ifAbsent } : {}),
              });
            } catch (e) {
              // A retried rename whose first try landed finds no source (or, create-only, finds
              // the target): it is done if the target is ours, which keeps the flushed ETag.
              if (attempt > 1 && (statusOf(e) === 404 || (ifAbsent && refusedAsExisting(e)))) {
                const props = await fileSystem
                  .getFileClient(finalName)
                  .getProperties({ abortSignal });
                if (props.contentLength === body.byteLength && props.etag === flushed.etag)
                  return props;
              }
              throw e;
            }
          });
      return {
        path,
        size: body.byteLength,
        // Rename keeps the file's ETag; fall back on the flush's when the service omits it.
        eTag: renamed.etag ?? flushed.etag ?? "",
        lastModified: renamed.lastModified ?? flushed.lastModified ?? new Date(),
        url: `${url}/${encodeURI(path)}`,
        api: "FlushWithClose",
        contentType,
      };
    } catch (e) {
      // A half-written in-place file is removed too: better absent than partial.
      if (ours) await temp.deleteIfExists().catch(() => undefined);
      if (ifAbsent && refusedAsExisting(e)) throw new ObjectExistsError(url, path);
      throw e;
    }
  }

  async function get(path: string): Promise<Uint8Array> {
    checkStorePath(path);
    const file = fileSystem.getFileClient(underRoot(root, path));
    const buffer = await runAzure(context, "get", path, (abortSignal) =>
      file.readToBuffer(0, undefined, { abortSignal }),
    );
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async function* list(prefix?: string): AsyncIterable<LakeObject> {
    const relative = listPrefix(prefix);
    const full = root === "" ? relative : `${root}/${relative}`;
    // DFS lists by directory: list the deepest whole directory of the prefix, then filter.
    const directory = full.slice(0, full.lastIndexOf("/") + 1).replace(/\/$/, "");
    const strip = root === "" ? 0 : root.length + 1;
    let continuation: string | undefined;
    do {
      const page = await runAzure(context, "list", relative, async (abortSignal) => {
        try {
          const pages = fileSystem
            .listPaths({ path: directory || undefined, recursive: true, abortSignal })
            .byPage({ continuationToken: continuation, maxPageSize: 5000 });
          const next = await pages.next();
          return next.done ? undefined : next.value;
        } catch (e) {
          if (statusOf(e) === 404 && directory !== "") return undefined;
          throw e;
        }
      });
      if (!page) return;
      for (const item of page.pathItems ?? []) {
        const name = item.name ?? "";
        if (item.isDirectory || !name.startsWith(full) || isTemp(name)) continue;
        yield {
          path: name.slice(strip),
          size: item.contentLength ?? 0,
          eTag: item.etag ?? "",
          lastModified: item.lastModified ?? new Date(0),
        };
      }
      continuation = page.continuation || undefined;
    } while (continuation);
  }

  async function exists(path: string): Promise<boolean> {
    checkStorePath(path);
    const file = fileSystem.getFileClient(underRoot(root, path));
    return runAzure(context, "exists", path, (abortSignal) => file.exists({ abortSignal }));
  }

  async function remove(path: string): Promise<void> {
    checkStorePath(path);
    const file = fileSystem.getFileClient(underRoot(root, path));
    await runAzure(context, "delete", path, (abortSignal) =>
      file.deleteIfExists(false, { abortSignal }),
    );
  }

  return { kind: "adls", url, put, get, list, exists, delete: remove };
}

/** The dfs twin of a blob endpoint URL (`acct.blob.core...` -> `acct.dfs.core...`); IP-style URLs unchanged. */
function dfsUrl(url: string): string {
  return url.replace(/^(https?:\/\/[^/]*?)\.blob\./, "$1.dfs.");
}

function isServiceClient(value: unknown): value is DataLakeServiceClient {
  return typeof (value as DataLakeServiceClient).getFileSystemClient === "function";
}
