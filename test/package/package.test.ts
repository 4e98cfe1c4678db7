import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

const run = (cmd: string, args: string[], cwd = root) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

beforeAll(() => {
  // `make test` builds first; a bare `vitest run` builds here.
  if (!existsSync(join(root, "dist", "index.js"))) run("npx", ["tsup", "--silent"]);
  packDir = mkdtempSync(join(tmpdir(), "retail-mds-pack-"));
  tarball = join(
    packDir,
    run("npm", ["pack", "--silent", "--pack-destination", packDir])
      .trim()
      .split("\n")
      .pop() as string,
  );
});

afterAll(() => rmSync(packDir, { recursive: true, force: true }));

test("publint finds nothing wrong in the tarball", () => {
  expect(run("npx", ["publint", tarball, "--strict"])).toContain("All good");
});

test("attw resolves types for ESM and CJS on every subpath", () => {
  // attw exits non-zero on a problem in the profile; node10 (pre-exports resolution) is out of
  // scope for an ESM-first package on Node >= 20, as the node16 profile says.
  const out = run("npx", ["attw", tarball, "--profile", "node16", "--format", "json"]);
  const report = JSON.parse(out) as { analysis: { problems: { resolutionKind?: string }[] } };
  expect(report.analysis.problems.filter((p) => p.resolutionKind !== "node10")).toEqual([]);
});

test("every subpath export loads from ESM and CJS", () => {
  for (const subpath of subpaths) {
    const id = subpath === "." ? "retail-mds" : `retail-mds/${subpath.slice(2)}`;
    // Self-reference by package name goes through the exports map, as for a dependent project.
    run("node", ["--input-type=module", "-e", `await import(${JSON.stringify(id)})`]);
    run("node", ["-e", `require(${JSON.stringify(id)})`]);
  }
  const esm = run("node", [
    "--input-type=module",
    "-e",
    'const m = await import("retail-mds/entities"); console.log(Object.keys(m.entities).join(","))',
  ]);
  expect(esm.trim()).toBe("store,product,customer,sale_line,stock_movement,stock_snapshot");
});

test("the CLI binary starts and lists its commands", () => {
  const out = run("node", [join(root, pkg.bin["retail-mds"] as string), "--help"]);
  for (const command of ["generate", "load", "quality", "demo", "init", "ddl", "dbt-sources"])
    expect(out).toContain(command);
});
