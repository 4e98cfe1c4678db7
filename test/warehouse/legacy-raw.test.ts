import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import { localStore } from "../../src/lake/index.js";
import {
  createLayoutFeedWriter,
  defineLegacyLayout,
  encodeText,
  type LegacyLayout,
  rawLegacyLines,
  writeLegacyFile,
} from "../../src/legacy/index.js";
import { openLocalPipe, PipeError } from "../../src/warehouse/index.js";
import { clash } from "../fixtures/legacy-clash-entity.js";
import { tempFolder } from "./lake-fixture.js";
import { runLoad } from "./run-load.js";

// Issue 14 (b), LEGACY.md section 2: files landed under legacy_raw/<layout>/ load into
// raw.legacy_<layout>, one row per physical line, with every other file's identity rules.

const TABLE = "raw.legacy_pos_fr_sale_line";

/** A day of one store's sales through the French POS layout, with its defects, as the generator lands it. */
async function landPosFr(lake: string): Promise<string[]> {
  const sim = createRetailSimulation({
    seed: 3,
    from: "2026-11-02",
    days: 1,
    stores: 1,
    products: 20,
    traffic: 0.05,
  });
  const writer = createLayoutFeedWriter(localStore(lake), posFr, { seed: 3, rate: 0.1 });
  for (const batch of sim.generate({ batchSize: 500 })) await writer.write(batch);
  const { files } = await writer.close();
  expect(files.length).toBeGreaterThan(1);
  return [...files];
}

const lakeFile = (lake: string, path: string) => join(lake, ...path.split("/"));

/** What raw.legacy_<layout> must hold for a file: rawLegacyLines of its bytes, path and line number. */
const expectedRows = (layout: LegacyLayout, lake: string, path: string) =>
  rawLegacyLines(layout, readFileSync(lakeFile(lake, path))).lines.map((l) => ({
    line_text: l.text,
    _source_file: path,
    _source_row: l.line,
  }));

const rowsOf = (pipe: Awaited<ReturnType<typeof openLocalPipe>>, table = TABLE) =>
  pipe.query(
    `select line_text, _source_file, _source_row::INTEGER as _source_row from ${table} order by _source_file, _source_row`,
  );

test("French POS files land and load once, one RAW row per physical line; the history's counts are the lines", async () => {
  const root = tempFolder("legacy-raw");
  const lake = join(root, "lake");
  const files = await landPosFr(lake);
  // A blank line in the middle of a file is a line too (SKIP_BLANK_LINES = FALSE).
  const [first] = files as [string];
  const bytes = readFileSync(lakeFile(lake, first));
  const at = bytes.indexOf(0x0a) + 1;
  writeFileSync(
    lakeFile(lake, first),
    Buffer.concat([bytes.subarray(0, at), Buffer.from("\r\n"), bytes.subarray(at)]),
  );
  const database = join(root, "wh", "retail.duckdb");
  const pipe = await openLocalPipe({ lake, database, layouts: [posFr] });
  const summary = await pipe.refresh();
  expect(summary.unregistered).toEqual([]);
  expect(summary.files.map((f) => [f.file, f.table, f.status])).toEqual(
    files.map((f) => [f, TABLE, "LOADED"]),
  );
  const expected = files.flatMap((f) => expectedRows(posFr, lake, f));
  expect(await rowsOf(pipe)).toEqual(expected);
  expect(expected.find((r) => r._source_file === first && r._source_row === 2)?.line_text).toBe("");
  // The text really is the Windows-1252 bytes decoded: the header's "N° ticket", "Règlement".
  expect(expected[0]?.line_text).toMatch(/^N° ticket;.*Règlement/);
  // Nothing lost: every file's ROW_COUNT is its number of lines, and they add up to RAW.
  const history = await pipe.copyHistory({ table: "legacy_pos_fr_sale_line" });
  expect(history.map((h) => [h.FILE_NAME, h.ROW_COUNT, h.ROW_PARSED, h.STATUS])).toEqual(
    files.map((f) => {
      const n = expectedRows(posFr, lake, f).length;
      return [f, n, n, "Loaded"];
    }),
  );
  expect(summary.rowsLoaded).toBe(expected.length);
  const [loadedAt] = await pipe.query(
    `select count(distinct _loaded_at)::INTEGER as n, count(*)::INTEGER as rows from ${TABLE} where _loaded_at is not null`,
  );
  expect(loadedAt).toEqual({ n: files.length, rows: expected.length });

  // A second scan loads nothing.
  const again = await pipe.refresh();
  expect([again.loaded, again.alreadyLoaded, again.rowsLoaded]).toEqual([0, files.length, 0]);
  expect(await rowsOf(pipe)).toEqual(expected);
  await pipe.close();
});

