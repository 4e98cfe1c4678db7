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

// generate reads the project config's `simulation` (a flag wins over it, it wins over the
// built-in default), as demo does; its help said only the built-in default ("(default 20)"), so
// in a project made by `init` (simulation: stores 10, products 500, from 2026-11-02) it named
// values generate does not use.
test("generate --help names the config key each simulation default comes from, as demo --help does", () => {
  const options = usageOf(["generate", "--help"]);
  const line = (name: string) => options.find((l) => l.startsWith(`  --${name} `)) ?? "";
  expect(line("from")).toContain("(default: config simulation.from, 2026-11-01)");
  expect(line("days")).toContain("(default: config simulation.days, 7)");
  expect(line("stores")).toContain("(default: config simulation.stores, 20)");
  expect(line("products")).toContain("(default: config simulation.products, 2000)");
  expect(line("customers")).toContain("(default: config simulation.customers, 300 per store)");
  expect(line("traffic")).toContain("(default: config simulation.traffic, 1)");
  expect(line("seed")).toContain("(default: config simulation.seed, 42)");
  expect(line("batch-size")).toContain("(default: config simulation.batchSize, 10000)");
});
