import { afterEach, expect, test } from "vitest";
import { closedPort, type LoginServer, startLoginServer } from "../support/fake-snowflake-login.js";
import { ddlApply } from "./run-cli.js";

// Issue 12 #10: `ddl --apply` against an unreachable host printed nothing for 191 s. The
// connection is bounded (--connect-timeout, SNOWFLAKE_CONNECT_TIMEOUT) and the failure names
// what was unreachable.

const servers: LoginServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The exit code and the whole of stderr (one line is the promise), the port masked. */
async function apply(port: number, args: string[], env: Record<string, string> = {}) {
  const run = await ddlApply(port, args, { env });
  return { code: run.code, error: run.stderr.trim().replace(`:${port}`, ":<port>") };
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
      "error": "retail-mds: cannot connect to Snowflake at http://127.0.0.1:<port> (account acct): no answer within 2 s; check SNOWFLAKE_ACCOUNT (or SNOWFLAKE_HOST, SNOWFLAKE_PORT) and that this machine reaches it, or allow longer with --connect-timeout <seconds> (SNOWFLAKE_CONNECT_TIMEOUT)",
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