test("changed bytes under a loaded path are a CONFLICT, not loaded; reload replaces the rows", async () => {
  const root = tempFolder("legacy-raw");
  const lake = join(root, "lake");
  const [path] = (await landPosFr(lake)) as [string];
  const database = join(root, "wh", "retail.duckdb");
  const pipe = await openLocalPipe({ lake, database, layouts: [posFr] });
  await pipe.refresh();
  const before = expectedRows(posFr, lake, path);
  const fixed = encodeText("N° ticket;corrigé\r\nFIN;0;0,00\r\n", "windows-1252");
  writeFileSync(lakeFile(lake, path), fixed);

  const scan = await pipe.refresh();
  const conflict = scan.files.find((f) => f.file === path);
  expect([conflict?.status, conflict?.rowsLoaded, scan.conflicts]).toEqual(["CONFLICT", 0, 1]);
  expect(conflict?.firstError?.message).toContain("changed after it was loaded");
  expect((await rowsOf(pipe)).filter((r) => r._source_file === path)).toEqual(before);
  // Every later scan says so again.
  expect((await pipe.refresh()).conflicts).toBe(1);

  const reloaded = await pipe.reload(path);
  expect([reloaded.status, reloaded.replaced, reloaded.rowsReplaced, reloaded.rowsLoaded]).toEqual([
    "LOADED",
    true,
    before.length,
    2,
  ]);
  expect((await rowsOf(pipe)).filter((r) => r._source_file === path)).toEqual([
    { line_text: "N° ticket;corrigé", _source_file: path, _source_row: 1 },
    { line_text: "FIN;0;0,00", _source_file: path, _source_row: 2 },
  ]);
  expect((await pipe.refresh()).conflicts).toBe(0);
  await pipe.close();
});

test("a gzip layout's file that is not gzip is LOAD_FAILED (bad_compression), nothing loaded; gzip loads", async () => {
  const gz = defineLegacyLayout({ ...posFr.definition, name: "pos_fr_gz", compression: "gzip" });
  const root = tempFolder("legacy-raw");
  const lake = join(root, "lake");
  const folder = join(lake, "legacy_raw", "pos_fr_gz");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "bad.csv.gz"), writeLegacyFile(posFr, []));
  writeFileSync(join(folder, "good.csv.gz"), writeLegacyFile(gz, []));
  const database = join(root, "wh", "retail.duckdb");
  const pipe = await openLocalPipe({ lake, database, layouts: [gz] });
  const summary = await pipe.refresh();
  expect(summary.files.map((f) => [f.file, f.status, f.rowsLoaded, f.firstError?.message])).toEqual(
    [
      [
        "legacy_raw/pos_fr_gz/bad.csv.gz",
        "LOAD_FAILED",
        0,
        expect.stringMatching(
          /^legacy_raw\/pos_fr_gz\/bad\.csv\.gz: bad_compression: layout pos_fr_gz says gzip; not gzip: /,
        ),
      ],
      ["legacy_raw/pos_fr_gz/good.csv.gz", "LOADED", 2, undefined],
    ],
  );
  expect(summary.failed).toBe(1);
  expect(
    (await rowsOf(pipe, "raw.legacy_pos_fr_gz")).map((r) => [r._source_file, r._source_row]),
  ).toEqual([
    ["legacy_raw/pos_fr_gz/good.csv.gz", 1],
    ["legacy_raw/pos_fr_gz/good.csv.gz", 2],
  ]);
  // Still failed on the next scan, until its bytes change.
  expect((await pipe.refresh()).failed).toBe(1);
  await pipe.close();
});

