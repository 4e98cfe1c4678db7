import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const root = join(import.meta.dirname, "../..");
const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

/** A fresh empty folder; its real path, so messages can be compared with it. */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `${prefix}-`)));
}

/**
 * Runs `retail-mds <args>` from the sources, in `cwd` (default: the repository), with DEBUG
 * unset unless given. stderr has `dir` replaced by `<tmp>`, so messages can be snapshotted.
 */
export function cli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; dir?: string } = {},
) {
  const run = spawnSync(process.execPath, cliArgs(args), {
    cwd: options.cwd ?? root,
    encoding: "utf8",
    env: cliEnv(options.env),
    timeout: 120_000,
  });
  return cliResult(run.status, run.stdout, run.stderr, options.dir);
}

/**
 * `cli` as an asynchronous child: a test running several commands in a row does not block its
 * worker (a long chain of spawnSync under load trips vitest's RPC timeout).
 */
export function cliAsync(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; dir?: string } = {},
): Promise<ReturnType<typeof cli>> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, cliArgs(args), {
      cwd: options.cwd ?? root,
      env: cliEnv(options.env),
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", fail);
    child.on("close", (code) => done(cliResult(code, stdout, stderr, options.dir)));
  });
}

/**
 * `cliAsync` whose reader goes away after the first chunk of stdout, as `retail-mds load | head
 * -n 1` does: the pipe is closed, so the child's next write fails with EPIPE.
 */
export function cliClosedStdout(
  args: readonly string[],
  options: { cwd?: string; dir?: string } = {},
): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  firstChunk: string;
  stderr: string;
}> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, cliArgs(args), {
      cwd: options.cwd ?? root,
      env: cliEnv(undefined),
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 120_000,
    });
    let firstChunk = "";
    let stderr = "";
    child.stdout.once("data", (chunk: Buffer) => {
      firstChunk = chunk.toString("utf8");
      child.stdout.destroy();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.on("error", fail);
    child.on("close", (code, signal) => {
      const clean = (text: string) => (options.dir ? text.replaceAll(options.dir, "<tmp>") : text);
      done({ code, signal, firstChunk: clean(firstChunk), stderr: clean(stderr).trim() });
    });
  });
}

/** `items.map(run)`, one after another: CLI runs that must not overlap, without blocking. */
export async function inOrder<T, R>(
  items: readonly T[],
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await run(item));
  return out;
}

const cliArgs = (args: readonly string[]) => [
  "--import",
  tsx,
  join(root, "src/cli/main.ts"),
  ...args,
];

function cliEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...extra };
  if (!extra?.DEBUG) delete env.DEBUG;
  return env;
}

function cliResult(code: number | null, stdout: string, stderr: string, dir?: string) {
  const clean = (text: string) => (dir ? text.replaceAll(dir, "<tmp>") : text).trim();
  return { code, stdout: clean(stdout), stderr: clean(stderr) };
}

/**
 * `retail-mds ddl ... --apply <args>` against a Snowflake on http://127.0.0.1:<port>, in a
 * child run asynchronously (a fake server in this process must answer meanwhile), bounded by a
 * kill after 90 s: the old code did not exit for minutes.
 */
export function ddlApply(
  port: number,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const plan = [
    ...[
      "--account",
      "retaillake",
      "--container",
      "lake",
      "--queue-url",
      "https://retaillake.queue.core.windows.net/events",
    ],
    ...["--tenant", "11111111-2222-3333-4444-555555555555", "--apply"],
  ];
  const child = spawn(
    process.execPath,
    ["--import", tsx, join(root, "src/cli/main.ts"), "ddl", ...plan, ...args],
    {
      cwd: options.cwd ?? root,
      env: {
        ...process.env,
        SNOWFLAKE_ACCOUNT: "acct",
        SNOWFLAKE_USER: "loader",
        SNOWFLAKE_PASSWORD: "not-the-point",
        SNOWFLAKE_HOST: "127.0.0.1",
        SNOWFLAKE_PORT: String(port),
        SNOWFLAKE_PROTOCOL: "http",
        ...options.env,
      },
    },
  );
  const output = { stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output.stderr += chunk.toString();
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((done) =>
    child.on("exit", (code) => {
      clearTimeout(killer);
      done({ code, ...output });
    }),
  );
}
