import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { cliAsync, inOrder, root, tempDir } from "./run-cli.js";

// Issue 12 #7: bad input is exit 2 with a message naming the option and what is allowed, before
// anything is written; an operational failure is one line, its stack trace only on request.

test("demo --from 2026-02-30 exits 2 before writing anything", async () => {
  const dir = tempDir("demo-from");
  const run = await cliAsync(
    [
      "demo",
      "--from",
      "2026-02-30",
      "--days",
      "1",
      "--stores",
      "1",
      "--products",
      "5",
      "--skip-dbt",
    ],
    { cwd: dir, dir },
  );
  expect(run.code).toBe(2);
  expect(run.stderr).toMatchInlineSnapshot(
    `"retail-mds: --from: expected an ISO date like "2026-11-01"; got "2026-02-30""`,
  );
  expect(readdirSync(dir)).toEqual([]);
});

test("load --lake <a file> exits 2 and creates no database", async () => {
  const dir = tempDir("load-lake-file");
  writeFileSync(join(dir, "a-file"), "x");
  const run = await cliAsync(["load", "--lake", "a-file", "--database", "w.duckdb"], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatchInlineSnapshot(
    `"retail-mds: --lake must be a folder; "a-file" is a file"`,
  );
  expect(readdirSync(dir)).toEqual(["a-file"]);
});

test("demo --lake <a file> exits 2 and creates no database", async () => {
  const dir = tempDir("demo-lake-file");
  writeFileSync(join(dir, "a-file"), "x");
  const run = await cliAsync(["demo", "--lake", "a-file", "--days", "1", "--skip-dbt"], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatchInlineSnapshot(
    `"retail-mds: --lake must be a folder; "a-file" is a file"`,
  );
  expect(readdirSync(dir)).toEqual(["a-file"]);
});

test("load --database '', '.', ':memory:' and <a file>/x exit 2 and create nothing", async () => {
  const dir = tempDir("load-database");
  mkdirSync(join(dir, "lake"));
  writeFileSync(join(dir, "a-file"), "x");
  const messages = await inOrder(["", ".", ":memory:", "a-file/w.duckdb"], async (database) => {
    const run = await cliAsync(["load", "--lake", "lake", "--database", database], {
      cwd: dir,
      dir,
    });
    expect(run.code).toBe(2);
    return run.stderr;
  });
  expect(messages).toMatchInlineSnapshot(`
    [
      "retail-mds: --database must name a DuckDB file; got """,
      "retail-mds: --database must name a DuckDB file; "." is a folder",
      "retail-mds: --database must name a DuckDB file; ":memory:" is DuckDB's in-memory database, lost when the command ends",
      "retail-mds: --database must name a DuckDB file; "a-file/w.duckdb" is inside "<tmp>/a-file", a file",
    ]
  `);
  expect(readdirSync(dir).sort()).toEqual(["a-file", "lake"]);
  expect(readdirSync(join(dir, "lake"))).toEqual([]);
});

test("generate --out <a file>/sub exits 2", async () => {
  const dir = tempDir("generate-out");
  writeFileSync(join(dir, "a-file"), "x");
  const run = await cliAsync(["generate", "--days", "1", "--out", "a-file/sub"], { cwd: dir, dir });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatchInlineSnapshot(
    `"retail-mds: --out must be a folder; "a-file/sub" is inside "<tmp>/a-file", a file"`,
  );
  expect(readFileSync(join(dir, "a-file"), "utf8")).toBe("x");
});

test("dbt-sources --out '' (or a folder) exits 2 and writes nothing", async () => {
  const dir = tempDir("dbt-sources-out");
  mkdirSync(join(dir, "models"));
  const messages = await inOrder(["", "models"], async (out) => {
    const run = await cliAsync(["dbt-sources", "--out", out], { cwd: dir, dir });
    expect(run.code).toBe(2);
    return run.stderr;
  });
  expect(messages).toMatchInlineSnapshot(`
    [
      "retail-mds: --out must name a YAML file; got """,
      "retail-mds: --out must name a YAML file; "models" is a folder",
    ]
  `);
  expect(readdirSync(dir)).toEqual(["models"]);
  expect(readdirSync(join(dir, "models"))).toEqual([]);
});

test("a locked warehouse is one line saying what to do; the stack trace only with --verbose or DEBUG", async () => {
  const dir = tempDir("locked");
  const lake = join(dir, "lake");
  mkdirSync(lake);
  const database = join(dir, "w.duckdb");
  // A second process holding the DuckDB file, as a running demo or dbt does.
  const holder = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { DuckDBInstance } = await import("@duckdb/node-api");
       await DuckDBInstance.create(process.argv[1]); console.log("ready"); setInterval(() => {}, 1000);`,
      database,
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    await new Promise<void>((ready, fail) => {
      holder.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && ready());
      holder.on("exit", (code) => fail(new Error(`the lock holder exited with ${code}`)));
    });
    const plain = await cliAsync(["load", "--lake", lake, "--database", database], { dir });
    expect(plain.code).toBe(1);
    expect(plain.stderr.replace(/PID \d+/, "PID <pid>")).toMatchInlineSnapshot(
      `"retail-mds: the warehouse <tmp>/w.duckdb is locked by another process (PID <pid>): DuckDB lets one process at a time write a file; wait for it (a load, demo or dbt build) to end, or stop it, then run again"`,
    );
    for (const verbose of [
      await cliAsync(["load", "--lake", lake, "--database", database, "--verbose"], { dir }),
      await cliAsync(["load", "--lake", lake, "--database", database], {
        dir,
        env: { DEBUG: "retail-mds" },
      }),
    ]) {
      expect(verbose.code).toBe(1);
      expect(verbose.stderr.split("\n")[0]).toBe(plain.stderr);
      expect(verbose.stderr).toMatch(/\n\s+at openLocalPipe \(/);
    }
  } finally {
    holder.kill();
  }
});

test("--version prints the package's version", async () => {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const run = await cliAsync(["--version"]);
  expect(run).toEqual({ code: 0, stdout: version, stderr: "" });
  expect(existsSync(join(root, "package.json"))).toBe(true);
});

test("an unexpected error is one line pointing at --verbose; DEBUG follows the debug convention", async () => {
  const { renderError, debugEnabled } = await import("../../src/cli/render-error.js");
  const bug = new TypeError("cannot read properties of undefined (reading 'rows')");
  expect(renderError(bug, false)).toMatchInlineSnapshot(`
    {
      "exitCode": 1,
      "text": "retail-mds: cannot read properties of undefined (reading 'rows') (run again with --verbose for the stack trace)",
    }
  `);
  const verbose = renderError(new Error("outer", { cause: bug }), true);
  expect(verbose.text).toMatch(/^retail-mds: outer\n\s+at .*\ncaused by TypeError: cannot read/s);
  expect(
    ["retail-mds", "*", "1", "express,retail-mds:*", "-retail-mds,*", "express", ""].map(
      debugEnabled,
    ),
  ).toEqual([true, true, true, true, false, false, false]);
});