test("glob characters in the lake path and the file name still load exactly that file", async () => {
  const root = tempFolder("legacy-glob");
  const file = (name: string, ticket: string) => {
    const folder = join(root, name, "legacy_raw", "pos_fr_sale_line");
    mkdirSync(folder, { recursive: true });
    return (leaf: string) =>
      writeFileSync(
        join(folder, leaf),
        encodeText(`N° ticket;${ticket}\r\nFIN;0;0,00\r\n`, "windows-1252"),
      );
  };
  file("lake?", "mine")("caisse[1]*.csv");
  file("lake?", "sibling")("caisse1x.csv");
  file("lakeB", "other lake")("caisse[1]*.csv");
  // Not directly in the layout folder: not the layout's (the Snowflake pipe's PATTERN), ignored.
  mkdirSync(join(root, "lake?", "legacy_raw", "pos_fr_sale_line", "old"));
  writeFileSync(join(root, "lake?", "legacy_raw", "pos_fr_sale_line", "old", "caisse.csv"), "x\n");
  const pipe = await openLocalPipe({
    lake: join(root, "lake?"),
    database: join(root, "wh", "retail.duckdb"),
    layouts: [posFr],
  });
  const summary = await pipe.refresh();
  const texts = new Map<string, string[]>();
  for (const r of await rowsOf(pipe))
    texts.set(String(r._source_file), [
      ...(texts.get(String(r._source_file)) ?? []),
      String(r.line_text),
    ]);
  const dir = "legacy_raw/pos_fr_sale_line";
  expect(Object.fromEntries(texts)).toEqual({
    [`${dir}/caisse[1]*.csv`]: ["N° ticket;mine", "FIN;0;0,00"],
    [`${dir}/caisse1x.csv`]: ["N° ticket;sibling", "FIN;0;0,00"],
  });
  expect(summary.ignored).toEqual(["legacy_raw/pos_fr_sale_line/old/caisse.csv"]);
  expect(summary.files.map((f) => [f.file, f.rowsLoaded]).sort()).toEqual([
    [`${dir}/caisse1x.csv`, 2],
    [`${dir}/caisse[1]*.csv`, 2],
  ]);
  await pipe.close();
});

test("a BlobCreated event for a legacy file loads it; unregistered layouts are pending, never recorded", async () => {
  const root = tempFolder("legacy-raw");
  const lake = join(root, "lake");
  const files = await landPosFr(lake);
  const database = join(root, "wh", "retail.duckdb");
  const without = await openLocalPipe({ lake, database });
  const pending = await without.refresh();
  expect(pending.files).toEqual([]);
  expect(pending.unregisteredLayouts).toEqual([{ layout: "pos_fr_sale_line", files }]);
  // Reloading one of them is refused too: recording it would keep it out once registered.
  await expect(without.reload(files[0] as string)).rejects.toThrow(
    `cannot reload "${files[0]}": layout pos_fr_sale_line is not registered with this pipe (layouts option, or the config's)`,
  );
  expect(await without.copyHistory()).toEqual([]);
  await without.close();

  const pipe = await openLocalPipe({ lake, database, layouts: [posFr] });
  const url = pathToFileURL(lakeFile(lake, files[0] as string)).href;
  const loaded = await pipe.ingest({
    id: "1",
    eventType: "Microsoft.Storage.BlobCreated",
    subject: url,
    eventTime: new Date().toISOString(),
    dataVersion: "1",
    data: { url, contentLength: 1, eTag: "x", api: "PutBlob", blobType: "BlockBlob" },
  } as Parameters<typeof pipe.ingest>[0]);
  expect([loaded?.file, loaded?.status]).toEqual([files[0], "LOADED"]);
  await pipe.close();
});

test("a layout whose table is an entity's RAW table is refused before anything is created", async () => {
  const root = tempFolder("legacy-raw");
  const database = join(root, "wh", "retail.duckdb");
  const open = openLocalPipe({
    lake: join(root, "lake"),
    database,
    entities: [clash],
    layouts: [posFr],
  });
  await expect(open).rejects.toThrow(PipeError);
  await expect(open).rejects.toThrow(
    'layout "pos_fr_sale_line" loads into raw.legacy_pos_fr_sale_line (RAW.LEGACY_POS_FR_SALE_LINE on Snowflake), the RAW table of entity "legacy_pos_fr_sale_line": rename the layout or the entity',
  );
  expect(existsSync(database)).toBe(false);
});

