import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { DEFECT_KINDS } from "../../src/generators/index.js";

const root = join(import.meta.dirname, "../..");

function cli(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "generate", ...args],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr.trim() };
}

test("bad options exit 2 with a message naming the option, and write nothing", () => {
  const base = mkdtempSync(join(tmpdir(), "gen-bad-"));
  const out = join(base, "lake");
  const file = join(base, "a-file");
  writeFileSync(file, "x");
  const errors = [
    ["--days", "0"],
    ["--format", "xml"],
    ["--defects", "1.5"],
    ["--stores", "abc"],
    ["--from", "2026-13-01"],
    ["--traffic", "0"],
    ["--colour", "red"],
  ].map((args) => {
    const run = cli(...args, "--out", out);
    expect(run.code).toBe(2);
    return run.stderr.split("\n")[0];
  });
  expect(errors).toMatchInlineSnapshot(`
    [
      "retail-mds: --days must be a whole number from 1 to 3660; got "0"",
      "retail-mds: generate: --format must be one of parquet, csv, ndjson; got "xml"",
      "retail-mds: --defects must be a number from 0 up to 1; got "1.5"",
      "retail-mds: --stores must be a whole number from 1 to 999; got "abc"",
      "retail-mds: --from must be a date YYYY-MM-DD; got "2026-13-01"",
      "retail-mds: --traffic must be a number greater than 0 and up to 100; got "0"",
      "retail-mds: generate: Unknown option '--colour'",
    ]
  `);
  const intoFile = cli("--days", "1", "--out", file);
  expect(intoFile.code).toBe(2);
  expect(intoFile.stderr.replace(base, "<tmp>")).toMatchInlineSnapshot(
    `"retail-mds: --out must be a folder; "<tmp>/a-file" is a file"`,
  );
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(base)).toEqual(["a-file"]);
});

test("generate writes the lake, a legacy feed and its defects manifest; a re-run changes nothing", () => {
  const out = join(mkdtempSync(join(tmpdir(), "gen-ok-")), "lake");
  const args = [
    "--days",
    "1",
    "--stores",
    "3",
    "--products",
    "50",
    "--customers",
    "100",
    "--traffic",
    "0.05",
  ];
  const run = cli(...args, "--format", "ndjson", "--defects", "0.3", "--out", out);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/sale_line\s+[\d,]+/);
  expect(run.stdout).toMatch(/files \d+ \(\d+ new, 0 unchanged\)/);
  const folders = readdirSync(out).sort();
  expect(folders).toEqual([
    "_manifests",
    "customer",
    "legacy",
    "product",
    "sale_line",
    "stock_movement",
    "stock_snapshot",
    "store",
  ]);
  const manifests = readdirSync(join(out, "_manifests"));
  const defectsFile = manifests.find((f) => f.startsWith("defects-")) as string;
  const defects = JSON.parse(readFileSync(join(out, "_manifests", defectsFile), "utf8"));
  expect(defects.defects.length).toBeGreaterThan(50);
  for (const d of defects.defects) expect(DEFECT_KINDS).toContain(d.defect);
  expect(readdirSync(join(out, "legacy"))).toContain("sale_line");

  const again = cli(...args, "--format", "ndjson", "--defects", "0.3", "--out", out);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toMatch(/files \d+ \(0 new, \d+ unchanged\)/);
});
