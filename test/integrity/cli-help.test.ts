import { expect, test } from "vitest";
import { cli } from "./run-cli.js";

// `<command> --help` is the reference a user reads: its usage line names the operands the
// command takes, and every option's description starts in the same column.

const usageOf = (args: string[]) => {
  const run = cli(args);
  expect(run.code).toBe(0);
  return run.stdout.split("\n");
};

test.each([
  [["init", "--help"], "usage: retail-mds init [options] [folder]"],
  [["legacy", "check", "--help"], "usage: retail-mds legacy check [options] <inputs...>"],
  [["legacy", "land", "--help"], "usage: retail-mds legacy land [options] <inputs...>"],
  [["legacy", "sniff", "--help"], "usage: retail-mds legacy sniff [options] <file>"],
])("%j prints one usage line naming the operands", (args, usage) => {
  const lines = usageOf(args);
  expect(lines[0]).toBe(usage);
  expect(lines.filter((l) => l.startsWith("usage:"))).toHaveLength(1);
});

test("ddl --help aligns every description, the longest option's too", () => {
  const options = usageOf(["ddl", "--help"]).filter((l) => l.startsWith("  --"));
  const columns = new Set(options.map((l) => /^ {2}--\S+(?: <value>)?\s+/.exec(l)?.[0].length));
  expect(options.some((l) => l.includes("--refresh-modified-after"))).toBe(true);
  expect([...columns]).toHaveLength(1);
});
