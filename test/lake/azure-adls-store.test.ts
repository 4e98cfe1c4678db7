import { DataLakeServiceClient } from "@azure/storage-file-datalake";
import { afterAll, beforeAll, expect, test } from "vitest";
import { adlsStore } from "../../src/lake/adls-store.js";
import { blobCreatedEvent } from "../../src/lake/blob-created-event.js";
import { ObjectExistsError } from "../../src/lake/lake-write-error.js";
import { type DfsServer, startDfsServer } from "../support/dfs-server.js";
import { expectOneWinner, storeContract } from "./azure-store-contract.js";

let dfs: DfsServer;
beforeAll(async () => {
  dfs = await startDfsServer();
});
afterAll(async () => {
  await dfs.close();
});
let fileSystems = 0;
const freshFileSystem = () => `lake-${process.pid}-${++fileSystems}`;

function callsOn(fileSystem: string): string[] {
  return dfs.requests
    .filter((r) => r.path.startsWith(`/${fileSystem}`))
    .map((r) => {
      const q = Object.entries(r.query)
        .filter(([k]) => ["restype", "resource", "action", "position", "close", "mode"].includes(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
      const tidy = (s: string) =>
        s.replace(/\.[0-9a-f]{8}\.tmp/, ".<id>.tmp").replace(fileSystem, "<fs>");
      return `${r.authorization} ${r.method} ${tidy(r.path)}?${q}${r.renameSource ? ` <- ${tidy(r.renameSource)}` : ""}`;
    });
}

storeContract({
  name: "adls on the DFS test server",
  kind: "adls",
  api: { small: "FlushWithClose", large: "FlushWithClose" },
  largeBytes: 64 * 1024,
  urlPattern: /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/lake-\d+-\d+\/landing$/,
  store: async () =>
    adlsStore({
      fileSystem: freshFileSystem(),
      prefix: "landing",
      credential: { connectionString: dfs.connectionString },
      createFileSystem: true,
      appendBytes: 64 * 1024,
    }),
});

test("adls on the DFS test server: put is create temp, append, flush with close, rename into place, all Shared Key signed", async () => {
  const fileSystem = freshFileSystem();
  const store = adlsStore({
    fileSystem,
    credential: { connectionString: dfs.connectionString },
    createFileSystem: true,
    appendBytes: 4,
  });
  await store.put(
    "product/product-20261101T0000Z-20261102T0000Z-00001.csv",
    new TextEncoder().encode("sku\nA-1\n"),
    {
      contentType: "text/csv",
    },
  );
  const calls = callsOn(fileSystem);
  expect(calls).toMatchInlineSnapshot(`
    [
      "SharedKey PUT /<fs>?restype=container",
      "SharedKey PUT /<fs>/product/.product-20261101T0000Z-20261102T0000Z-00001.csv.<id>.tmp?resource=file",
      "SharedKey PATCH /<fs>/product/.product-20261101T0000Z-20261102T0000Z-00001.csv.<id>.tmp?action=append&position=0",
      "SharedKey PATCH /<fs>/product/.product-20261101T0000Z-20261102T0000Z-00001.csv.<id>.tmp?action=append&position=4",
      "SharedKey PATCH /<fs>/product/.product-20261101T0000Z-20261102T0000Z-00001.csv.<id>.tmp?action=flush&close=true&position=8",
      "SharedKey PUT /<fs>/product/product-20261101T0000Z-20261102T0000Z-00001.csv?mode=legacy <- /devstoreaccount1/<fs>/product/.product-20261101T0000Z-20261102T0000Z-00001.csv.<id>.tmp",
    ]
  `);
});

test("adls on the DFS test server: a write that died before its rename leaves only a dot-temp file, which list and exists do not show", async () => {
  const fileSystem = freshFileSystem();
  const store = adlsStore({
    fileSystem,
    credential: { connectionString: dfs.connectionString },
    createFileSystem: true,
  });
  await store.put(
    "product/product-20261101T0000Z-20261102T0000Z-00001.csv",
    new Uint8Array([1, 2]),
  );
  const raw = DataLakeServiceClient.fromConnectionString(dfs.connectionString).getFileSystemClient(
    fileSystem,
  );
  const temp = raw.getFileClient(
    "product/.product-20261101T0000Z-20261102T0000Z-00002.csv.deadbeef.tmp",
  );
  await temp.create();
  await temp.append(Buffer.from("half"), 0, 4);
  await temp.flush(4, { close: true });
  const listed: string[] = [];
  for await (const o of store.list("product/")) listed.push(o.path);
  expect(listed).toEqual(["product/product-20261101T0000Z-20261102T0000Z-00001.csv"]);
  expect(await store.exists("product/product-20261101T0000Z-20261102T0000Z-00002.csv")).toBe(false);
});

test("adls on the DFS test server, publish 'in-place': create, append and flush with close on the final path, no rename", async () => {
  const fileSystem = freshFileSystem();
  const store = adlsStore({
    fileSystem,
    credential: { connectionString: dfs.connectionString },
    createFileSystem: true,
    publish: "in-place",
  });
  const put = await store.put(
    "product/product-20261101T0000Z-20261102T0000Z-00001.csv",
    new TextEncoder().encode("sku\nA-1\n"),
  );
  expect(put.api).toBe("FlushWithClose");
  expect(Buffer.from(await store.get(put.path)).toString()).toBe("sku\nA-1\n");
  expect(
    callsOn(fileSystem).filter((c) => !c.includes(" GET ") && !c.includes(" HEAD ")),
  ).toMatchInlineSnapshot(`
    [
      "SharedKey PUT /<fs>?restype=container",
      "SharedKey PUT /<fs>/product/product-20261101T0000Z-20261102T0000Z-00001.csv?resource=file",
      "SharedKey PATCH /<fs>/product/product-20261101T0000Z-20261102T0000Z-00001.csv?action=append&position=0",
      "SharedKey PATCH /<fs>/product/product-20261101T0000Z-20261102T0000Z-00001.csv?action=flush&close=true&position=8",
    ]
  `);
});

test("adls on the DFS test server: the lake's BlobCreated event for a put says FlushWithClose, the dfs URL and the final path", async () => {
  const fileSystem = freshFileSystem();
  const store = adlsStore({
    fileSystem,
    prefix: "landing",
    credential: { connectionString: dfs.connectionString },
    createFileSystem: true,
  });
  const put = await store.put(
    "product/product-20261101T0000Z-20261102T0000Z-00001.csv",
    new TextEncoder().encode("sku\n"),
    {
      contentType: "text/csv",
    },
  );
  const event = blobCreatedEvent(put);
  expect({
    subject: event.subject.replace(fileSystem, "<fs>"),
    api: event.data.api,
    url: event.data.url.replace(/127\.0\.0\.1:\d+/, "<host>").replace(fileSystem, "<fs>"),
    contentLength: event.data.contentLength,
    eTag: event.data.eTag === put.eTag,
  }).toMatchInlineSnapshot(`
    {
      "api": "FlushWithClose",
      "contentLength": 4,
      "eTag": true,
      "subject": "/blobServices/default/containers/<fs>/blobs/landing/product/product-20261101T0000Z-20261102T0000Z-00001.csv",
      "url": "http://<host>/devstoreaccount1/<fs>/landing/product/product-20261101T0000Z-20261102T0000Z-00001.csv",
    }
  `);
});

// A real ADLS Gen2 account, only when one is configured: otherwise these tests are not
// registered at all (not skipped), so a run without Azure never counts them as passing.
const realAccount = process.env.RETAIL_MDS_ADLS_CONNECTION_STRING;
if (realAccount) {
  const created: string[] = [];
  afterAll(async () => {
    const service = DataLakeServiceClient.fromConnectionString(realAccount);
    for (const name of created) await service.getFileSystemClient(name).deleteIfExists();
  });
  storeContract({
    name: "adls on a real Azure account",
    kind: "adls",
    api: { small: "FlushWithClose", large: "FlushWithClose" },
    largeBytes: 64 * 1024,
    urlPattern:
      /^https:\/\/[a-z0-9]+\.dfs\.core\.windows\.net\/retail-mds-test-[0-9a-z-]+\/landing$/,
    store: async () => {
      const name = `retail-mds-test-${Date.now().toString(36)}-${created.length + 1}`;
      created.push(name);
      return adlsStore({
        fileSystem: name,
        prefix: "landing",
        credential: { connectionString: realAccount },
        createFileSystem: true,
        appendBytes: 64 * 1024,
      });
    },
  });
}

test("adls on the DFS test server, publish 'in-place', create-only: of two racing puts one wins, the loser fails with ObjectExistsError and leaves the winner's file", async () => {
  const store = adlsStore({
    fileSystem: freshFileSystem(),
    credential: { connectionString: dfs.connectionString },
    createFileSystem: true,
    publish: "in-place",
    appendBytes: 1024,
  });
  const path = "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.csv";
  const bodies = [Buffer.alloc(5000, "a"), Buffer.alloc(3000, "b")];
  await expectOneWinner(store, path, bodies);
  const winner = Buffer.from(await store.get(path));
  // A later create-only put of other bytes is refused the same way and changes nothing.
  await expect(store.put(path, Buffer.from("c"), { ifAbsent: true })).rejects.toBeInstanceOf(
    ObjectExistsError,
  );
  expect(Buffer.from(await store.get(path))).toEqual(winner);
});

test("the DFS test server honours Path - Create's conditional headers: If-None-Match * and <etag>, If-Match, on create and on a rename's source and destination", async () => {
  const fileSystem = freshFileSystem();
  const client = DataLakeServiceClient.fromConnectionString(
    dfs.connectionString,
  ).getFileSystemClient(fileSystem);
  await client.create();
  const file = client.getFileClient("a.csv");
  const created = await file.create();
  const status = (p: Promise<unknown>) =>
    p.then(
      () => 201,
      (e: { statusCode?: number; details?: { errorCode?: string } }) =>
        `${e.statusCode} ${e.details?.errorCode}`,
    );
  expect(await status(file.create({ conditions: { ifNoneMatch: "*" } }))).toBe(
    "409 PathAlreadyExists",
  );
  expect(await status(file.create({ conditions: { ifNoneMatch: created.etag } }))).toBe(
    "412 ConditionNotMet",
  );
  expect(await status(file.create({ conditions: { ifMatch: '"0x0"' } }))).toBe(
    "412 ConditionNotMet",
  );
  expect(
    await status(client.getFileClient("new.csv").create({ conditions: { ifNoneMatch: "*" } })),
  ).toBe(201);
  const source = client.getFileClient("src.csv");
  await source.create();
  expect(await status(source.move("a.csv", { destinationConditions: { ifNoneMatch: "*" } }))).toBe(
    "409 PathAlreadyExists",
  );
  expect(await status(source.move("b.csv", { conditions: { ifMatch: '"0x0"' } }))).toBe(
    "412 SourceConditionNotMet",
  );
  expect(await status(source.move("b.csv", { destinationConditions: { ifNoneMatch: "*" } }))).toBe(
    201,
  );
});
