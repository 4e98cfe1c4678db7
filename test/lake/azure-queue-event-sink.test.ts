import { QueueServiceClient } from "@azure/storage-queue";
import { expect, test } from "vitest";
import { blobCreatedEvent } from "../../src/lake/blob-created-event.js";
import { blobStore } from "../../src/lake/blob-store.js";
import {
  QueueMessageError,
  queueEventSink,
  receiveStorageEvents,
} from "../../src/lake/queue-event-sink.js";
import { useAzurite } from "../support/azurite.js";

const azurite = useAzurite(["blob", "queue"]);
let queues = 0;

function freshQueue() {
  const queueName = `events-${process.pid}-${++queues}`;
  const raw = QueueServiceClient.fromConnectionString(azurite().connectionString).getQueueClient(
    queueName,
  );
  return {
    queueName,
    raw,
    target: {
      queueName,
      credential: { connectionString: azurite().connectionString },
      createQueue: true,
    },
  };
}

async function publishedEvents(count: number) {
  const store = blobStore({
    container: `landing-${++queues}`,
    credential: { connectionString: azurite().connectionString },
    createContainer: true,
  });
  const events = [];
  for (let i = 1; i <= count; i++) {
    const put = await store.put(
      `product/product-20261101T0000Z-20261102T0000Z-0000${i}.csv`,
      new TextEncoder().encode(`sku\nA-${i}\n`),
      {
        contentType: "text/csv",
      },
    );
    events.push(
      blobCreatedEvent(put, {
        subscriptionId: "11111111-2222-3333-4444-555555555555",
        resourceGroup: "retail",
      }),
    );
  }
  return events;
}

test("queue sink on Azurite: each event is one message whose text is the base64 of the event's JSON, as Event Grid delivers", async () => {
  const { raw, target } = freshQueue();
  const [event] = await publishedEvents(1);
  if (!event) throw new Error("no event");
  await queueEventSink(target).publish(event);
  const { peekedMessageItems } = await raw.peekMessages({ numberOfMessages: 32 });
  expect(peekedMessageItems).toHaveLength(1);
  const text = peekedMessageItems[0]?.messageText ?? "";
  expect(text).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  expect(Buffer.from(text, "base64").toString("utf8")).toBe(JSON.stringify(event));
  expect(JSON.parse(Buffer.from(text, "base64").toString("utf8")).data.url).toMatch(
    /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/landing-\d+\/product\/product-20261101T0000Z-20261102T0000Z-00001\.csv$/,
  );
});

test("receiveStorageEvents on Azurite: yields every event in order and deletes each after the consumer handled it", async () => {
  const { raw, target } = freshQueue();
  const events = await publishedEvents(3);
  const sink = queueEventSink(target);
  for (const e of events) await sink.publish(e);
  const received = [];
  for await (const event of receiveStorageEvents(target, { batchSize: 2 })) received.push(event);
  expect(received).toEqual(events);
  expect((await raw.getProperties()).approximateMessagesCount).toBe(0);
});

test("receiveStorageEvents on Azurite: a consumer that throws leaves its message in the queue for redelivery", async () => {
  const { raw, target } = freshQueue();
  const events = await publishedEvents(3);
  const sink = queueEventSink(target);
  for (const e of events) await sink.publish(e);
  let handled = 0;
  const consume = async () => {
    for await (const event of receiveStorageEvents(target, { batchSize: 1 })) {
      if (handled === 1) throw new Error(`failed on ${event.subject}`);
      handled++;
    }
  };
  await expect(consume()).rejects.toThrow(/failed on .*00002\.csv/);
  // The first was deleted; the second (thrown on) and the third (never fetched) remain.
  expect((await raw.getProperties()).approximateMessagesCount).toBe(2);
});

