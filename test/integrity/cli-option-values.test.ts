import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { cliAsync, inOrder, tempDir } from "./run-cli.js";

// A numeric option given a negative or odd number exits 2 with the project's message naming
// the option and what it allows, before anything is written: Node's parseArgs called "-1"
// "ambiguous" and told the user to write --seed=-XYZ.

test.each([
  [
    ["generate", "--seed", "-1"],
    `retail-mds: --seed must be a whole number from 0 to 4294967295; got "-1"`,
  ],
  [
    ["generate", "--days", "-3"],
    `retail-mds: --days must be a whole number from 1 to 3660; got "-3"`,
  ],
  [
    ["generate", "--seed", "-0"],
    `retail-mds: --seed must be a whole number from 0 to 4294967295; got "-0"`,
  ],
  [
    ["generate", "--traffic", "-0.5"],
    `retail-mds: --traffic must be a number greater than 0 and up to 100; got "-0.5"`,
  ],
  [
    ["generate", "--batch-size", "1e3"],
    `retail-mds: --batch-size must be a whole number from 1 to 1000000; got "1e3"`,
  ],
  [
    ["demo", "--stores", "-2", "--skip-dbt"],
    `retail-mds: --stores must be a whole number from 1 to 999; got "-2"`,
  ],
  [
    ["quality", "--sample-size", "-1"],
    `retail-mds: --sample-size must be a whole number from 0 to 1000; got "-1"`,
  ],
])("%j exits 2 naming the option and its range", async (args, message) => {
  const dir = tempDir("option-values");
  mkdirSync(join(dir, "lake"));
  const run = await cliAsync(args, { cwd: dir, dir });
  expect(run.stderr).toBe(message);
  expect(run.code).toBe(2);
  expect(readdirSync(dir)).toEqual(["lake"]);
  expect(readdirSync(join(dir, "lake"))).toEqual([]);
});

test("a string option followed by another option, or by nothing, names the missing value", async () => {
  const dir = tempDir("option-missing");
  const messages = await inOrder(
    [
      ["generate", "--seed", "--days", "3"],
      ["generate", "--days"],
    ],
    async (args) => {
      const run = await cliAsync(args, { cwd: dir, dir });
      expect(run.code).toBe(2);
      return run.stderr;
    },
  );
  expect(messages).toMatchInlineSnapshot(`
    [
      "retail-mds: generate: --seed needs a value; got "--days". --seed: Random seed, 0-4294967295 (default: config simulation.seed, 42). A value starting with "-" is written --seed=<value>.",
      "retail-mds: generate: --days needs a value; got nothing. --days: Business days to simulate, 1-3660, ending by 9999-12-30 (default: config simulation.days, 7).",
    ]
  `);
  expect(readdirSync(dir)).toEqual([]);
});

test("--help prints no default for a switch that is off unless given", async () => {
  for (const args of [
    ["quality", "--help"],
    ["ddl", "--help"],
    ["legacy", "check", "--help"],
  ]) {
    const run = await cliAsync(args);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("default false");
    expect(run.stdout).toMatch(/\n {2}--json {2,}|\n {2}--apply {2,}/);
  }
  const quality = (await cliAsync(["quality", "--help"])).stdout;
  expect(quality).toContain("(default 10)");
  expect(quality.split("\n").find((l) => l.startsWith("  --json"))).toMatch(
    /^ {2}--json +print the reports as JSON$/,
  );
});

test("a bad path from the config is named by its config key, not by a flag the user never typed", async () => {
  const dir = tempDir("option-config-key");
  mkdirSync(join(dir, "lake"));
  const config = (settings: object) =>
    writeFileSync(join(dir, "retail-mds.config.json"), JSON.stringify(settings));
  config({ warehouse: { database: "./w?/r.duckdb" } });
  const database = await cliAsync(["load"], { cwd: dir, dir });
  config({ lake: { path: "./no-lake" } });
  const lake = await cliAsync(["load"], { cwd: dir, dir });
  expect([database.code, lake.code]).toEqual([2, 2]);
  expect([database.stderr, lake.stderr]).toMatchInlineSnapshot(`
    [
      "retail-mds: warehouse.database of the config (or pass --database): DuckDB cannot keep a database at a path holding "?" ("<tmp>/w?/r.duckdb"): it would write its log at the path cut at the "?" (duckdb/duckdb#13472); choose a path without "?"",
      "retail-mds: lake.path of the config (or pass --lake) must be an existing folder; "<tmp>/no-lake" does not exist",
    ]
  `);
  config({});
  expect((await cliAsync(["load", "--database", "x?/r.duckdb"], { cwd: dir, dir })).stderr).toMatch(
    /^retail-mds: --database: DuckDB cannot keep a database/,
  );
  expect(readdirSync(dir).sort()).toEqual(["lake", "retail-mds.config.json"]);
});

// Found by the audit: the CLI's lake is a folder, but a team whose lake is in Azure gives it the
// URL. `generate --out https://acct.blob.core.windows.net/landing` wrote a local folder named
// "https:" (exit 0), and `load --lake <url>` said the URL "does not exist" as a folder.
test("a URL given as the lake folder exits 2 saying the CLI takes a local folder and where a remote lake is handled, creating nothing", async () => {
  const dir = tempDir("option-url");
  const url = "https://acct.blob.core.windows.net/landing";
  const messages = await inOrder(
    [
      ["generate", "--days", "1", "--out", url],
      ["load", "--lake", url],
      ["quality", "--lake", "azure://acct.blob.core.windows.net/landing/"],
    ],
    async (args) => {
      const run = await cliAsync(args, { cwd: dir, dir });
      expect(run.code).toBe(2);
      return run.stderr;
    },
  );
  expect(messages).toMatchInlineSnapshot(`
    [
      "retail-mds: --out must be a local folder; got the URL "https://acct.blob.core.windows.net/landing": the CLI reads and writes a lake on this machine; a lake in Blob storage or ADLS Gen2 is written by the library's createLakeWriter (or the Azure Function) and loaded by openLocalPipe with blobStore or adlsStore (docs/lake-azure.md), or by Snowpipe",
      "retail-mds: --lake must be a local folder; got the URL "https://acct.blob.core.windows.net/landing": the CLI reads and writes a lake on this machine; a lake in Blob storage or ADLS Gen2 is written by the library's createLakeWriter (or the Azure Function) and loaded by openLocalPipe with blobStore or adlsStore (docs/lake-azure.md), or by Snowpipe",
      "retail-mds: quality: --lake must be a local folder; got the URL "azure://acct.blob.core.windows.net/landing/": the CLI reads and writes a lake on this machine; a lake in Blob storage or ADLS Gen2 is written by the library's createLakeWriter (or the Azure Function) and loaded by openLocalPipe with blobStore or adlsStore (docs/lake-azure.md), or by Snowpipe",
    ]
  `);
  expect(readdirSync(dir)).toEqual([]);
});
