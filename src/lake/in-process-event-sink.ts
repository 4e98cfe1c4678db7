import type { BlobCreatedEvent } from "./blob-created-event.js";
import type { EventSink } from "./event-sink.js";

/** An event sink to consume in the same process: `for await (const event of sink)`. */
export interface InProcessEventSink extends EventSink, AsyncIterable<BlobCreatedEvent> {
  /** Ends iteration once the buffered events are consumed; later `publish` calls throw. */
  close(): void;
  readonly closed: boolean;
  /** Events published and not yet consumed. */
  readonly buffered: number;
}

export interface InProcessEventSinkOptions {
  /** Events buffered before `publish` waits for the consumer (default: unbounded). */
  readonly capacity?: number;
}

/**
 * An in-memory queue of BlobCreated events: the writer publishes, a consumer (the local pipe, a
 * test) iterates. With a `capacity`, a slow consumer holds the writer back instead of memory growing.
 * @example
 * const events = inProcessEventSink();
 * const writer = createLakeWriter({ store, format: "parquet", events });
 * // elsewhere: for await (const event of events) load(event.data.url);
 */
export function inProcessEventSink(options: InProcessEventSinkOptions = {}): InProcessEventSink {
  const capacity = options.capacity ?? Number.POSITIVE_INFINITY;
  if (!(capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${capacity}`);
  const buffer: BlobCreatedEvent[] = [];
  const consumers: ((result: IteratorResult<BlobCreatedEvent>) => void)[] = [];
  const producers: (() => void)[] = [];
  let closed = false;

  const take = (): IteratorResult<BlobCreatedEvent> | undefined => {
    const event = buffer.shift();
    if (event) {
      producers.shift()?.();
      return { value: event, done: false };
    }
    return closed ? { value: undefined, done: true } : undefined;
  };

  return {
    get closed() {
      return closed;
    },
    get buffered() {
      return buffer.length;
    },
    async publish(event: BlobCreatedEvent): Promise<void> {
      if (closed)
        throw new Error(
          `in-process event sink is closed; event for ${event.subject} not published`,
        );
      const consumer = consumers.shift();
      if (consumer) return consumer({ value: event, done: false });
      while (buffer.length >= capacity)
        await new Promise<void>((resolve) => producers.push(resolve));
      buffer.push(event);
    },
    close(): void {
      closed = true;
      if (buffer.length === 0)
        for (const consumer of consumers.splice(0)) consumer({ value: undefined, done: true });
    },
    [Symbol.asyncIterator](): AsyncIterator<BlobCreatedEvent> {
      return {
        next: () => {
          const ready = take();
          return ready ? Promise.resolve(ready) : new Promise((resolve) => consumers.push(resolve));
        },
        return: () => Promise.resolve({ value: undefined, done: true }),
      };
    },
  };
}
