import { expect, test } from "vitest";
import {
  type BlobCreatedEvent,
  blobCreatedEvent,
  inProcessEventSink,
  type PutResult,
  parseStorageEvent,
  parseStorageEvents,
  StorageEventError,
} from "../../src/lake/index.js";

const fixed = {
  eventTime: "2026-11-01T08:05:01.000Z",
  id: "831e1650-001e-001b-66ab-eeb76e069631",
  clientRequestId: "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
  requestId: "831e1650-001e-001b-66ab-eeb76e000000",
  sequencer: "00000000000004420000000000028963",
  batchId: "b68529f3-68cd-4744-baa4-3c0498ec19f0",
  subscriptionId: "11111111-2222-3333-4444-555555555555",
  resourceGroup: "retail",
};
const path =
  "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.parquet";
const put = (url: string, api: PutResult["api"]): PutResult => ({
  path,
  size: 524288,
  eTag: '"0x8D4BCC2E4835CD0"',
  lastModified: new Date(0),
  url,
  api,
  contentType: "application/vnd.apache.parquet",
});

test("Blob storage: the exact Event Grid BlobCreated shape", () => {
  const event = blobCreatedEvent(
    put(`https://acct.blob.core.windows.net/landing/${path}`, "PutBlockList"),
    fixed,
  );
  expect(event).toMatchInlineSnapshot(`
    {
      "data": {
        "api": "PutBlockList",
        "blobType": "BlockBlob",
        "clientRequestId": "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
        "contentLength": 524288,
        "contentType": "application/vnd.apache.parquet",
        "eTag": ""0x8D4BCC2E4835CD0"",
        "requestId": "831e1650-001e-001b-66ab-eeb76e000000",
        "sequencer": "00000000000004420000000000028963",
        "storageDiagnostics": {
          "batchId": "b68529f3-68cd-4744-baa4-3c0498ec19f0",
        },
        "url": "https://acct.blob.core.windows.net/landing/sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.parquet",
      },
      "dataVersion": "",
      "eventTime": "2026-11-01T08:05:01.000Z",
      "eventType": "Microsoft.Storage.BlobCreated",
      "id": "831e1650-001e-001b-66ab-eeb76e069631",
      "metadataVersion": "1",
      "subject": "/blobServices/default/containers/landing/blobs/sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.parquet",
      "topic": "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/retail/providers/Microsoft.Storage/storageAccounts/acct",
    }
  `);
  expect(Object.keys(event)).toEqual([
    "topic",
    "subject",
    "eventType",
    "eventTime",
    "id",
    "data",
    "dataVersion",
    "metadataVersion",
  ]);
});

