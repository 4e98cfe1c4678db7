import { expect, test } from "vitest";
import { cli, tempDir } from "./run-cli.js";

// The first thing a new user does after `demo`: run it again with other sizes on the same lake.
// Lake files are immutable, so that fails; the one line must say what to do about it.

test("generate with other sizes on a landed lake fails in one line saying how to go on", () => {
  const dir = tempDir("rerun-other-size");
  const small = ["generate", "--days", "1", "--stores", "1", "--out", "lake"];
  expect(cli([...small, "--products", "6"], { cwd: dir, dir }).code).toBe(0);
  const other = cli([...small, "--products", "7"], { cwd: dir, dir });
  expect(other.code).toBe(1);
  const lastLine = other.stderr.split("\n").at(-1) ?? "";
  expect(lastLine).toMatch(
    /^retail-mds: lake write to .* immutable: a different file already exists there/,
  );
  expect(lastLine).toMatch(
    /lake files are never overwritten: write a run with another seed, size or config to another lake folder \(--out, --lake, lake\.path\), or remove this one$/,
  );
});
