import { createHash, randomUUID } from "node:crypto";
import type { BlobServiceClient, ContainerClient } from "@azure/storage-blob";
import { type AzureCredential, blobServiceClient } from "./azure-credential.js";
import {
  type AzureOperationContext,
  type AzureRetryOptions,
  ensureOnce,
  refusedAsExisting,
  runAzure,
} from "./azure-operation.js";
import type { LakeObject, LakeStore, PutOptions, PutResult } from "./lake-store.js";
import { ObjectExistsError } from "./lake-write-error.js";
import { publicUrl } from "./redact.js";
import { checkStorePath } from "./store-path.js";
import { listPrefix, rootPrefix, underRoot } from "./store-prefix.js";

export interface BlobStoreOptions {
  /** Container name. */
  readonly container: string;
  /** Folder inside the container under which every path lives (`landing/retail`). */
  readonly prefix?: string;
  /** Connection string, SAS, or an account URL for Entra ID; or a ready `BlobServiceClient`. */
  readonly credential: AzureCredential | BlobServiceClient;
  /**
   * Bodies up to this size go in one Put Blob request; larger ones as staged blocks and one Put
   * Block List. Both are all-or-nothing; one request is half the round trips. Default 4 MiB.
   */
  readonly singleUploadMaxBytes?: number;
  /** Size of each staged block. Default 8 MiB. */
  readonly blockBytes?: number;
  /** Blocks staged at once. Default 4. */
  readonly blockConcurrency?: number;
  /** Create the container on first use when it does not exist. Default false. */
  readonly createContainer?: boolean;
  readonly retry?: AzureRetryOptions;
  /** Receives one redacted line per retried request. */
  readonly log?: (line: string) => void;
}

const DEFAULT_SINGLE_UPLOAD = 4 * 1024 * 1024;
const DEFAULT_BLOCK = 8 * 1024 * 1024;
/** Azure's limits: 50,000 blocks a blob, 4000 MiB a block. */
const MAX_BLOCKS = 50_000;
const MAX_BLOCK_BYTES = 4000 * 1024 * 1024;

/**
 * A lake store on an Azure Blob container. `put` publishes atomically: a small body in one Put
 * Blob, a larger one as uncommitted blocks made visible by one Put Block List, so readers and
 * Event Grid see the whole file or nothing.
 * @example
 * const store = blobStore({ container: "landing", prefix: "retail", credential: { connectionString } });
 * const put = await store.put("sale_line/dt=2026-11-01/sale_line-...-00001.parquet", bytes);
 * put.api; // "PutBlob" or "PutBlockList"
 */
