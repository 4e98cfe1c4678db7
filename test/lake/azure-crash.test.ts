import { type ChildProcess, spawn } from "node:child_process";
import { BlobServiceClient } from "@azure/storage-blob";
import { expect, test } from "vitest";
import { adlsStore } from "../../src/lake/adls-store.js";
import { blobStore } from "../../src/lake/blob-store.js";
import type { LakeStore } from "../../src/lake/lake-store.js";
import { useAzurite } from "../support/azurite.js";
import { startDfsServer } from "../support/dfs-server.js";
import { startFaultProxy } from "../support/fault-proxy.js";

const azurite = useAzurite(["blob"]);
const childScript = new URL("../support/azure-put-child.ts", import.meta.url).pathname;
const PATH = "sale_line/dt=2026-11-01/sale_line-20261101T0800Z-20261101T0805Z-00001.csv";

/**
 * Runs the child through a proxy that SIGKILLs it when the `killAt`-th upload request arrives
 * (that request is never forwarded), so the kill lands mid-upload every time, by count.
 */
async function killMidUpload(
  target: string,
  connectionString: (origin: string) => string,
  kind: string,
  container: string,
  isUpload: (method: string, url: string) => boolean,
  killAt: number,
) {
  let child: ChildProcess | undefined;
  let uploads = 0;
  const proxy = await startFaultProxy(target, (req) => {
    if (isUpload(req.method ?? "", req.url ?? "") && ++uploads === killAt) {
      child?.kill("SIGKILL");
      return { kind: "reset" };
    }
    return { kind: "forward" };
  });
  try {
    child = spawn(process.execPath, ["--import", "tsx", childScript], {
      env: {
        ...process.env,
        STORE_KIND: kind,
        CONNECTION_STRING: connectionString(proxy.origin),
        CONTAINER: container,
        OBJECT_PATH: PATH,
        BODY_BYTES: String(64 * 1024 * 20),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    const exit = await new Promise<NodeJS.Signals | number | null>((resolve) =>
      child?.once("exit", (code, signal) => resolve(signal ?? code)),
    );
    return { exit, out, uploads };
  } finally {
    await proxy.close();
  }
}

async function visible(store: LakeStore): Promise<string[]> {
  const names: string[] = [];
  for await (const o of store.list()) names.push(`${o.path}:${o.size}`);
  return names;
}

test("blob on Azurite: a writer killed after 5 of 20 staged blocks leaves no visible file, only uncommitted blocks", async () => {
  const container = "crash";
  const store = blobStore({
    container,
    credential: { connectionString: azurite().connectionString },
    createContainer: true,
  });
  await store.put("before.csv", new Uint8Array([1]));
  const run = await killMidUpload(
    azurite().blobUrl,
    (origin) =>
      azurite().connectionString.replace(
        /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/,
        `BlobEndpoint=${origin}`,
      ),
    "blob",
    container,
    (method, url) => method === "PUT" && url.includes("comp=block"),
    6,
  );
  expect(run).toMatchObject({ exit: "SIGKILL", out: "" });
  expect(await visible(store)).toEqual(["before.csv:1"]);
  expect(await store.exists(PATH)).toBe(false);
  const blocks = await BlobServiceClient.fromConnectionString(azurite().connectionString)
    .getContainerClient(container)
    .getBlockBlobClient(PATH)
    .getBlockList("uncommitted")
    .catch(() => undefined);
  // Azurite keeps the staged blocks of the dead upload; none of them is visible as a file.
  expect(blocks?.uncommittedBlocks?.length).toBe(5);
});

test("adls on the DFS test server: a writer killed after 5 of 20 appends leaves no visible file", async () => {
  const dfs = await startDfsServer();
  try {
    const store = adlsStore({
      fileSystem: "crash",
      credential: { connectionString: dfs.connectionString },
      createFileSystem: true,
    });
    await store.put("before.csv", new Uint8Array([1]));
    const run = await killMidUpload(
      dfs.url,
      (origin) =>
        dfs.connectionString.replace(
          /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/,
          `BlobEndpoint=${origin}`,
        ),
      "adls",
      "crash",
      (method, url) => method === "PATCH" && url.includes("action=append"),
      6,
    );
    expect(run).toMatchObject({ exit: "SIGKILL", out: "" });
    expect(await visible(store)).toEqual(["before.csv:1"]);
    expect(await store.exists(PATH)).toBe(false);
    // The dead writer's dot-temp file is there, unlisted.
    expect(
      dfs.requests.some((r) => r.method === "PUT" && /\/\.sale_line-.*\.tmp$/.test(r.path)),
    ).toBe(true);
  } finally {
    await dfs.close();
  }
});
