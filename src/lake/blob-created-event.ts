import type { PublishApi } from "./lake-store.js";

/**
 * `Microsoft.Storage.BlobCreated` in the Event Grid schema, field for field as Azure sends it
 * (Snowpipe's Azure auto-ingest reads exactly this from the storage queue).
 */
export interface BlobCreatedEvent {
  /** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Storage/storageAccounts/<acct>` */
  readonly topic: string;
  /** `/blobServices/default/containers/<container>/blobs/<path>` */
  readonly subject: string;
  readonly eventType: "Microsoft.Storage.BlobCreated";
  readonly eventTime: string;
  readonly id: string;
  readonly dataVersion: string;
  readonly metadataVersion: "1";
  readonly data: {
    readonly api: PublishApi;
    readonly clientRequestId: string;
    readonly requestId: string;
    readonly eTag: string;
    readonly contentType: string;
    readonly contentLength: number;
    /** Present on `FlushWithClose` (ADLS Gen2) events. */
    readonly contentOffset?: number;
    readonly blobType: "BlockBlob";
    readonly url: string;
    readonly sequencer: string;
    readonly storageDiagnostics: { readonly batchId: string };
  };
}