export function blobStore(options: BlobStoreOptions): LakeStore {
  const root = rootPrefix(options.prefix);
  const service = isServiceClient(options.credential)
    ? options.credential
    : blobServiceClient(options.credential);
  const container: ContainerClient = service.getContainerClient(options.container);
  const url = publicUrl(root === "" ? container.url : `${container.url}/${root}`).replace(
    /\/+$/,
    "",
  );
  const singleMax = options.singleUploadMaxBytes ?? DEFAULT_SINGLE_UPLOAD;
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK;
  if (!(blockBytes > 0 && blockBytes <= MAX_BLOCK_BYTES))
    throw new RangeError(`blockBytes ${blockBytes} must be 1..${MAX_BLOCK_BYTES}`);
  const concurrency = Math.max(1, options.blockConcurrency ?? 4);
  const context: AzureOperationContext = {
    storeUrl: url,
    kind: "blob",
    retry: options.retry,
    log: options.log,
  };
  const ensureContainer = options.createContainer
    ? ensureOnce(context, "create container", (abortSignal) =>
        container.createIfNotExists({ abortSignal }),
      )
    : () => Promise.resolve();

  async function put(
    path: string,
    body: Uint8Array,
    putOptions: PutOptions = {},
  ): Promise<PutResult> {
    checkStorePath(path);
    await ensureContainer(path);
    const contentType = putOptions.contentType ?? "application/octet-stream";
    const blob = container.getBlockBlobClient(underRoot(root, path));
    // The MD5 is stored with the blob: a retried create-only commit that finds a blob there
    // tells by it whether that blob is its own earlier attempt (a lost response) or another's.
    const md5 = createHash("md5").update(body).digest();
    const blobHTTPHeaders = { blobContentType: contentType, blobContentMD5: md5 };
    const conditions = putOptions.ifAbsent ? { ifNoneMatch: "*" } : undefined;
    const commit = async <T extends { etag?: string; lastModified?: Date }>(
      operation: string,
      send: (abortSignal: AbortSignal) => Promise<T>,
    ): Promise<{ etag?: string; lastModified?: Date }> => {
      try {
        return await runAzure(context, operation, path, async (abortSignal, attempt) => {
          try {
            return await send(abortSignal);
          } catch (e) {
            if (!conditions || !refusedAsExisting(e) || attempt === 1) throw e;
            const props = await blob.getProperties({ abortSignal });
            if (props.contentMD5 && Buffer.from(props.contentMD5).equals(md5)) return props;
            throw e;
          }
        });
      } catch (e) {
        if (conditions && refusedAsExisting(e)) throw new ObjectExistsError(url, path);
        throw e;
      }
    };
    let response: { etag?: string; lastModified?: Date };
    let api: PutResult["api"];
    if (body.byteLength <= singleMax) {
      api = "PutBlob";
      response = await commit("put blob", (abortSignal) =>
        blob.upload(body, body.byteLength, { abortSignal, blobHTTPHeaders, conditions }),
      );
    } else {
      api = "PutBlockList";
      const count = Math.ceil(body.byteLength / blockBytes);
      if (count > MAX_BLOCKS)
        throw new RangeError(
          `"${path}" needs ${count} blocks of ${blockBytes} bytes; Azure allows ${MAX_BLOCKS}`,
        );
      // Same-length IDs are required within a blob; the random part keeps a concurrent or
      // crashed upload's uncommitted blocks out of this commit.
      const upload = randomUUID().replace(/-/g, "").slice(0, 16);
      const ids = Array.from({ length: count }, (_, i) =>
        Buffer.from(`${upload}-${String(i).padStart(6, "0")}`).toString("base64"),
      );
      await forEachLimited(ids, concurrency, (id, i) => {
        const chunk = body.subarray(
          i * blockBytes,
          Math.min(body.byteLength, (i + 1) * blockBytes),
        );
        return runAzure(context, `stage block ${i + 1}/${count}`, path, (abortSignal) =>
          blob.stageBlock(id, chunk, chunk.byteLength, { abortSignal }),
        );
      });
      response = await commit("put block list", (abortSignal) =>
        blob.commitBlockList(ids, { abortSignal, blobHTTPHeaders, conditions }),
      );
    }
    return {
      path,
      size: body.byteLength,
      eTag: response.etag ?? "",
      lastModified: response.lastModified ?? new Date(),
      // The SDK percent-encodes `=`; Event Grid's data.url and our layout keep `dt=` readable.
      url: `${url}/${encodeURI(path)}`,
      api,
      contentType,
    };
  }

  async function get(path: string): Promise<Uint8Array> {
    checkStorePath(path);
    const blob = container.getBlobClient(underRoot(root, path));
    const buffer = await runAzure(context, "get", path, (abortSignal) =>
      blob.downloadToBuffer(0, undefined, { abortSignal }),
    );
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  async function* list(prefix?: string): AsyncIterable<LakeObject> {
    const relative = listPrefix(prefix);
    const full = root === "" ? relative : `${root}/${relative}`;
    const strip = root === "" ? 0 : root.length + 1;
    let marker: string | undefined;
    do {
      const page = await runAzure(context, "list", relative, async (abortSignal) => {
        const pages = container
          .listBlobsFlat({ prefix: full, abortSignal })
          .byPage({ continuationToken: marker, maxPageSize: 1000 });
        const next = await pages.next();
        return next.done ? undefined : next.value;
      });
      if (!page) return;
      for (const item of page.segment.blobItems) {
        yield {
          path: item.name.slice(strip),
          size: item.properties.contentLength ?? 0,
          eTag: item.properties.etag,
          lastModified: item.properties.lastModified,
        };
      }
      marker = page.continuationToken || undefined;
    } while (marker);
  }

  async function exists(path: string): Promise<boolean> {
    checkStorePath(path);
    const blob = container.getBlobClient(underRoot(root, path));
    return runAzure(context, "exists", path, (abortSignal) => blob.exists({ abortSignal }));
  }

  async function remove(path: string): Promise<void> {
    checkStorePath(path);
    const blob = container.getBlobClient(underRoot(root, path));
    await runAzure(context, "delete", path, (abortSignal) => blob.deleteIfExists({ abortSignal }));
  }

  return { kind: "blob", url, put, get, list, exists, delete: remove };
}

function isServiceClient(value: unknown): value is BlobServiceClient {
  return typeof (value as BlobServiceClient).getContainerClient === "function";
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