test("receiveStorageEvents on Azurite: reads Event Grid and CloudEvents messages written by Azure, not only ours", async () => {
  const { raw, target } = freshQueue();
  await raw.create();
  const data = {
    api: "FlushWithClose",
    clientRequestId: "6d79dbfb-0e37-4fc4-981f-442c9ca65760",
    requestId: "831e1650-001e-001b-66ab-eeb76e069631",
    eTag: "0x8D4BCC2E4835CD0",
    contentType: "application/octet-stream",
    contentLength: 524288,
    contentOffset: 0,
    blobType: "BlockBlob",
    url: "https://my-storage-account.dfs.core.windows.net/testcontainer/new-file.txt",
    sequencer: "00000000000004420000000000028963",
    storageDiagnostics: { batchId: "b68529f3-68cd-4744-baa4-3c0498ec19f0" },
  };
  const eventGrid = {
    topic:
      "/subscriptions/id/resourceGroups/Storage/providers/Microsoft.Storage/storageAccounts/my-storage-account",
    subject: "/blobServices/default/containers/testcontainer/blobs/new-file.txt",
    eventType: "Microsoft.Storage.BlobCreated",
    eventTime: "2017-06-26T18:41:00.9584103Z",
    id: "831e1650-001e-001b-66ab-eeb76e069631",
    data,
    dataVersion: "3",
    metadataVersion: "1",
  };
  const cloudEvent = {
    source: eventGrid.topic,
    subject: eventGrid.subject,
    type: "Microsoft.Storage.BlobCreated",
    time: eventGrid.eventTime,
    id: "831e1650-001e-001b-66ab-eeb76e069632",
    data,
    specversion: "1.0",
  };
  for (const message of [eventGrid, cloudEvent])
    await raw.sendMessage(Buffer.from(JSON.stringify(message)).toString("base64"));
  const received = [];
  for await (const event of receiveStorageEvents(target))
    received.push(`${event.id} ${event.data.api} ${event.data.url}`);
  expect(received).toMatchInlineSnapshot(`
    [
      "831e1650-001e-001b-66ab-eeb76e069631 FlushWithClose https://my-storage-account.dfs.core.windows.net/testcontainer/new-file.txt",
      "831e1650-001e-001b-66ab-eeb76e069632 FlushWithClose https://my-storage-account.dfs.core.windows.net/testcontainer/new-file.txt",
    ]
  `);
});

test("receiveStorageEvents on Azurite: a message that is not a BlobCreated event throws QueueMessageError and stays queued", async () => {
  const { raw, target } = freshQueue();
  await raw.create();
  const deleted = {
    eventType: "Microsoft.Storage.BlobDeleted",
    subject: "/blobServices/default/containers/c/blobs/x",
  };
  await raw.sendMessage(Buffer.from(JSON.stringify(deleted)).toString("base64"));
  const error = await (async () => {
    for await (const _ of receiveStorageEvents(target)) {
      // never reached
    }
  })().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(QueueMessageError);
  expect(
    (error as Error).message
      .replace(/127\.0\.0\.1:\d+/, "<host>")
      .replace(/message [0-9a-f-]+/, "message <id>")
      .replace(/events-\d+-\d+/, "<queue>"),
  ).toMatchInlineSnapshot(
    `"message <id> in http://<host>/devstoreaccount1/<queue> (dequeued 1 times) is not a BlobCreated event: storage event: eventType must be "Microsoft.Storage.BlobCreated", got "Microsoft.Storage.BlobDeleted""`,
  );
  expect((await raw.getProperties()).approximateMessagesCount).toBe(1);
  await raw.clearMessages();
  await raw.sendMessage("{not base64}");
  await expect(receiveStorageEvents(target).next()).rejects.toThrow(/its text is not base64/);
});

test("receiveStorageEvents on Azurite with idle 'wait': picks up an event sent later, and stops when aborted", async () => {
  const { target } = freshQueue();
  const [event] = await publishedEvents(1);
  if (!event) throw new Error("no event");
  const controller = new AbortController();
  const sink = queueEventSink(target);
  const iterator = receiveStorageEvents(target, {
    idle: "wait",
    pollIntervalMs: 50,
    signal: controller.signal,
  });
  const first = iterator.next();
  await sink.publish(event);
  expect((await first).value).toEqual(event);
  const second = iterator.next();
  controller.abort(new Error("shutting down"));
  await expect(second).rejects.toThrow("shutting down");
});
