import type { DequeuedMessageItem, QueueClient } from "@azure/storage-queue";
import { type AzureCredential, queueServiceClient } from "./azure-credential.js";
import {
  type AzureOperationContext,
  type AzureRetryOptions,
  describeAzureError,
  ensureOnce,
  runAzure,
} from "./azure-operation.js";
import type { BlobCreatedEvent } from "./blob-created-event.js";
import type { EventSink } from "./event-sink.js";
import { parseStorageEvent } from "./parse-storage-event.js";
import { publicUrl, redact } from "./redact.js";

/** A storage queue named by credential and name, instead of a ready `QueueClient`. */
export interface StorageQueueTarget {
  readonly queueName: string;
  /** Connection string (with `QueueEndpoint` or `AccountName`), SAS, or account URL for Entra ID. */
  readonly credential: AzureCredential;
  /** Create the queue on first use when it does not exist. Default false. */
  readonly createQueue?: boolean;
}

export interface QueueOptions {
  readonly retry?: AzureRetryOptions;
  /** Receives one redacted line per retried request or undeletable message. */
  readonly log?: (line: string) => void;
}

/** Azure Storage Queue's limit on a message. */
const MAX_MESSAGE_BYTES = 64 * 1024;

interface ResolvedQueue {
  readonly client: QueueClient;
  readonly context: AzureOperationContext;
  ready(): Promise<unknown>;
}

function resolveQueue(
  target: QueueClient | StorageQueueTarget,
  options: QueueOptions,
): ResolvedQueue {
  const client = isQueueClient(target)
    ? target
    : queueServiceClient(target.credential).getQueueClient(target.queueName);
  const context: AzureOperationContext = {
    storeUrl: publicUrl(client.url),
    kind: "queue",
    retry: options.retry,
    log: options.log,
  };
  const create = ensureOnce(context, "create queue", (abortSignal) =>
    client.createIfNotExists({ abortSignal }),
  );
  const wanted = !isQueueClient(target) && target.createQueue === true;
  return { client, context, ready: () => (wanted ? create("") : Promise.resolve()) };
}

/**
 * An event sink onto an Azure Storage Queue: each BlobCreated event is sent as one message whose
 * text is the base64 of the event's JSON, exactly as an Event Grid subscription with a
 * storage-queue endpoint delivers it (and as Snowpipe's Azure auto-ingest reads it).
 * @example
 * const sink = queueEventSink({ queueName: "lake-events", credential: { connectionString } });
 * await sink.publish(blobCreatedEvent(put));
 */
export function queueEventSink(
  target: QueueClient | StorageQueueTarget,
  options: QueueOptions = {},
): EventSink {
  const queue = resolveQueue(target, options);
  return {
    async publish(event: BlobCreatedEvent): Promise<void> {
      const text = Buffer.from(JSON.stringify(event), "utf8").toString("base64");
      const path = event.subject.replace(/^\/blobServices\/default\/containers\//, "");
      if (text.length > MAX_MESSAGE_BYTES) {
        throw new RangeError(
          `BlobCreated event for "${path}" is ${text.length} bytes as base64; a queue message holds ${MAX_MESSAGE_BYTES}`,
        );
      }
      await queue.ready();
      await runAzure(queue.context, "send event", path, (abortSignal) =>
        queue.client.sendMessage(text, { abortSignal }),
      );
    },
  };
}

/** A queue message that is not a BlobCreated event; it stays in the queue. */
export class QueueMessageError extends Error {
  override readonly name = "QueueMessageError";
  constructor(
    /** Credential-free queue URL. */
    readonly queue: string,
    readonly messageId: string,
    readonly dequeueCount: number,
    reason: string,
  ) {
    super(
      redact(
        `message ${messageId} in ${queue} (dequeued ${dequeueCount} times) is not a BlobCreated event: ${reason}`,
      ),
    );
  }
}

export interface ReceiveOptions extends QueueOptions {
  /** Messages fetched per request, 1..32. Default 16. */
  readonly batchSize?: number;
  /**
   * Seconds a fetched message stays hidden from other consumers; one not deleted by then comes
   * back (at-least-once). Default 60.
   */
  readonly visibilityTimeoutSeconds?: number;
  /** `stop` (default): end when the queue is empty. `wait`: poll until `signal` aborts. */
  readonly idle?: "stop" | "wait";
  /** Wait between polls of an empty queue under `idle: "wait"`. Default 1000 ms. */
  readonly pollIntervalMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Reads BlobCreated events from a storage queue, as Event Grid or `queueEventSink` put them there
 * (base64 JSON, Event Grid or CloudEvents schema). Each message is deleted once the consumer asks
 * for the next event, that is after it handled this one; if the consumer stops or throws, the
 * message is left and comes back after the visibility timeout (at-least-once: consumers must be
 * idempotent, as the local pipe is by path and content hash). A message that is not a BlobCreated
 * event throws `QueueMessageError` and stays in the queue.
 * @example
 * for await (const event of receiveStorageEvents({ queueName: "lake-events", credential })) {
 *   await pipe.load(event);
 * }
 */
export async function* receiveStorageEvents(
  queue: QueueClient | StorageQueueTarget,
  options: ReceiveOptions = {},
): AsyncGenerator<BlobCreatedEvent, void, undefined> {
  const { client, context, ready } = resolveQueue(queue, options);
  const batchSize = Math.min(32, Math.max(1, options.batchSize ?? 16));
  const visibilityTimeout = options.visibilityTimeoutSeconds ?? 60;
  await ready();
  for (;;) {
    options.signal?.throwIfAborted();
    const received = await runAzure(context, "receive", "", (abortSignal) =>
      client.receiveMessages({ numberOfMessages: batchSize, visibilityTimeout, abortSignal }),
    );
    const messages = received.receivedMessageItems;
    if (messages.length === 0) {
      if ((options.idle ?? "stop") === "stop") return;
      await pause(options.pollIntervalMs ?? 1000, options.signal);
      continue;
    }
    for (const message of messages) {
      yield decodeMessage(context.storeUrl, message);
      try {
        await runAzure(context, "delete message", message.messageId, (abortSignal) =>
          client.deleteMessage(message.messageId, message.popReceipt, { abortSignal }),
        );
      } catch (error) {
        // The visibility timeout ran out while the consumer worked: the message is visible again
        // and will be handled twice, which idempotent consumers absorb. Say so, do not fail.
        options.log?.(
          redact(
            `queue ${context.storeUrl}: message ${message.messageId} handled but not deleted (${describeAzureError(error)}); it will be delivered again`,
          ),
        );
      }
    }
  }
}

function decodeMessage(queueUrl: string, message: DequeuedMessageItem): BlobCreatedEvent {
  const fail = (reason: string) =>
    new QueueMessageError(queueUrl, message.messageId, message.dequeueCount, reason);
  const text = message.messageText.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text))
    throw fail("its text is not base64 (Event Grid base64-encodes the JSON)");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(text, "base64").toString("utf8"));
  } catch (error) {
    throw fail(`its base64 text does not decode to JSON (${(error as Error).message})`);
  }
  try {
    return parseStorageEvent(json);
  } catch (error) {
    throw fail((error as Error).message);
  }
}

function isQueueClient(value: unknown): value is QueueClient {
  return typeof (value as QueueClient).receiveMessages === "function";
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
