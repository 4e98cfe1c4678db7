import { readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { cli, tempDir } from "./run-cli.js";

// `init` writes retail-mds.config.mjs; docs/add-an-entity.md has the user write
// retail-mds.config.ts. With both in one folder the .ts was read and the .mjs (lake, warehouse,
// simulation defaults the user may have edited) silently ignored. Two configs in one folder are
// ambiguous: bad input, exit 2 naming both, before anything is written.

test("two config files in one folder: exit 2 naming both, nothing written", () => {
  const dir = tempDir("two-configs");
  writeFileSync(
    join(dir, "retail-mds.config.mjs"),
    `export default { lake: { path: "./my-lake" } };\n`,
  );
  writeFileSync(join(dir, "retail-mds.config.ts"), `export default { entities: [] };\n`);
  const run = cli(["generate", "--days", "1", "--stores", "1", "--products", "6"], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toBe(
    "retail-mds: generate: <tmp>: holds more than one config file (retail-mds.config.ts, retail-mds.config.mjs): keep one, merging the others into it",
  );
  expect(readdirSync(dir).sort()).toEqual(["retail-mds.config.mjs", "retail-mds.config.ts"]);
});

test("init again after renaming its config to .ts (docs/add-an-entity.md) writes no second config", () => {
  const dir = tempDir("init-renamed-config");
  expect(cli(["init", "."], { cwd: dir, dir }).code).toBe(0);
  renameSync(join(dir, "retail-mds.config.mjs"), join(dir, "retail-mds.config.ts"));
  for (const args of [
    ["init", "."],
    ["init", ".", "--force"],
  ]) {
    const run = cli(args, { cwd: dir, dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("retail-mds.config.ts");
    expect(readdirSync(dir).filter((f) => f.startsWith("retail-mds.config"))).toEqual([
      "retail-mds.config.ts",
    ]);
  }
});
