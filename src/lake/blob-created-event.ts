import { randomUUID } from "node:crypto";
import type { PublishApi, PutResult } from "./lake-store.js";

/**
 * `Microsoft.Storage.BlobCreated` in the Event Grid schema, field for field as Azure sends it
 * (Snowpipe's Azure auto-ingest reads exactly this from the storage queue). Field list checked
 * against https://learn.microsoft.com/en-us/azure/event-grid/event-schema-blob-storage.
 */
export interface BlobCreatedEvent {
  /** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<acct>` */
  readonly topic: string;
  /** `/blobServices/default/containers/<container>/blobs/<path>` */
  readonly subject: string;
  readonly eventType: "Microsoft.Storage.BlobCreated";
  readonly eventTime: string;
  readonly id: string;
  /** `2` for the Data Lake Storage Gen2 API (`FlushWithClose`), empty for the Blob API. */
  readonly dataVersion: string;
  readonly metadataVersion: "1";
  readonly data: {
    readonly api: PublishApi;
    readonly clientRequestId: string;
    readonly requestId: string;
    readonly eTag: string;
    readonly contentType: string;
    readonly contentLength: number;
    /**
     * On `FlushWithClose` (ADLS Gen2) only: "the offset in bytes of a write operation taken at
     * the point where the event-triggering application completed writing to the file", i.e.
     * the position flushed, which for a file written whole is its length.
     */
    readonly contentOffset?: number;
    readonly blobType: "BlockBlob";
    readonly url: string;
    readonly sequencer: string;
    readonly storageDiagnostics: { readonly batchId: string };
  };
}

/** What `blobCreatedEvent` cannot read off a `PutResult`; every field has a default. */
export interface BlobCreatedEventOptions {
  /** Full Event Grid topic; default built from the subscription, resource group and account. */
  readonly topic?: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  /** Storage account; default read from the URL (`local` for a folder). */
  readonly account?: string;
  /** Container or file system; default read from the URL (the root folder's name for a folder). */
  readonly container?: string;
  readonly eventTime?: Date | string;
  readonly id?: string;
  readonly clientRequestId?: string;
  readonly requestId?: string;
  readonly sequencer?: string;
  readonly batchId?: string;
}

const PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
let sequence = 0n;

/**
 * The `Microsoft.Storage.BlobCreated` event Event Grid sends for a published object: `PutBlob` /
 * `PutBlockList` with the blob URL for Blob storage, `FlushWithClose` with the dfs URL and
 * `contentOffset` for ADLS Gen2, `PutBlob` and the `file://` URL for the local folder.
 * @example
 * const put = await store.put(path, bytes, { contentType: "text/csv" });
 * await sink.publish(blobCreatedEvent(put, { subscriptionId, resourceGroup: "retail" }));
 */
export function blobCreatedEvent(
  put: PutResult,
  options: BlobCreatedEventOptions = {},
): BlobCreatedEvent {
  const where = blobLocation(put);
  const account = options.account ?? where.account;
  const container = options.container ?? where.container;
  const topic =
    options.topic ??
    `/subscriptions/${options.subscriptionId ?? PLACEHOLDER_SUBSCRIPTION}/resourceGroups/${options.resourceGroup ?? "retail-mds"}` +
      `/providers/Microsoft.Storage/storageAccounts/${account}`;
  const eventTime = options.eventTime ?? new Date();
  sequence += 1n;
  return {
    topic,
    subject: `/blobServices/default/containers/${container}/blobs/${where.blob}`,
    eventType: "Microsoft.Storage.BlobCreated",
    eventTime: typeof eventTime === "string" ? eventTime : eventTime.toISOString(),
    id: options.id ?? randomUUID(),
    data: {
      api: put.api,
      clientRequestId: options.clientRequestId ?? randomUUID(),
      requestId: options.requestId ?? randomUUID(),
      eTag: put.eTag,
      contentType: put.contentType,
      contentLength: put.size,
      ...(put.api === "FlushWithClose" ? { contentOffset: put.size } : {}),
      blobType: "BlockBlob",
      url: put.url,
      sequencer:
        options.sequencer ??
        `${BigInt(Date.now()).toString(16).padStart(16, "0")}${sequence.toString(16).padStart(16, "0")}`,
      storageDiagnostics: { batchId: options.batchId ?? randomUUID() },
    },
    dataVersion: dataVersionOf(put.api),
    metadataVersion: "1",
  };
}

/**
 * The Event Grid `dataVersion` of a BlobCreated event: the Data Lake Storage Gen2 events
 * (`CreateFile`, `FlushWithClose`) say `2`; Blob API uploads (`PutBlob`, `PutBlockList`, even on
 * a hierarchical-namespace account) say `""`. CloudEvents has no such field, so reading one back
 * into the Event Grid shape derives it the same way.
 * @see https://learn.microsoft.com/en-us/azure/event-grid/event-schema-blob-storage
 * @example
 * dataVersionOf("FlushWithClose"); // "2"
 * dataVersionOf("PutBlockList"); // ""
 */
export function dataVersionOf(api: PublishApi): "" | "2" {
  return api === "FlushWithClose" ? "2" : "";
}

/** Account, container and blob name of a stored object, read off its URL and store path. */
function blobLocation(put: PutResult): { account: string; container: string; blob: string } {
  const url = new URL(put.url);
  const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (url.protocol === "file:") {
    // The store root is the URL less the object's path; its folder name plays the container.
    const depth = put.path.split("/").length;
    return {
      account: "local",
      container: segments[segments.length - depth - 1] ?? "lake",
      blob: put.path,
    };
  }
  // Azurite and other emulators use path-style URLs: http://127.0.0.1:10000/<account>/<container>/...
  const pathStyle = /^(\d+\.\d+\.\d+\.\d+|localhost|\[[0-9a-f:]+\])$/i.test(url.hostname);
  const account = pathStyle ? (segments.shift() ?? "") : (url.hostname.split(".")[0] ?? "");
  const container = segments.shift() ?? "";
  return { account, container, blob: segments.join("/") };
}
