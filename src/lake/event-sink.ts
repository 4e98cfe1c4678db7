import type { BlobCreatedEvent } from "./blob-created-event.js";

/** Where the writer sends one BlobCreated event per published file (in-process, Azure queue...). */
export interface EventSink {
  publish(event: BlobCreatedEvent): Promise<void>;
}
