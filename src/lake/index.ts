/**
 * lake: encoders, stores, the partitioned layout, the lake writer, BlobCreated events and readers.
 * See docs/lake.md.
 * @module
 */
export * from "./blob-created-event.js";
export * from "./event-sink.js";
export * from "./lake-path.js";
export * from "./lake-store.js";
export * from "./lake-write-error.js";
export * from "./rejected-record.js";
export * from "./store-path.js";
