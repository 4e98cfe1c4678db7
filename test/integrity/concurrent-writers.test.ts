/**
 * Several writers on one lake at once (issue 12.3): a name is won by exactly one writer, the
 * other fails with the immutable error, and a manifest always matches the bytes on disk.
 * Blob and ADLS Gen2 run the same race in test/lake/azure-store-contract.ts.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { product } from "../../src/entities/index.js";
import {
  createLakeWriter,
  type LakeStore,
  LakeWriteError,
  localStore,
  ObjectExistsError,
  type RunManifest,
  sha256Hex,
} from "../../src/lake/index.js";
import { products } from "../lake/fixtures.js";
import { tempDir } from "../lake/temp-dir.js";

const root = join(import.meta.dirname, "../..");
const PATH = "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.csv";

interface Run {
  readonly code: number | null;
  readonly stderr: string;
}

function generate(out: string, seed: number): Promise<Run> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/cli/main.ts",
      "generate",
      ...["--out", out, "--seed", String(seed), "--days", "2", "--stores", "4"],
      ...["--products", "200", "--format", "csv"],
    ],
    {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
      // Bounded: a hung run is killed and fails the test (its exit code is then null).
      timeout: 120_000,
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stderr })));
}

/** Every manifest in the lake, and for each of its files whether the bytes on disk match. */
function manifests(lake: string): { manifest: RunManifest; mismatched: string[] }[] {
  const folder = join(lake, "_manifests");
  // Both runs failing (each won some names) leaves no manifest at all.
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.startsWith("run-"))
    .map((name) => {
      const manifest = JSON.parse(readFileSync(join(folder, name), "utf8")) as RunManifest;
      const mismatched = manifest.files
        .filter((file) => {
          const bytes = readFileSync(join(lake, ...file.path.split("/")));
          return bytes.byteLength !== file.bytes || sha256Hex(bytes) !== file.sha256;
        })
        .map((file) => file.path);
      return { manifest, mismatched };
    });
}

test("two generate processes with different seeds on one lake: at most one succeeds, the other fails as immutable, every manifest matches the disk", async () => {
  for (let round = 0; round < 3; round++) {
    const lake = join(tempDir("concurrent-generate-"), "lake");
    const runs = await Promise.all([generate(lake, 1 + round), generate(lake, 101 + round)]);
    for (const run of runs) expect([0, 1], run.stderr).toContain(run.code);
    const succeeded = runs.filter((run) => run.code === 0);
    expect(succeeded.length).toBeLessThanOrEqual(1);
    for (const run of runs.filter((r) => r.code !== 0)) {
      expect(run.stderr).toMatch(/immutable: a different file already exists there/);
    }
    const found = manifests(lake);
    expect(found.map((m) => m.mismatched)).toEqual(succeeded.map(() => []));
  }
});

test("local store: two create-only puts racing for one name, exactly one wins and the file holds its bytes", async () => {
  const store = localStore(tempDir("concurrent-put-"));
  for (let round = 0; round < 20; round++) {
    const path = PATH.replace("00001", String(round + 1).padStart(5, "0"));
    const bodies = ["a,b\n1,2\n", "a,b\n3,4\n"].map((s) => Buffer.from(s));
    const results = await Promise.allSettled(
      bodies.map((body) => store.put(path, body, { ifAbsent: true })),
    );
    const won = results.findIndex((r) => r.status === "fulfilled");
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results[1 - won] as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ObjectExistsError);
    expect((lost.reason as ObjectExistsError).path).toBe(path);
    expect(Buffer.from(await store.get(path))).toEqual(bodies[won]);
  }
  // No temp file is left behind by either side.
  const listed: string[] = [];
  for await (const o of store.list()) listed.push(o.path);
  expect(listed).toHaveLength(20);
  expect(readdirSync(join(store.root, "sale_line/dt=2026-11-01/hour=08"))).toHaveLength(20);
});

test("a writer that loses a name between its check and its put fails as immutable and leaves the winner's file and no manifest", async () => {
  const lake = localStore(tempDir("writer-race-"));
  const rival = Buffer.from("sku,qty\nRIVAL,1\n");
  // Another process publishes each name right after this writer checked that it was free.
  const racing: LakeStore = {
    ...lake,
    async exists(path) {
      const free = !(await lake.exists(path));
      if (free && !path.startsWith("_manifests/")) await lake.put(path, rival);
      return !free;
    },
  };
  const writer = createLakeWriter({ store: racing, format: "csv" });
  await writer.write({
    entity: product,
    window: { from: "2026-11-01T00:00:00Z", to: "2026-11-02T00:00:00Z" },
    records: products,
  });
  const error = await writer.close().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LakeWriteError);
  expect((error as Error).message).toMatch(/immutable: a different file already exists there/);
  const paths: string[] = [];
  for await (const o of lake.list()) paths.push(o.path);
  expect(paths).toHaveLength(1);
  expect(Buffer.from(await lake.get(paths[0] as string))).toEqual(rival);
});
