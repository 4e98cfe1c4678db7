import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { expect, test } from "vitest";
import { lakeSource } from "../../src/warehouse/lake-source.js";
import {
  csvOf,
  saleLinePath,
  saleLines,
  tempFolder,
  writeBytes,
} from "../warehouse/lake-fixture.js";

// Found by the audit (left by session 7): the pipe hashes a local lake file, DuckDB reads it again,
// and before committing the pipe asks the file whether it changed in between. That check compared
// inode, size, mtime and ctime only, so bytes rewritten in place with none of those moving went in
// under the hash of the bytes before. Here the rewrite is a store through a shared memory mapping
// (a real Python process): the kernel set the file's times when the page was first written, and
// not at later stores to it, the state a file on a filesystem with coarse timestamps (FAT's 2 s,
// HFS+'s 1 s, a kernel without fine-grained ctime) is in after a rewrite within one tick.
const python = resolve(".venv/bin/python");

const WRITER = `
import mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 0)
m[0:1] = m[0:1]  # the one store that faults: the page is now writable, the file's times set
print("ready", flush=True)
sys.stdin.readline()
at, new = int(sys.argv[2]), sys.argv[3].encode()
m[at:at + len(new)] = new  # no fault, no time update: the bytes change, the metadata does not
print("done", flush=True)
sys.stdin.readline()
`;

/** A process holding `file` mapped; `rewrite()` stores `text` at byte `at` through the mapping. */
async function mappedWriter(file: string, at: number, text: string) {
  const child: ChildProcessWithoutNullStreams = spawn(python, [
    "-c",
    WRITER,
    file,
    String(at),
    text,
  ]);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (expected: string) => expect((await lines.next()).value).toBe(expected);
  await next("ready");
  return {
    rewrite: async () => {
      child.stdin.write("\n");
      await next("done");
    },
    close: () => {
      child.stdin.end("\n");
      return new Promise((done) => child.once("exit", done));
    },
  };
}

const version = (file: string) => {
  const s = statSync(file);
  return [s.ino, s.size, s.mtimeMs, s.ctimeMs];
};
const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

test("a local lake file rewritten in place with the same inode, size and times after its hash is seen as changed", async () => {
  const lake = tempFolder("rewritten-in-place");
  const path = saleLinePath(1, "csv");
  const text = csvOf(saleLines(3));
  const file = writeBytes(lake, path, text);
  // Quantity 2 becomes 9 on the first data row: same size, other rows.
  const at = text.indexOf(",2,1.50,");
  const writer = await mappedWriter(file, at, ",9,1.50,");
  try {
    const staged = await lakeSource(lake).stage(path);
    expect(staged?.contentHash).toBe(sha256(file));
    const before = version(file);
    await writer.rewrite();
    // The premise: what the stat check compares did not move, the bytes did.
    expect(version(file)).toEqual(before);
    expect(sha256(file)).not.toBe(staged?.contentHash);
    expect(await staged?.changed()).toBe(true);
  } finally {
    await writer.close();
  }
});

test("a file written just before its hash and left alone is not changed: its second hash agrees", async () => {
  const lake = tempFolder("rewritten-in-place");
  const path = saleLinePath(1, "csv");
  writeBytes(lake, path, csvOf(saleLines(3)));
  const staged = await lakeSource(lake).stage(path);
  expect(await staged?.changed()).toBe(false);
});
