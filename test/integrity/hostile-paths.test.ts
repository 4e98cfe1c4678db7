import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { localStore, readLakeFile } from "../../src/lake/index.js";
import { checkLake } from "../../src/quality/index.js";
import { sqlFilePath } from "../../src/warehouse/duckdb-sql.js";
import { collectReportData, openLocalPipe } from "../../src/warehouse/index.js";
import { saleLinePath, tempFolder } from "../warehouse/lake-fixture.js";
import { cli } from "./run-cli.js";
import { writeSaleLineLake } from "./sale-line-lake.js";
import { queryWarehouse } from "./warehouse-query.js";

// Issue 12 item 1: DuckDB expands `*`, `?` and `[...]` inside a quoted file path, so a lake
// whose path holds one read its siblings too. A path must mean exactly that file.

const loadedIds = async (database: string) =>
  (await queryWarehouse(database, "select transaction_id from raw.sale_line order by all")).map(
    (r) => String(r.transaction_id),
  );

test("a lake at x/lake? beside x/lakeB and x/lakeC loads its own rows once (CLI load)", async () => {
  const x = tempFolder("glob-q");
  const ids = await writeSaleLineLake(join(x, "lake?"), 1);
  await writeSaleLineLake(join(x, "lakeB"), 101);
  await writeSaleLineLake(join(x, "lakeC"), 201);
  const database = join(x, "w.duckdb");
  const run = cli(["load", "--lake", join(x, "lake?"), "--database", database]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("5 loaded, 0 partially loaded, 0 failed");
  expect(await loadedIds(database)).toEqual(ids);
});

test("a lake at lake[1] beside lake1 loads lake[1]'s rows, not lake1's (CLI load)", async () => {
  const x = tempFolder("glob-b");
  const ids = await writeSaleLineLake(join(x, "lake[1]"), 1);
  await writeSaleLineLake(join(x, "lake1"), 101);
  const database = join(x, "w.duckdb");
  const run = cli(["load", "--lake", join(x, "lake[1]"), "--database", database]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(await loadedIds(database)).toEqual(ids);
  // The history's hashes are those of the files whose rows were loaded.
  const sources = await queryWarehouse(
    database,
    "select distinct _source_file as f from raw.sale_line order by all",
  );
  expect(sources.map((r) => r.f)).toEqual([1, 2, 3, 4, 5].map((n) => saleLinePathOf(n)));
});

const saleLinePathOf = (n: number) =>
  saleLinePath(n, ["parquet", "parquet", "csv", "csv.gz", "ndjson"][n - 1]);

// Pieces of hostile names: glob characters, quotes, spaces, unicode.
const piece = fc.constantFrom(
  "?",
  "*",
  "**",
  "[1]",
  "[",
  "]",
  "{a,b}",
  "'",
  '"',
  " ",
  "é",
  "日本",
  "a",
  "1",
  "-",
  ".",
);
const hostileName = fc
  .array(piece, { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join(""))
  .filter((name) => name !== "." && name !== "..");

/** Siblings a glob reading of `name` would match (or brace-expand to). */
function decoysOf(name: string): string[] {
  const plain = (q: string, star: string) =>
    name.replaceAll("?", q).replaceAll("*", star).replaceAll("[1]", "1").replaceAll("{a,b}", "a");
  return [...new Set([plain("Q", ""), plain("R", "SS"), plain("-", "x")])].filter(
    (d) => d !== name && d !== "" && d !== "." && d !== "..",
  );
}

let target = "";
let decoy = "";
let targetIds: string[] = [];
beforeAll(async () => {
  const templates = tempFolder("glob-templates");
  target = join(templates, "target");
  decoy = join(templates, "decoy");
  targetIds = await writeSaleLineLake(target, 1);
  await writeSaleLineLake(decoy, 9001);
});

test("property: whatever a lake folder's name holds, the pipe, quality, the reader and the report see exactly its rows once", async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(hostileName, async (name) => {
      const parent = tempFolder(`glob-prop-${run++}`);
      const lake = join(parent, name);
      cpSync(target, lake, { recursive: true });
      for (const d of decoysOf(name)) cpSync(decoy, join(parent, d), { recursive: true });
      const pipe = await openLocalPipe({ lake, database: join(parent, "w.duckdb") });
      try {
        const summary = await pipe.refresh();
        expect(summary.failed).toBe(0);
        expect(summary.rowsLoaded).toBe(targetIds.length);
        const rows = await pipe.query("select transaction_id from raw.sale_line order by all");
        expect(rows.map((r) => String(r.transaction_id))).toEqual(targetIds);
        const report = await collectReportData((sql) => pipe.query(sql));
        expect(report.loadStatus.reduce((n, s) => n + s.rows, 0)).toBe(targetIds.length);
      } finally {
        await pipe.close();
      }
      const quality = await checkLake(localStore(lake), { entity: "sale_line" });
      expect(quality.reports[0]?.input).toBe(targetIds.length);
      const read = await readLakeFile(localStore(lake), saleLinePath(1));
      expect(read.records.map((r) => r.transaction_id)).toEqual(targetIds.slice(0, 2));
    }),
    { numRuns: 12 },
  );
});

let db: DuckDBInstance;
beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:");
});
afterAll(() => db.closeSync());

test("property: sqlFilePath makes read_csv, read_json and read_parquet read exactly the named file, whatever its name", async () => {
  const connection = await db.connect();
  const folder = tempFolder("glob-names");
  const parquet = join(target, ...saleLinePath(1).split("/"));
  let run = 0;
  await fc.assert(
    fc.asyncProperty(hostileName, async (name) => {
      const dir = join(folder, String(run++));
      mkdirSync(dir);
      const write = (file: string, text: string) => {
        writeFileSync(join(dir, `${file}.csv`), `v\n${text}\n`);
        writeFileSync(join(dir, `${file}.ndjson`), `${JSON.stringify({ v: text })}\n`);
        cpSync(parquet, join(dir, `${file}.parquet`));
      };
      write(name, "target");
      for (const d of decoysOf(name)) write(d, "decoy");
      const at = (ext: string) => sqlFilePath(join(dir, `${name}.${ext}`));
      const csv = await connection.runAndReadAll(
        `select v, filename from read_csv(${at("csv")}, header = true, columns = {'v': 'VARCHAR'}, filename = true)`,
      );
      expect(csv.getRowObjectsJson()).toEqual([
        { v: "target", filename: join(dir, `${name}.csv`) },
      ]);
      const json = await connection.runAndReadAll(
        `select v from read_json(${at("ndjson")}, format = 'newline_delimited', columns = {'v': 'VARCHAR'})`,
      );
      expect(json.getRowObjectsJson()).toEqual([{ v: "target" }]);
      const rows = await connection.runAndReadAll(
        `select count(*)::INTEGER as n, count(distinct filename)::INTEGER as files from read_parquet(${at("parquet")})`,
      );
      expect(rows.getRowObjectsJson()).toEqual([{ n: 2, files: 1 }]);
    }),
    { numRuns: 40 },
  );
  connection.closeSync();
});
