import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { saleLine } from "../../src/entities/index.js";
import { DEFECT_KINDS, type DefectEntry, parseTextRow } from "../../src/generators/index.js";
import { csvRows } from "../../src/lake/index.js";

const root = join(import.meta.dirname, "../..");

// Asynchronous: a synchronous test of several spawnSync runs blocks its worker for a minute
// under load, past vitest's RPC timeout ("Timeout calling onTaskUpdate").
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "generate", ...args],
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr: stderr.trim() }));
  });
}

test("bad options exit 2 with a message naming the option, and write nothing", async () => {
  const base = mkdtempSync(join(tmpdir(), "gen-bad-"));
  const out = join(base, "lake");
  const file = join(base, "a-file");
  writeFileSync(file, "x");
  const cases = [
    ["--days", "0"],
    ["--format", "xml"],
    ["--defects", "1.5"],
    ["--stores", "abc"],
    ["--from", "2026-13-01"],
    ["--traffic", "0"],
    ["--colour", "red"],
  ];
  const errors: (string | undefined)[] = [];
  for (const args of cases) {
    const run = await cli(...args, "--out", out);
    expect(run.code).toBe(2);
    errors.push(run.stderr.split("\n")[0]);
  }
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
  const intoFile = await cli("--days", "1", "--out", file);
  expect(intoFile.code).toBe(2);
  expect(intoFile.stderr.replace(base, "<tmp>")).toMatchInlineSnapshot(
    `"retail-mds: --out must be a folder; "<tmp>/a-file" is a file"`,
  );
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(base)).toEqual(["a-file"]);
}, 240_000);

test("generate writes the lake, a legacy feed and its defects manifest; a re-run changes nothing", async () => {
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
  const run = await cli(...args, "--format", "ndjson", "--defects", "0.3", "--out", out);
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

  // The manifest's row numbers hold when the legacy files are read back in path order.
  const files = (readdirSync(join(out, "legacy", "sale_line"), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".csv"))
    .sort();
  const rows: Record<string, string | null>[] = [];
  for (const f of files) {
    const [header, ...data] = csvRows(readFileSync(join(out, "legacy", "sale_line", f), "utf8"));
    for (const values of data)
      rows.push(Object.fromEntries((header as string[]).map((h, i) => [h, values[i] ?? null])));
  }
  const declared = defects.defects.filter((d: DefectEntry) => d.entity === "sale_line");
  expect(declared.length).toBeGreaterThan(10);
  for (const d of declared as DefectEntry[]) {
    const row = rows[d.row - 1] as Record<string, string | null>;
    if (d.defect === "duplicate") expect(row).toEqual(rows[d.row - 2]);
    else if (d.defect === "price_bug") expect(row.unit_price).toBe("99999.99");
    else if (d.defect === "late_arrival") expect(row.transaction_id).toBe(d.key.split("|")[0]);
    else if (d.defect === "unknown_store") expect(row.store_id).toMatch(/^S9\d{4}$/);
    else if (d.defect === "unknown_sku") expect(row.sku).toMatch(/^P9\d{5}$/);
    else if (d.defect === "unmarked_return") {
      expect(Number(row.quantity)).toBeLessThan(0);
      expect(Number(row.net_amount)).toBeGreaterThan(0);
    } else {
      const result = saleLine.check(parseTextRow(saleLine, row));
      expect(result.ok ? undefined : result.error.field).toBe(d.column);
    }
  }

  const again = await cli(...args, "--format", "ndjson", "--defects", "0.3", "--out", out);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toMatch(/files \d+ \(0 new, \d+ unchanged\)/);
}, 240_000);

// Found by the audit: `load`, `quality` and `legacy land` take the lake as `--lake`, and
// `generate --lake ./lake` (the first command a team types) exited 2 "Unknown option '--lake'".
test("generate takes the lake folder as --lake too, as load and quality name it; --lake and --out naming two folders exit 2", async () => {
  const base = mkdtempSync(join(tmpdir(), "gen-lake-"));
  const lake = join(base, "lake");
  const small = ["--days", "1", "--stores", "1", "--products", "5", "--format", "csv"];
  const run = await cli(...small, "--lake", lake);
  expect(run.code).toBe(0);
  expect(readdirSync(lake)).toContain("sale_line");
  const both = await cli(...small, "--lake", lake, "--out", join(base, "other"));
  expect(both.code).toBe(2);
  expect(both.stderr.replaceAll(base, "<tmp>")).toMatchInlineSnapshot(
    `"retail-mds: generate: --lake and --out name one folder (--lake is --out as load and quality name it); got "<tmp>/lake" and "<tmp>/other": give one"`,
  );
  expect(existsSync(join(base, "other"))).toBe(false);
}, 240_000);
