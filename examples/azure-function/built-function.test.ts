import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { BlobServiceClient } from "@azure/storage-blob";
import { parquetMetadata } from "hyparquet";
import { afterAll, expect, test } from "vitest";
import { useAzurite } from "../../test/support/azurite.js";
import { readSettings } from "./src/settings.js";

// Found by the audit: the tests beside this one call the handler from its sources, but Azure runs
// what `npm run build` bundles (tsup.config.ts). The bundle took in every package the app's
// package.json does not list, parquet-wasm too, whose loader reads `parquet_wasm_bg.wasm` beside
// itself: the built function failed its first Parquet write (the default format) with ENOENT.
// Here the app is built as `npm run build` builds it (plus the handler as a second entry, to call
// it), and one tick runs from the built files against Azurite.
const azurite = useAzurite(["blob"]);
const app = dirname(fileURLToPath(import.meta.url));
const outDir = mkdtempSync(join(app, ".built-test-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// The built files run in a plain Node child, as the Functions host runs them: not through Vitest's
// module loader, which gives every file its own __dirname and would hide what the bundle misses.
const RUN_TICK = `
const [handler, settings] = process.argv.slice(1);
const functions = await import("@azure/functions");
const { InvocationContext } = functions.default ?? functions;
const { createTickHandler } = await import(handler);
const tick = createTickHandler({ settings: JSON.parse(settings), now: () => new Date("2026-11-02T09:05:00.350Z") });
const timer = { isPastDue: false, schedule: { adjustForDST: true },
  scheduleStatus: { last: "2026-11-02T09:00:00Z", next: "", lastUpdated: "2026-11-02T09:00:00Z" } };
const result = await tick(timer, new InvocationContext({ functionName: "tick" }));
console.log(JSON.stringify({ published: result.published }));
`;

test("the function as `npm run build` bundles it writes Parquet files to Blob storage", async () => {
  const run = promisify(execFile);
  const tsup = join(
    dirname(createRequire(import.meta.url).resolve("tsup/package.json")),
    "dist/cli-default.js",
  );
  await run(
    process.execPath,
    [tsup, "src/functions/tick.ts", "src/tick-handler.ts", "--out-dir", relative(app, outDir)],
    { cwd: app },
  );
  const container = "built";
  const service = BlobServiceClient.fromConnectionString(azurite().connectionString);
  await service.createContainer(container);
  const settings = readSettings({
    RETAIL_MDS_STORE_KIND: "blob",
    RETAIL_MDS_CONNECTION_STRING: azurite().connectionString,
    RETAIL_MDS_CONTAINER: container,
    RETAIL_MDS_SEED: "7",
    RETAIL_MDS_SIM_FROM: "2026-11-02",
    RETAIL_MDS_SIM_DAYS: "3",
    RETAIL_MDS_STORES: "3",
    RETAIL_MDS_PRODUCTS: "50",
  });
  const handler = pathToFileURL(join(outDir, "tick-handler.js")).href;
  const child = await run(
    process.execPath,
    ["--input-type=module", "-e", RUN_TICK, handler, JSON.stringify(settings)],
    { cwd: app },
  ).catch((error: { stderr?: string }) => ({ stdout: "", stderr: String(error.stderr) }));
  expect(child.stderr).not.toMatch(/Error/);
  expect(JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "")).toEqual({ published: 2 });
  const client = service.getContainerClient(container);
  const files: string[] = [];
  for await (const blob of client.listBlobsFlat())
    if (blob.name.endsWith(".parquet")) files.push(blob.name);
  expect(files).toHaveLength(2);
  for (const name of files) {
    const bytes = await client.getBlockBlobClient(name).downloadToBuffer();
    const body = new Uint8Array(bytes).buffer; // a copy: its own ArrayBuffer, as hyparquet wants
    expect(Number(parquetMetadata(body).num_rows)).toBeGreaterThan(0);
  }
});
