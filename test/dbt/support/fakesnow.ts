// A fakesnow server of its own (random port) for a test, and a command runner.
import { type ChildProcess, spawn } from "node:child_process";
import { python, spawnFakesnow } from "../../support/fakesnow-process.js";

export { python };

/** `python -m fakesnow -s`: the plain server dbt-snowflake talks to; kill `server` to stop it. */
export async function startFakesnow(): Promise<{ port: number; server: ChildProcess }> {
  const { child, port } = await spawnFakesnow(
    ["-m", "fakesnow", "-s"],
    /Uvicorn running on http:\/\/(?<host>127\.0\.0\.1):(?<port>\d+)/,
    "ignore",
  );
  return { port, server: child };
}

export function run(
  command: string,
  args: readonly string[],
): Promise<{ code: number; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      output += c.toString("utf8");
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, output }));
  });
}