/** A retail-mds.config.ts in `folder` registering the French POS layout (and `extra` keys). */
function writeLayoutConfig(folder: string, extra = ""): string {
  const file = join(folder, "retail-mds.config.ts");
  const src = (path: string) =>
    JSON.stringify(pathToFileURL(join(import.meta.dirname, "../../src", path)).href);
  writeFileSync(
    file,
    `import { defineConfig } from ${src("config/index.ts")};
import { defineLegacyLayout } from ${src("legacy/index.ts")};
export default defineConfig({ layouts: [defineLegacyLayout(${JSON.stringify(posFr.definition)})]${extra} });
`,
  );
  return file;
}

test("retail-mds load: an unregistered layout exits 1 naming it, nothing recorded; the config's layouts load", async () => {
  const root = tempFolder("legacy-cli");
  const lake = join(root, "lake");
  const files = await landPosFr(lake);
  const database = join(root, "wh", "retail.duckdb");
  const empty = join(root, "empty.config.json");
  writeFileSync(empty, "{}");

  const before = await runLoad(["--config", empty, "--lake", lake, "--database", database]);
  expect(before.code).toBe(1);
  expect(before.out).toContain(
    `not registered ${files.length} files of layout pos_fr_sale_line are not registered in retail-mds.config: add the layout to the config's layouts`,
  );
  const untouched = await openLocalPipe({ lake, database });
  expect(await untouched.copyHistory()).toEqual([]);
  await untouched.close();

  const config = writeLayoutConfig(root);
  const after = await runLoad(["--config", config, "--lake", lake, "--database", database]);
  expect(after.code).toBe(0);
  expect(after.out).toContain(`LOADED           ${files[0]}  `);
  expect(after.out).toContain(`${files.length} loaded, 0 partially loaded, 0 failed`);

  // --reload takes a legacy file's path too.
  const reload = await runLoad([
    "--config",
    config,
    "--lake",
    lake,
    "--database",
    database,
    "--reload",
    files[0] as string,
  ]);
  expect(reload.code).toBe(0);
  expect(reload.out).toMatch(/^RELOADED +legacy_raw\/pos_fr_sale_line\/.* rows \(replacing \d+\)/);
});

test("a config whose layout's table is an entity's RAW table is a usage error (exit 2)", async () => {
  const root = tempFolder("legacy-cli");
  const { resolveConfig } = await import("../../src/config/index.js");
  const clash = defineLegacyLayout({ ...posFr.definition, name: "sale_line" });
  // legacy_sale_line is no entity's table: fine.
  expect(resolveConfig({ layouts: [clash] }, { root }).layouts).toHaveLength(1);
  expect(() =>
    resolveConfig({ layouts: [posFr, defineLegacyLayout(posFr.definition)] }, { root }),
  ).toThrow('layouts.1: layout "pos_fr_sale_line" is listed twice');
  const config = writeLayoutConfig(
    root,
    `, entities: [(await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, "../fixtures/legacy-clash-entity.ts")).href)})).clash]`,
  );
  await expect(runLoad(["--config", config, "--lake", join(root, "lake")])).rejects.toThrow(
    /layouts\.0: layout "pos_fr_sale_line" loads into raw\.legacy_pos_fr_sale_line .*the RAW table of entity "legacy_pos_fr_sale_line"/,
  );
});

test("runLocalPipeline's pipe loads the config's layouts (configPipelineOptions passes them)", async () => {
  const { resolveConfig } = await import("../../src/config/index.js");
  const { configPipelineOptions, runLocalPipeline } = await import("../../src/pipeline/index.js");
  const root = tempFolder("legacy-pipeline");
  const lake = join(root, "lake");
  const folder = join(lake, "legacy_raw", "pos_fr_sale_line");
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, "caisse.csv"), writeLegacyFile(posFr, []));
  const options = configPipelineOptions(resolveConfig({ layouts: [posFr] }, { root }));
  expect(options.layouts).toEqual([posFr]);
  const result = await runLocalPipeline({
    ...options,
    lake,
    warehouse: join(root, "warehouse"),
    database: undefined,
    days: 1,
    stores: 1,
    products: 10,
    skipDbt: true,
  });
  const pipe = await openLocalPipe({ lake, database: result.database, layouts: [posFr] });
  expect((await rowsOf(pipe)).map((r) => [r._source_file, r._source_row])).toEqual([
    ["legacy_raw/pos_fr_sale_line/caisse.csv", 1],
    ["legacy_raw/pos_fr_sale_line/caisse.csv", 2],
  ]);
  await pipe.close();
});