test("ADLS Gen2: FlushWithClose, the dfs URL and contentOffset; Azurite path-style and local URLs", () => {
  const adls = blobCreatedEvent(
    put(`https://acct.dfs.core.windows.net/lake/raw/${path}`, "FlushWithClose"),
    fixed,
  );
  expect(adls.subject).toBe(`/blobServices/default/containers/lake/blobs/raw/${path}`);
  expect(adls.data).toMatchObject({
    api: "FlushWithClose",
    contentOffset: 524288,
    url: `https://acct.dfs.core.windows.net/lake/raw/${path}`,
  });
  expect(adls.dataVersion).toBe("2");
  const azurite = blobCreatedEvent(
    put(`http://127.0.0.1:10000/devstoreaccount1/landing/${path}`, "PutBlob"),
  );
  expect(azurite.topic).toBe(
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/retail-mds/providers/Microsoft.Storage/storageAccounts/devstoreaccount1",
  );
  expect(azurite.subject).toBe(`/blobServices/default/containers/landing/blobs/${path}`);
  expect("contentOffset" in azurite.data).toBe(false);
  const local = blobCreatedEvent(put(`file:///srv/my-lake/${path}`, "PutBlob"));
  expect(local.subject).toBe(`/blobServices/default/containers/my-lake/blobs/${path}`);
  expect(local.topic.endsWith("/storageAccounts/local")).toBe(true);
  expect(local.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(local.data.sequencer).toMatch(/^[0-9a-f]{32}$/);
  // Sequencers of later events compare greater, as Azure's do for one blob name.
  const later = blobCreatedEvent(put(`file:///srv/my-lake/${path}`, "PutBlob"));
  expect(later.data.sequencer > local.data.sequencer).toBe(true);
});

test("the parser reads the Event Grid and CloudEvents 1.0 schemas, JSON text and base64 queue messages", () => {
  const event = blobCreatedEvent(
    put(`https://acct.blob.core.windows.net/landing/${path}`, "PutBlob"),
    fixed,
  );
  expect(parseStorageEvent(event)).toEqual(event);
  expect(parseStorageEvent(JSON.stringify(event))).toEqual(event);
  expect(parseStorageEvent(Buffer.from(JSON.stringify(event)).toString("base64"))).toEqual(event);
  expect(parseStorageEvents(JSON.stringify([event, event]))).toEqual([event, event]);
  const cloud = {
    source: event.topic,
    subject: event.subject,
    type: "Microsoft.Storage.BlobCreated",
    time: event.eventTime,
    id: event.id,
    data: event.data,
    specversion: "1.0",
  };
  expect(parseStorageEvent(cloud)).toEqual(event);
});

test("the parser rejects anything else, naming what is wrong", () => {
  const event: BlobCreatedEvent = blobCreatedEvent(
    put(`https://acct.blob.core.windows.net/landing/${path}`, "PutBlob"),
    fixed,
  );
  const fails = (input: unknown) => {
    try {
      parseStorageEvents(input);
    } catch (error) {
      expect(error).toBeInstanceOf(StorageEventError);
      return (error as Error).message;
    }
    throw new Error("accepted");
  };
  expect([
    fails({ ...event, eventType: "Microsoft.Storage.BlobDeleted" }),
    fails({ ...event, data: { ...event.data, api: "CreateFile" } }),
    fails({ ...event, data: { ...event.data, contentLength: -1 } }),
    fails({ ...event, subject: "/x" }),
    fails({ ...event, data: { ...event.data, url: undefined } }),
    fails({ specversion: "0.3", type: "Microsoft.Storage.BlobCreated" }),
    fails({ hello: "world" }),
    fails("not json at all!"),
    fails("[1]"),
  ]).toMatchInlineSnapshot(`
    [
      "storage event: [0].eventType must be "Microsoft.Storage.BlobCreated", got "Microsoft.Storage.BlobDeleted"",
      "storage event: [0].data.api "CreateFile" does not publish a complete file (expected PutBlob, PutBlockList, FlushWithClose); filter it out in the subscription",
      "storage event: [0].data.contentLength Too small: expected number to be >=0 (got -1)",
      "storage event: [0].subject Invalid string: must start with "/blobServices/default/containers/" (got "/x")",
      "storage event: [0].data.url Invalid input: expected string, received undefined (got nothing)",
      "storage event: [0].specversion Invalid input: expected "1.0" (got "0.3")",
      "storage event: [0] is neither an Event Grid event (no "eventType") nor a CloudEvents 1.0 event (no "specversion")",
      "storage event: is text that is neither JSON nor base64 JSON",
      "storage event: [0] must be a JSON object, got number",
    ]
  `);
  expect(() => parseStorageEvent([event, event])).toThrowErrorMatchingInlineSnapshot(
    `[StorageEventError: storage event: is an array of 2 events; use parseStorageEvents]`,
  );
});

test("the in-process sink is an async iterable queue that ends on close", async () => {
  const sink = inProcessEventSink({ capacity: 2 });
  const event = blobCreatedEvent(put(`file:///srv/lake/${path}`, "PutBlob"));
  await sink.publish(event);
  await sink.publish({ ...event, id: "2" });
  let third = false;
  const blocked = sink.publish({ ...event, id: "3" }).then(() => {
    third = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  expect(third).toBe(false); // full: the publisher waits for the consumer
  expect(sink.buffered).toBe(2);
  const seen: string[] = [];
  const consumer = (async () => {
    for await (const e of sink) seen.push(e.id);
  })();
  await blocked;
  await sink.publish({ ...event, id: "4" });
  sink.close();
  await consumer;
  expect(seen).toEqual([event.id, "2", "3", "4"]);
  await expect(sink.publish(event)).rejects.toThrow(/in-process event sink is closed/);
});
