import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";

// What users install: the packed tarball, checked by publint and attw, and every subpath
// export loaded from both ESM and CJS the way Node resolves them for a dependent project.
const root = join(import.meta.dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>;
  bin: Record<string, string>;
};
const subpaths = Object.keys(pkg.exports).filter((s) => s !== "./package.json");
let packDir: string;
let tarball: string;

// Asynchronous: minutes of synchronous children block the worker and Vitest's RPC times out.
const exec = promisify(execFile);
const run = async (cmd: string, args: string[], cwd = root) =>
  (await exec(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })).stdout;

beforeAll(async () => {
  // `make test` builds first; a bare `vitest run` builds here.
  if (!existsSync(join(root, "dist", "index.js"))) await run("npx", ["tsup", "--silent"]);
  packDir = mkdtempSync(join(tmpdir(), "retail-mds-pack-"));
  tarball = join(
    packDir,
    (await run("npm", ["pack", "--silent", "--pack-destination", packDir]))
      .trim()
      .split("\n")
      .pop() as string,
  );
});

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

test("publint finds nothing wrong in the tarball", async () => {
  expect(await run("npx", ["publint", tarball, "--strict"])).toContain("All good");
});

test("attw resolves types for ESM and CJS on every subpath", async () => {
  // attw exits non-zero on a problem in the profile; node10 (pre-exports resolution) is out of
  // scope for an ESM-first package on Node >= 20, as the node16 profile says.
  const out = await run("npx", ["attw", tarball, "--profile", "node16", "--format", "json"]);
  const report = JSON.parse(out) as { analysis: { problems: { resolutionKind?: string }[] } };
  expect(report.analysis.problems.filter((p) => p.resolutionKind !== "node10")).toEqual([]);
});

test("every subpath export loads from ESM and CJS", async () => {
  for (const subpath of subpaths) {
    const id = subpath === "." ? "retail-mds" : `retail-mds/${subpath.slice(2)}`;
    // Self-reference by package name goes through the exports map, as for a dependent project.
    await run("node", ["--input-type=module", "-e", `await import(${JSON.stringify(id)})`]);
    await run("node", ["-e", `require(${JSON.stringify(id)})`]);
  }
  const esm = await run("node", [
    "--input-type=module",
    "-e",
    'const m = await import("retail-mds/entities"); console.log(Object.keys(m.entities).join(","))',
  ]);
  expect(esm.trim()).toBe("store,product,customer,sale_line,stock_movement,stock_snapshot");
});

test("the CLI binary starts and lists its commands", async () => {
  const out = await run("node", [join(root, pkg.bin["retail-mds"] as string), "--help"]);
  for (const command of ["generate", "load", "quality", "demo", "init", "ddl", "dbt-sources"])
    expect(out).toContain(command);
});
