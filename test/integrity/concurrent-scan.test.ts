import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { RunManifest } from "../../src/lake/index.js";
import { localStore } from "../../src/lake/index.js";
import { checkLake } from "../../src/quality/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { root, tempDir } from "./run-cli.js";

// Issue 12 item 4: `load` running while `generate` writes crashed on a temp file renamed between
// listing and stat. Scans and quality checks run in a loop while a real `generate` publishes; no
// scan may fail, and once it is done every landed row is in RAW exactly once. The race window is
// a few milliseconds, so this guards the whole path rather than reproducing the crash on demand:
// listing.test.ts deletes files between listing and reading deterministically.

test("load and quality scanning while generate writes: no crash, then every row once", async () => {
  const dir = tempDir("concurrent-scan");
  const lake = join(dir, "lake");
  const generate = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(root, "src/cli/main.ts"),
      "generate",
      ...["--days", "2", "--stores", "3", "--products", "50", "--format", "csv"],
      ...["--batch-size", "200", "--out", lake],
    ],
    { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  generate.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  // generate's progress goes to stderr; it is only shown when generate fails.
  const exited = new Promise<number | null>((resolve) => generate.on("exit", resolve));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const pipe = await openLocalPipe({ lake, database: join(dir, "w.duckdb") });
  try {
    let scans = 0;
    // Bounded: generate takes seconds; the loop ends with it (or after 300 scans).
    while (running && scans < 300) {
      const summary = await pipe.refresh();
      expect(summary.failed).toBe(0);
      await checkLake(localStore(lake), { entity: "sale_line" });
      scans++;
    }
    expect(await exited, stderr).toBe(0);
    expect(scans).toBeGreaterThan(0);
    const final = await pipe.refresh();
    expect(final.failed).toBe(0);

    const manifests = readdirSync(join(lake, "_manifests"));
    expect(manifests).toHaveLength(1);
    const manifest = JSON.parse(
      readFileSync(join(lake, "_manifests", manifests[0] as string), "utf8"),
    ) as RunManifest;
    const expected = new Map<string, number>();
    for (const file of manifest.files.filter((f) => f.feed === "data"))
      expected.set(file.entity, (expected.get(file.entity) ?? 0) + file.rows);
    for (const [entity, rows] of expected) {
      const [counted] = await pipe.query(
        `select count(*)::INTEGER as n, count(distinct (_source_file, _source_row))::INTEGER as once from raw.${entity}`,
      );
      expect({ entity, ...counted }).toEqual({ entity, n: rows, once: rows });
    }
  } finally {
    generate.kill();
    await pipe.close();
  }
});
