import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  type ConnectionSettings,
  connectionFromEnv,
  SnowflakeExecutor,
} from "../../src/snowflake/index.js";
import { type LoginServer, startLoginServer } from "../support/fake-snowflake-login.js";
import { ddlApply, tempDir } from "./run-cli.js";

// Issue 12 #11: the password was redacted by string match, so one under 4 characters or holding
// `"` or `\` showed in its JSON-escaped form. A login failure's message is now built from what
// the driver's error is (a network code, an HTTP status, a Snowflake error number), never from
// its text: a server echoing the whole login request cannot put the password into a message.

let echoJson: LoginServer;
let echoText: LoginServer;
beforeAll(async () => {
  [echoJson, echoText] = await Promise.all([
    startLoginServer("echo-json"),
    startLoginServer("echo-text"),
  ]);
});
afterAll(async () => {
  await Promise.all([echoJson.close(), echoText.close()]);
});

const settings = (port: number, password: string): ConnectionSettings => ({
  account: "acct",
  username: "loader",
  auth: { kind: "password", password },
  host: "127.0.0.1",
  port,
  protocol: "http",
});

/** The failure message of a login, and anything written to stdout or stderr meanwhile. */
async function loginFailure(port: number, password: string) {
  const written: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    await SnowflakeExecutor.connect(settings(port, password));
    return { message: "connected", written };
  } catch (error) {
    return { message: (error as Error).message.replace(`:${port}`, ":<port>"), written };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

test("for any password, a login failure says the same thing, whatever the server echoes", async () => {
  // The first load of the driver prints the AWS SDK's notice about Node 20 (the CLI turns it off).
  await loginFailure(echoText.port, "warm-up");
  const baseline = {
    json: await loginFailure(echoJson.port, "baseline-password"),
    text: await loginFailure(echoText.port, "baseline-password"),
  };
  expect(baseline.json.message).toMatchInlineSnapshot(
    `"Snowflake refused the login of user "loader" at http://127.0.0.1:<port> (account acct): error 390100 (incorrect username or password); check SNOWFLAKE_USER and SNOWFLAKE_PASSWORD"`,
  );
  expect(baseline.text.message).toMatchInlineSnapshot(
    `"Snowflake at http://127.0.0.1:<port> (account acct) answered the login with HTTP 400; check SNOWFLAKE_ACCOUNT (or SNOWFLAKE_HOST, SNOWFLAKE_PORT) and that this machine reaches it"`,
  );
  const password = fc.oneof(
    fc.string({ minLength: 1, maxLength: 12, unit: "grapheme" }),
    fc.string({
      minLength: 1,
      maxLength: 6,
      unit: fc.constantFrom('"', "\\", "'", "a", "\n", "%", "é", "\u0000"),
    }),
  );
  await fc.assert(
    fc.asyncProperty(password, async (p) => {
      for (const [server, expected] of [
        [echoJson, baseline.json],
        [echoText, baseline.text],
      ] as const) {
        const got = await loginFailure(server.port, p);
        // The password did reach the server, and nothing about it came back.
        expect(server.passwords.at(-1)).toBe(p);
        expect(got.message).toBe(expected.message);
        expect(got.written).toEqual([]);
      }
    }),
    { numRuns: 25 },
  );
}, 300_000);

test("ddl --apply --verbose against an echoing server shows a short password nowhere", async () => {
  const dir = tempDir("secret-cli");
  const password = '"\\§';
  const run = await ddlApply(echoJson.port, ["--verbose"], {
    cwd: dir,
    env: { SNOWFLAKE_PASSWORD: password },
  });
  expect(run.code).toBe(1);
  expect(echoJson.passwords.at(-1)).toBe(password);
  // Every form the password could take: raw, JSON-escaped, URL-encoded; in output and in any
  // file the run left in its folder (the driver's snowflake.log).
  const forms = [password, JSON.stringify(password).slice(1, -1), encodeURIComponent(password)];
  const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8"));
  for (const text of [run.stdout, run.stderr, ...files])
    for (const form of forms) expect(text).not.toContain(form);
  expect(run.stderr).toMatch(/^retail-mds: Snowflake refused the login/m);
});

test("connection settings logged, inspected or serialised show no secret", () => {
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 8 }), (secret) => {
      const shown = (env: Record<string, string>) => {
        const settings = connectionFromEnv({
          SNOWFLAKE_ACCOUNT: "acct",
          SNOWFLAKE_USER: "u",
          ...env,
        });
        return [
          inspect(settings),
          JSON.stringify(settings),
          `${inspect({ nested: { settings } })}`,
        ];
      };
      const views = [
        ...shown({ SNOWFLAKE_PASSWORD: secret }),
        ...shown({ SNOWFLAKE_OAUTH_TOKEN: secret }),
        ...shown({ SNOWFLAKE_PRIVATE_KEY_PATH: "/k.p8", SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: secret }),
      ];
      // The same text whatever the secret: nothing of it is shown.
      const baseline = [
        ...shown({ SNOWFLAKE_PASSWORD: "x" }),
        ...shown({ SNOWFLAKE_OAUTH_TOKEN: "x" }),
        ...shown({ SNOWFLAKE_PRIVATE_KEY_PATH: "/k.p8", SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: "x" }),
      ];
      expect(views).toEqual(baseline);
    }),
    { numRuns: 200 },
  );
  // The secret is still there for the driver.
  const settings = connectionFromEnv({
    SNOWFLAKE_ACCOUNT: "a",
    SNOWFLAKE_USER: "u",
    SNOWFLAKE_PASSWORD: "pw",
  });
  expect(settings.auth).toMatchObject({ kind: "password", password: "pw" });
  expect(inspect(settings)).toMatchInlineSnapshot(`
    "{
      account: 'a',
      username: 'u',
      auth: { kind: 'password', password: '***' }
    }"
  `);
});
