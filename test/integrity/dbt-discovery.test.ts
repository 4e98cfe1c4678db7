import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, test } from "vitest";
import * as warehouse from "../../src/warehouse/index.js";
import { cli, tempDir } from "./run-cli.js";

// Issue 12 #8: without --skip-dbt, a dbt that cannot run is a failure (exit 1) saying how to fix
// it; dbt is found as users expect; two builds in one folder keep their own logs.

/** An executable standing in for dbt: prints what it was given, as dbt's last line would. */
function fakeDbt(path: string, text = "fake"): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `#!/bin/sh\necho "${text} $*"\necho "db=$RETAIL_MDS_DUCKDB"\nsleep 0.3\necho "Done. PASS=1 WARN=0 ERROR=0 SKIP=0 TOTAL=1"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

function project(dir: string): string {
  mkdirSync(join(dir, "dbt"), { recursive: true });
  writeFileSync(join(dir, "dbt", "dbt_project.yml"), "name: p\n");
  return join(dir, "dbt");
}

// No dbt anywhere: PATH holds node only, no RETAIL_MDS_DBT_BIN, no .venv in the folder.
const noDbt = { PATH: dirname(process.execPath), RETAIL_MDS_DBT_BIN: "" };

test("demo without a dbt exits 1 before writing anything, saying how to fix it", () => {
  const dir = tempDir("demo-no-dbt");
  project(dir);
  const args = ["demo", "--days", "1", "--stores", "2", "--products", "30"];
  const run = cli(args, { cwd: dir, dir, env: noDbt });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatchInlineSnapshot(
    `"retail-mds: dbt not found: not on PATH, no RETAIL_MDS_DBT_BIN, nor in <tmp>/.venv/bin; install it (\`make setup\` in this repository, or \`pip install dbt-duckdb\`), or point --dbt-bin or RETAIL_MDS_DBT_BIN at it, or run with --skip-dbt"`,
  );
  expect(readdirSync(dir)).toEqual(["dbt"]);
  const missing = cli([...args, "--dbt-bin", "nowhere/dbt"], { cwd: dir, dir, env: noDbt });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatchInlineSnapshot(
    `"retail-mds: dbt not found at <tmp>/nowhere/dbt (given by --dbt-bin): point it at dbt (the dbt-duckdb install), or run with --skip-dbt"`,
  );
});

test("demo without a dbt project exits 1 before writing anything", () => {
  const dir = tempDir("demo-no-project");
  const dbt = fakeDbt(join(dir, "bin", "dbt"));
  const run = cli(["demo", "--days", "1", "--dbt", "missing", "--dbt-bin", dbt], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatchInlineSnapshot(
    `"retail-mds: no dbt project at <tmp>/missing (no dbt_project.yml): pass --dbt <the folder holding dbt_project.yml>, or run with --skip-dbt"`,
  );
  expect(readdirSync(dir)).toEqual(["bin"]);
});

test("dbt is found from --dbt-bin, then RETAIL_MDS_DBT_BIN, then PATH, then the project's .venv", () => {
  const dir = tempDir("dbt-find");
  const projectDir = project(dir);
  const given = fakeDbt(join(dir, "given", "dbt"));
  const fromEnv = fakeDbt(join(dir, "env", "dbt"));
  const onPath = fakeDbt(join(dir, "path", "dbt"));
  const venv = fakeDbt(join(dir, ".venv", "bin", "dbt"));
  const find = (dbt: string | undefined, env: Record<string, string>) =>
    warehouse.findDbt({ projectDir, cwd: dir, env, ...(dbt ? { dbt } : {}) });
  const path = `${join(dir, "nothing")}:${dirname(onPath)}`;
  expect(find(given, { RETAIL_MDS_DBT_BIN: fromEnv, PATH: path })).toEqual({
    path: given,
    via: "--dbt-bin",
  });
  expect(find(undefined, { RETAIL_MDS_DBT_BIN: fromEnv, PATH: path })).toEqual({
    path: fromEnv,
    via: "RETAIL_MDS_DBT_BIN",
  });
  expect(find(undefined, { PATH: path })).toEqual({ path: onPath, via: "PATH" });
  expect(find(undefined, { PATH: "" })).toEqual({ path: venv, via: "the project's .venv" });
});

test("two builds in one folder each keep their own dbt log", async () => {
  const dir = tempDir("dbt-logs");
  const projectDir = project(dir);
  const logs = join(dir, "warehouse");
  const builds = await Promise.all(
    ["first", "second"].map((name) =>
      warehouse.runDbtBuild({
        database: join(dir, `${name}.duckdb`),
        projectDir,
        dbt: fakeDbt(join(dir, name, "dbt"), name),
        logDir: logs,
      }),
    ),
  );
  expect(builds.map((b) => b.ok)).toEqual([true, true]);
  expect(new Set(builds.map((b) => b.logFile)).size).toBe(2);
  for (const [i, name] of ["first", "second"].entries()) {
    const text = readFileSync(builds[i]?.logFile as string, "utf8");
    expect(text).toContain(`${name} build`);
    expect(text).toContain(`db=${join(dir, `${name}.duckdb`)}`);
    // dbt's own target/ and logs/ go beside the log, not into the shared project.
    expect(text).toContain(`--target-path ${join(logs, "dbt-target")}`);
  }
  expect(readdirSync(projectDir)).toEqual(["dbt_project.yml"]);
});
