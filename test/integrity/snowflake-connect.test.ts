import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, expect, test } from "vitest";
import { closedPort, type LoginServer, startLoginServer } from "../support/fake-snowflake-login.js";
import { root } from "./run-cli.js";

// Issue 12 #10: `ddl --apply` against an unreachable host printed nothing for 191 s. The
// connection is bounded (--connect-timeout, SNOWFLAKE_CONNECT_TIMEOUT) and the failure names
// what was unreachable.

const plan = [
  "ddl",
  ...[
    "--account",
    "retaillake",
    "--container",
    "lake",
    "--tenant",
    "11111111-2222-3333-4444-555555555555",
  ],
  ...["--queue-url", "https://retaillake.queue.core.windows.net/events", "--apply"],
];

const servers: LoginServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** `retail-mds ddl --apply` against 127.0.0.1:<port>, in a child; resolves when it exits. */
function apply(port: number, args: string[], env: Record<string, string> = {}) {
  const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", tsx, "src/cli/main.ts", ...plan, ...args], {
    cwd: root,
    env: {
      ...process.env,
      SNOWFLAKE_ACCOUNT: "acct",
      SNOWFLAKE_USER: "loader",
      SNOWFLAKE_PASSWORD: "not-the-point",
      SNOWFLAKE_HOST: "127.0.0.1",
      SNOWFLAKE_PORT: String(port),
      SNOWFLAKE_PROTOCOL: "http",
      ...env,
    },
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  // A bound for the test, not a measure: the old code did not exit for minutes.
  const killer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise<{ code: number | null; error: string }>((done) =>
    child.on("exit", (code) => {
      clearTimeout(killer);
      // The driver's own import prints an AWS SDK deprecation notice; the rest is ours.
      const ours = stderr.split("\n").filter((l) => l.startsWith("retail-mds"));
      done({ code, error: ours.join("\n").replace(`:${port}`, ":<port>") });
    }),
  );
}

test("a closed loopback port: exit 1, one line naming the endpoint and the refusal", async () => {
  const run = await apply(await closedPort(), ["--connect-timeout", "20"]);
  expect(run).toMatchInlineSnapshot(`
    {
      "code": 1,
      "error": "retail-mds: cannot reach Snowflake at http://127.0.0.1:<port> (account acct): connection refused (ECONNREFUSED); check SNOWFLAKE_ACCOUNT (or SNOWFLAKE_HOST, SNOWFLAKE_PORT) and that this machine reaches it",
    }
  `);
}, 120_000);

test("a server that accepts and never answers: exit 1 once the connect timeout is over", async () => {
  const silent = await startLoginServer("silent");
  servers.push(silent);
  const run = await apply(silent.port, [], { SNOWFLAKE_CONNECT_TIMEOUT: "2" });
  expect(run).toMatchInlineSnapshot(`
    {
      "code": 1,
      "error": "retail-mds: cannot connect to Snowflake at http://127.0.0.1:<port> (account acct): no answer within 2 s; check SNOWFLAKE_ACCOUNT (or SNOWFLAKE_HOST, SNOWFLAKE_PORT) and the network, or allow longer with --connect-timeout <seconds> (SNOWFLAKE_CONNECT_TIMEOUT)",
    }
  `);
}, 120_000);

test("a bad --connect-timeout is refused up front", async () => {
  const run = await apply(await closedPort(), ["--connect-timeout", "0"]);
  expect(run).toMatchInlineSnapshot(`
    {
      "code": 2,
      "error": "retail-mds: ddl --apply: connection (--connect-timeout): must be a whole number of seconds from 1 to 3600, got "0"",
    }
  `);
}, 120_000);
