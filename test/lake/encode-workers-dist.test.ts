import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";

// Encode workers as users get them: the built package starts its worker from the file next to
// its own chunks, from ESM (import) and CJS (require) alike, and the CLI's `generate --workers`.
const root = join(import.meta.dirname, "..", "..");
const exec = promisify(execFile);
const node = async (args: string[], cwd = root) =>
  (await exec(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }))
    .stdout;
let work: string;

beforeAll(async () => {
  // `make test` builds first; a bare `vitest run` (or a dist from before the workers) builds here.
  if (!existsSync(join(root, "dist", "encode-worker.js")))
    await exec("npx", ["tsup", "--silent"], { cwd: root });
  work = mkdtempSync(join(tmpdir(), "encode-workers-dist-"));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

// Writes one simulated day with the given worker count and prints each file's path and hash.
const script = (load: (sub: string) => string) => `
const { createRetailSimulation } = ${load("generators")};
const { createLakeWriter, localStore } = ${load("lake")};
(async () => {
  const [out, workers] = process.argv.slice(2);
  const sim = createRetailSimulation({ seed: 3, from: "2026-11-02", days: 1, stores: 2, products: 30 });
  const writer = createLakeWriter({ store: localStore(out), format: "parquet", workers: Number(workers) });
  await writer.writeAll(sim.generate({ batchSize: 97 }));
  const { files } = await writer.close();
  console.log(JSON.stringify(files.map((f) => [f.path, f.sha256])));
})();
`;

test.each([
  [
    "ESM",
    "mjs",
    (sub: string) => `await import(${JSON.stringify(join(root, "dist", `${sub}.js`))})`,
  ],
  ["CJS", "cjs", (sub: string) => `require(${JSON.stringify(join(root, "dist", `${sub}.cjs`))})`],
])(
  "the %s build encodes on workers, with the same files as in one thread",
  async (_, ext, load) => {
    const file = join(work, `write.${ext}`);
    // The ESM loads are awaited: there the whole script runs inside an async function.
    const body = ext === "mjs" ? `(async () => {${script(load)}})();` : script(load);
    writeFileSync(file, body);
    const one = JSON.parse(await node([file, join(work, `${ext}-0`), "0"]));
    const two = JSON.parse(await node([file, join(work, `${ext}-2`), "2"]));
    expect(one.length).toBeGreaterThan(5);
    expect(two).toEqual(one);
  },
);

test("generate --workers 2 writes the same lake as --workers 0; a bad count exits 2", async () => {
  const cli = join(root, "dist", "cli.js");
  const args = [
    "generate",
    "--days",
    "1",
    "--stores",
    "2",
    "--products",
    "30",
    "--format",
    "parquet",
  ];
  const lakes: string[][] = [];
  for (const workers of ["0", "2"]) {
    const out = join(work, `cli-${workers}`);
    await node([cli, ...args, "--out", out, "--workers", workers]);
    const [manifest] = readdirSync(join(out, "_manifests"));
    const { files } = JSON.parse(readFileSync(join(out, "_manifests", manifest as string), "utf8"));
    lakes.push(files.map((f: { path: string; sha256: string }) => `${f.path} ${f.sha256}`));
  }
  expect(lakes[0]?.length).toBeGreaterThan(5);
  expect(lakes[1]).toEqual(lakes[0]);
  const bad = await exec(process.execPath, [
    cli,
    ...args,
    "--out",
    join(work, "bad"),
    "--workers",
    "65",
  ]).catch((error: { code: number; stderr: string }) => error);
  expect(bad).toMatchObject({ code: 2 });
  expect((bad as { stderr: string }).stderr).toContain(
    '--workers must be a whole number from 0 to 64; got "65"',
  );
  expect(existsSync(join(work, "bad"))).toBe(false);
});
