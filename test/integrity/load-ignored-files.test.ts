import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { store } from "../../src/entities/index.js";
import { createLakeWriter, localStore } from "../../src/lake/index.js";
import { stores } from "../lake/fixtures.js";
import { cli, tempDir } from "./run-cli.js";

// Tried as a user from the tarball: a data file under a name the pipe does not take
// (`store/store [1]?.parquet`, copied in by hand) was only counted in "N ignored": load never
// said which file it left out. It now names it; the lake's own bookkeeping (_manifests/...) and
// dot-named temporary files stay quiet.

test("load names each file it ignores, except the lake's bookkeeping and temporary files", async () => {
  const dir = tempDir("load-ignored");
  const lake = join(dir, "lake");
  const writer = createLakeWriter({ store: localStore(lake), format: "parquet" });
  const window = { from: "2026-11-01T00:00:00Z", to: "2026-11-01T00:00:00Z" };
  await writer.write({ entity: store, window, records: stores });
  const { files } = await writer.close();
  const landed = join(lake, (files[0] as { path: string }).path);
  copyFileSync(landed, join(lake, "store", "store [1]?.parquet"));
  writeFileSync(join(lake, "store", ".store-x.parquet.tmp"), "partial");
  mkdirSync(join(lake, "notes"));
  writeFileSync(join(lake, "notes", "README.txt"), "who put this here");
  const run = cli(["load", "--lake", "lake", "--database", "w.duckdb"], { cwd: dir, dir });
  expect(run.code).toBe(0);
  const notLoaded = run.stdout.split("\n").filter((l) => l.startsWith("not loaded"));
  expect(notLoaded).toMatchInlineSnapshot(`
    [
      "not loaded   notes/README.txt: not a lake file name (<entity>/[dt=.../[hour=.../]]<entity>-<window>-<seq>.<ext>, or legacy_raw/<layout>/<file>), so no pipe loads it",
      "not loaded   store/store [1]?.parquet: not a lake file name (<entity>/[dt=.../[hour=.../]]<entity>-<window>-<seq>.<ext>, or legacy_raw/<layout>/<file>), so no pipe loads it",
    ]
  `);
  expect(run.stdout).toMatch(/1 loaded, .* 3 ignored;/);
});
