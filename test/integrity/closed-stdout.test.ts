import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { cliAsync, cliClosedStdout, tempDir } from "./run-cli.js";
import { queryWarehouse } from "./warehouse-query.js";

// `retail-mds load | head -n 1` (or `| grep -m1 LOAD_FAILED`): the reader exits after its first
// line, the pipe closes and the next write fails with EPIPE. Node raised it as an unhandled
// 'error' event: the load stopped after a few files, with Node's stack trace on stderr and
// exit 1. Output nobody reads is dropped; the load goes on to its end and exits with its code.
test("load whose stdout reader goes away loads every file, prints no stack trace, exits 0", async () => {
  const dir = tempDir("closed-stdout");
  mkdirSync(join(dir, "lake"));
  const generated = await cliAsync(
    ["generate", "--days", "1", "--stores", "1", "--products", "6", "--out", "lake"],
    { cwd: dir, dir },
  );
  expect(generated.code).toBe(0);
  const files = Number(/files (\d+) \(/.exec(generated.stdout)?.[1]);
  expect(files).toBeGreaterThan(10);

  const run = await cliClosedStdout(["load", "--lake", "lake", "--database", "wh/retail.duckdb"], {
    cwd: dir,
    dir,
  });
  expect(run.firstChunk).toMatch(/^LOADED /);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const [history] = await queryWarehouse(
    join(dir, "wh/retail.duckdb"),
    "select count(*)::int as files from pipe.load_history where status = 'LOADED'",
  );
  expect(history?.files).toBe(files);
});
