import { z } from "zod";
import { type BlobCreatedEvent, dataVersionOf } from "./blob-created-event.js";

/**
 * A message is not a BlobCreated event this library can act on. `field` is the JSON path of the
 * first problem (`data.api`, `eventType`...), or empty when the whole message is wrong.
 */
export class StorageEventError extends Error {
  override readonly name = "StorageEventError";
  readonly field: string;
  /** What is wrong, without the field. */
  readonly problem: string;
  constructor(field: string, problem: string) {
    super(field ? `storage event: ${field} ${problem}` : `storage event: ${problem}`);
    this.field = field;
    this.problem = problem;
  }
}

const COMPLETE_APIS = ["PutBlob", "PutBlockList", "FlushWithClose"] as const;

const data = z
  .object({
    api: z.string(),
    clientRequestId: z.string().optional(),
    requestId: z.string(),
    eTag: z.string(),
    contentType: z.string(),
    contentLength: z.number().int().nonnegative(),
    contentOffset: z.number().int().nonnegative().optional(),
    blobType: z.literal("BlockBlob"),
    url: z.url(),
    sequencer: z.string().min(1),
    storageDiagnostics: z.object({ batchId: z.string() }).loose().optional(),
  })
  .loose();

const eventGrid = z
  .object({
    topic: z.string().min(1),
    subject: z.string().startsWith("/blobServices/default/containers/"),
    eventType: z.string(),
    eventTime: z.iso.datetime({ offset: true }),
    id: z.string().min(1),
    data,
    dataVersion: z.string(),
    metadataVersion: z.string().optional(),
  })
  .loose();

const cloudEvent = z
  .object({
    specversion: z.literal("1.0"),
    source: z.string().min(1),
    subject: z.string().startsWith("/blobServices/default/containers/"),
    type: z.string(),
    time: z.iso.datetime({ offset: true }),
    id: z.string().min(1),
    data,
  })
  .loose();

/**
 * Reads one `Microsoft.Storage.BlobCreated` event in either schema Azure delivers, the Event Grid
 * schema or CloudEvents 1.0, from an object, JSON text, or the base64 JSON of a storage-queue
 * message; returns it in the Event Grid shape. Anything else (another event type, an incomplete
 * publish such as `CreateFile`, a missing field) throws a `StorageEventError` naming the field.
 * @example
 * const event = parseStorageEvent(queueMessage.messageText);
 * const path = new URL(event.data.url).pathname;
 */
export function parseStorageEvent(input: unknown): BlobCreatedEvent {
  const value = decode(input);
  if (Array.isArray(value)) {
    if (value.length !== 1)
      throw new StorageEventError(
        "",
        `is an array of ${value.length} events; use parseStorageEvents`,
      );
    return parseStorageEvent(value[0]);
  }
  if (value === null || typeof value !== "object")
    throw new StorageEventError("", `must be a JSON object, got ${kind(value)}`);
  const record = value as Record<string, unknown>;
  if ("specversion" in record) {
    // CloudEvents 1.0 renames topic, eventType and eventTime to source, type and time.
    const {
      source,
      type: _type,
      time,
      specversion: _v,
      ...rest
    } = check(cloudEvent, record, "type");
    // CloudEvents has no dataVersion: derived from the API, as Event Grid sets it.
    return eventGridShape({ ...rest, topic: source, eventTime: time });
  }
  if ("eventType" in record) return eventGridShape(check(eventGrid, record, "eventType"));
  throw new StorageEventError(
    "",
    'is neither an Event Grid event (no "eventType") nor a CloudEvents 1.0 event (no "specversion")',
  );
}

/** Reads a batch of events (an Event Grid webhook delivers an array); each must be valid. */
export function parseStorageEvents(input: unknown): BlobCreatedEvent[] {
  const value = decode(input);
  const list = Array.isArray(value) ? value : [value];
  return list.map((event, i) => {
    try {
      return parseStorageEvent(event);
    } catch (error) {
      if (!(error instanceof StorageEventError)) throw error;
      throw new StorageEventError(`[${i}]${error.field ? `.${error.field}` : ""}`, error.problem);
    }
  });
}

function decode(input: unknown): unknown {
  if (typeof input !== "string") return input;
  const text = input.trim();
  const json = text.startsWith("{") || text.startsWith("[") ? text : fromBase64(text);
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new StorageEventError("", `is not JSON (nor base64 JSON): ${(error as Error).message}`);
  }
}

function fromBase64(text: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text))
    throw new StorageEventError("", "is text that is neither JSON nor base64 JSON");
  return Buffer.from(text, "base64").toString("utf8");
}

function check<T extends z.ZodType>(
  schema: T,
  value: Record<string, unknown>,
  typeField: string,
): z.infer<T> {
  const type = value[typeField];
  if (type !== "Microsoft.Storage.BlobCreated") {
    throw new StorageEventError(
      typeField,
      `must be "Microsoft.Storage.BlobCreated", got ${JSON.stringify(type) ?? "nothing"}`,
    );
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const got = issue.path.reduce<unknown>(
    (v, key) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined),
    value,
  );
  throw new StorageEventError(
    issue.path.join("."),
    `${issue.message} (got ${JSON.stringify(got) ?? "nothing"})`,
  );
}

function eventGridShape(event: {
  topic: string;
  subject: string;
  eventTime: string;
  id: string;
  data: z.infer<typeof data>;
  dataVersion?: string;
}): BlobCreatedEvent {
  const checked = checkData(event.data);
  return {
    topic: event.topic,
    subject: event.subject,
    eventType: "Microsoft.Storage.BlobCreated",
    eventTime: event.eventTime,
    id: event.id,
    data: checked,
    dataVersion: event.dataVersion ?? dataVersionOf(checked.api),
    metadataVersion: "1",
  };
}

function checkData(value: z.infer<typeof data>): BlobCreatedEvent["data"] {
  if (!(COMPLETE_APIS as readonly string[]).includes(value.api)) {
    throw new StorageEventError(
      "data.api",
      `${JSON.stringify(value.api)} does not publish a complete file (expected ${COMPLETE_APIS.join(", ")}); filter it out in the subscription`,
    );
  }
  return {
    api: value.api as (typeof COMPLETE_APIS)[number],
    clientRequestId: value.clientRequestId ?? "",
    requestId: value.requestId,
    eTag: value.eTag,
    contentType: value.contentType,
    contentLength: value.contentLength,
    ...(value.contentOffset === undefined ? {} : { contentOffset: value.contentOffset }),
    blobType: "BlockBlob",
    url: value.url,
    sequencer: value.sequencer,
    storageDiagnostics: { batchId: value.storageDiagnostics?.batchId ?? "" },
  };
}

function kind(value: unknown): string {
  return value === null ? "null" : typeof value;
}
