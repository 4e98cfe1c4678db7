/**
 * lake: encoders, stores, the partitioned layout, the lake writer, BlobCreated events and readers.
 * See docs/lake.md.
 * @module
 */
export * from "./adls-store.js";
export * from "./azure-credential.js";
export { type AzureRetryOptions, describeAzureError } from "./azure-operation.js";
export { BatchWindowError } from "./batch-window.js";
export * from "./blob-created-event.js";
export * from "./blob-store.js";
export * from "./csv-decoder.js";
export * from "./csv-encoder.js";
export * from "./event-sink.js";
export * from "./file-encoder.js";
export * from "./folder-listing.js";
export * from "./in-process-event-sink.js";
export * from "./lake-path.js";
export * from "./lake-reader.js";
export * from "./lake-store.js";
export * from "./lake-write-error.js";
export * from "./lake-writer.js";
export * from "./local-store.js";
export * from "./ndjson-encoder.js";
export * from "./parquet-encoder.js";
export * from "./parse-storage-event.js";
export * from "./publish-once.js";
export * from "./queue-event-sink.js";
export * from "./redact.js";
export * from "./rejected-record.js";
export * from "./retry.js";
export * from "./rewrite-notice.js";
export * from "./run-manifest.js";
export * from "./store-path.js";
export * from "./unregistered-entity.js";
