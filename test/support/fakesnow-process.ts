import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The Python of the project's `.venv`, where requirements.txt installs fakesnow. */
export const python = resolve(".venv/bin/python");

/** A fakesnow process that listens, and where. */
export interface FakesnowProcess {
  readonly child: ChildProcess;
  readonly host: string;
  readonly port: number;
}

/**
 * Starts `.venv/bin/python <args>` (a fakesnow server, one way or another) and resolves once its
 * output (stdout and stderr as they come) matches `listening`, whose groups `host` and `port`
 * say where it listens; rejects with the output's tail if it exits first. Both pipes stay read
 * to the end, so a server that keeps logging never blocks on a full pipe.
 */
export function spawnFakesnow(
  args: readonly string[],
  listening: RegExp,
  stdin: "pipe" | "ignore",
): Promise<FakesnowProcess> {
  if (!existsSync(python))
    throw new Error(`fakesnow needs ${python}: pip install -r requirements.txt into .venv`);
  const child = spawn(python, args, { stdio: [stdin, "pipe", "pipe"] });
  return new Promise((done, fail) => {
    let seen = "";
    let listens = false;
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString("utf8")).slice(-8000);
      const address = listens ? undefined : listening.exec(seen)?.groups;
      if (address?.host && address.port) {
        listens = true;
        done({ child, host: address.host, port: Number(address.port) });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", fail);
    child.once("exit", (code) => fail(new Error(`fakesnow exited with ${code}\n${seen}`)));
  });
}
