import { BlobServiceClient } from "@azure/storage-blob";
import { expect, test } from "vitest";
import { blobStore } from "../../src/lake/blob-store.js";
import { useAzurite } from "../support/azurite.js";
import { storeContract } from "./azure-store-contract.js";

const azurite = useAzurite(["blob"]);
let containers = 0;
const freshContainer = () => `lake-${process.pid}-${++containers}`;

storeContract({
  name: "blob on Azurite",
  kind: "blob",
  api: { small: "PutBlob", large: "PutBlockList" },
  largeBytes: 64 * 1024,
  urlPattern: /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/lake-\d+-\d+\/landing$/,
  store: async () =>
    blobStore({
      container: freshContainer(),
      prefix: "landing",
      credential: { connectionString: azurite().connectionString },
      createContainer: true,
      singleUploadMaxBytes: 64 * 1024,
      blockBytes: 64 * 1024,
    }),
});

test("blob on Azurite: staged but uncommitted blocks (a crashed upload) are invisible to list, exists and get", async () => {
  const container = freshContainer();
  const store = blobStore({
    container,
    credential: { connectionString: azurite().connectionString },
    createContainer: true,
  });
  await store.put("ok.csv", new Uint8Array([1]));
  const raw = BlobServiceClient.fromConnectionString(azurite().connectionString).getContainerClient(
    container,
  );
  await raw
    .getBlockBlobClient("crashed.csv")
    .stageBlock(Buffer.from("b1").toString("base64"), Buffer.from("half"), 4);
  expect(await store.exists("crashed.csv")).toBe(false);
  const names: string[] = [];
  for await (const o of store.list()) names.push(o.path);
  expect(names).toEqual(["ok.csv"]);
});
