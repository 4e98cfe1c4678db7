import { expect, test } from "vitest";
import { cliAsync } from "../integrity/run-cli.js";

const base = [
  "--account",
  "retaillake",
  "--container",
  "lake",
  "--queue-url",
  "https://retaillake.queue.core.windows.net/events",
  "--tenant",
  "11111111-2222-3333-4444-555555555555",
];

// An asynchronous child (not spawnSync, not npx): four runs in a row must not block the worker.
function cli(args: string[], env: Record<string, string> = {}) {
  return cliAsync(["ddl", ...args], { env });
}

test("retail-mds ddl prints the whole plan", async () => {
  const r = await cli([...base, "--format", "csv"]);
  expect(r.code).toBe(0);
  expect(r.stdout.split(";\n\n")).toHaveLength(68);
  expect(r.stdout).toContain("CREATE PIPE IF NOT EXISTS RETAIL.RAW.SALE_LINE_PIPE");
  expect(r.stdout).toContain("FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_CSV')");
});

test("bad options exit 2 naming the option", async () => {
  const results = await Promise.all([
    cli(["--account", "retaillake"]),
    cli([...base, "--format", "orc"]),
    cli([...base.slice(0, 6), "--tenant", "nope"]),
    cli([...base, "--apply"], {
      SNOWFLAKE_ACCOUNT: "",
      SNOWFLAKE_USER: "",
      SNOWFLAKE_PASSWORD: "",
    }),
  ]);
  expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2]);
  expect(results.map((r) => r.stderr.split("\n")[0])).toMatchInlineSnapshot(`
    [
      "retail-mds: ddl: --container is required (or azure.container in the config)",
      "retail-mds: ddl: --format must be one of parquet, csv, ndjson; got "orc"",
      "retail-mds: ddl: --tenant: storage integration "RETAIL_LAKE" (AZURE_TENANT_ID): AZURE_TENANT_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got "nope"",
      "retail-mds: ddl --apply: connection (SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER): set SNOWFLAKE_ACCOUNT and SNOWFLAKE_USER",
    ]
  `);
});

test("ddl --apply through fakesnow stops at the first statement it cannot run, secrets redacted", async () => {
  const { startFakeSnow } = await import("../support/fakesnow.js");
  const fake = await startFakeSnow();
  try {
    // fakesnow has no roles: the plan's first statement fails, and nothing after it runs.
    const r = await cli([...base, "--apply"], {
      ...fake.env,
      SNOWFLAKE_PASSWORD: "sekret-pass-123",
    });
    expect(r.code).toBe(1);
    const lines = r.stderr
      .split("\n")
      .filter((l) => !/AWS|node >=22|a\.co|trace-warnings|January|^$/.test(l));
    expect(lines[0]).toMatch(/^retail-mds ddl: statement 1 failed: /);
    expect(r.stderr).toContain("CREATE ROLE IF NOT EXISTS RETAIL_LOADER");
    expect(r.stderr).not.toContain("sekret-pass-123");
  } finally {
    await fake.stop();
  }
});

// `--refresh-modified-after` sets the MODIFIED_AFTER of the REFRESH that follows a recreated
// pipe; without `--recreate-pipes` there is no such REFRESH, and the value (even "yesterday")
// was dropped with exit 0: with --apply, a user expecting recent files refreshed got nothing.
test("--refresh-modified-after without --recreate-pipes exits 2 naming both, printing no plan", async () => {
  const [alone, bad] = await Promise.all([
    cli([...base, "--refresh-modified-after", "2026-11-20T00:00:00Z"]),
    cli([...base, "--refresh-modified-after", "yesterday"]),
  ]);
  expect([alone.code, bad.code]).toEqual([2, 2]);
  expect(alone.stdout).toBe("");
  expect(alone.stderr).toBe(
    "retail-mds: ddl: --refresh-modified-after: snowpipe config (refreshModifiedAfter): only the REFRESH after a recreated pipe takes MODIFIED_AFTER: recreate one too (--recreate-pipes <entities>, recreatePipes)",
  );
});
