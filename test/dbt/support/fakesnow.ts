// A fakesnow server of its own (random port) for a test, and a command runner.
import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

export const python = resolve(".venv/bin/python");

export async function startFakesnow(): Promise<{ port: number; server: ChildProcess }> {
  const server = spawn(python, ["-m", "fakesnow", "-s"], { stdio: ["ignore", "pipe", "pipe"] });
  const port = await new Promise<number>((done, fail) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("utf8");
      const match = /Uvicorn running on http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
      if (match) done(Number(match[1]));
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", onData);
    server.on("exit", (code) => fail(new Error(`fakesnow exited with ${code}: ${seen}`)));
  });
  return { port, server };
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
