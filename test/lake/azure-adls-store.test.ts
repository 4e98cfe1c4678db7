import { afterAll, beforeAll, expect, test } from "vitest";
import { adlsStore } from "../../src/lake/adls-store.js";
import { type DfsServer, startDfsServer } from "../support/dfs-server.js";
import { storeContract } from "./azure-store-contract.js";

let dfs: DfsServer;
beforeAll(async () => {
  dfs = await startDfsServer();
});
afterAll(async () => {
  await dfs.close();
});
let fileSystems = 0;
const freshFileSystem = () => `lake-${process.pid}-${++fileSystems}`;

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
  const calls = dfs.requests
    .filter((r) => r.path.startsWith(`/${fileSystem}`))
    .map((r) => {
      const q = Object.entries(r.query)
        .filter(([k]) => ["restype", "resource", "action", "position", "close", "mode"].includes(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
      const rename = r.renameSource
        ? ` <- ${r.renameSource.replace(/\.[0-9a-f]{8}\.tmp/, ".<id>.tmp").replace(fileSystem, "<fs>")}`
        : "";
      return `${r.authorization} ${r.method} ${r.path.replace(/\.[0-9a-f]{8}\.tmp/, ".<id>.tmp").replace(fileSystem, "<fs>")}?${q}${rename}`;
    });
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
  const { DataLakeServiceClient } = await import("@azure/storage-file-datalake");
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
