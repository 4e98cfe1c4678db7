import { dirname } from "node:path";
import { expect, test } from "vitest";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { type Batch, type Entity, entities } from "../../src/entities/index.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import {
  type Compression,
  createLakeWriter,
  type FileFormat,
  type LakeStore,
  localStore,
  parseLakePath,
} from "../../src/lake/index.js";
import { underRoot } from "../../src/lake/store-prefix.js";
import {
  createLayoutFeedWriter,
  defineLegacyLayout,
  type LegacyLayout,
  legacyRawPath,
} from "../../src/legacy/index.js";
import { lakeQuarantine } from "../../src/quality/index.js";
import { type PipeNode, type StageNode, snowpipePlan } from "../../src/snowflake/index.js";
import { samples } from "../lake/fixtures.js";
import { tempDir } from "../lake/temp-dir.js";

// Snowpipe applies a pipe's PATTERN to the path left after trimming the stage URL and, per the
// CREATE PIPE usage notes, the FROM clause's path too; the same page's first sentence reads as
// if only the stage URL were trimmed. Every pattern must hold under both readings, whether
// PATTERN is applied as a full match or as a search.

const window = { from: "2026-10-31T00:00:00Z", to: "2026-11-03T00:00:00Z" };
const allEntities = Object.values(entities) as Entity[];

const encodings: Record<FileFormat, readonly Compression[]> = {
  parquet: ["snappy", "zstd", "none"],
  csv: ["none", "gzip"],
  ndjson: ["none", "gzip"],
};

/** Every path the real lake writer and quarantine produce for one format, temp files included. */
async function lakeFiles(format: FileFormat, compression: Compression): Promise<string[]> {
  const store = localStore(tempDir("pipe-pattern-"));
  // One row a file, so every entity rolls to sequence 00002 and beyond.
  const writer = createLakeWriter({ store, format, compression, roll: { maxRows: 1 } });
  for (const { entity, records } of samples) {
    await writer.write({ entity, window, records } as Batch);
    await writer.writeText({
      entity,
      window,
      rows: records.map((r) =>
        Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)])),
      ),
    });
  }
  await writer.close();
  // The same records split by store group (storeGroups > 1, generate --shard): -g<NNN>- names.
  const grouped = createLakeWriter({
    store,
    format,
    compression,
    roll: { maxRows: 1 },
    storeGroups: 3,
  });
  for (const { entity, records } of samples)
    await grouped.write({ entity, window, records } as Batch);
  await grouped.close();
  await lakeQuarantine(store).reject(
    samples.map(({ entity, records }, i) => ({
      entity: entity.name,
      row: i + 1,
      record: records[0],
      window,
      reasons: [{ rule: "test", message: "rejected for the test" }],
    })),
  );
  const published = await list(store);
  // Publishing writes `.<name>.<uuid>.tmp` beside the target first (local folder and ADLS Gen2).
  const temps = published.map(
    (p) => `${dirname(p) === "." ? "" : `${dirname(p)}/`}.${p.split("/").pop()}.0f8e2d1c.tmp`,
  );
  return [...published, ...temps];
}

async function list(store: LakeStore): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list()) out.push(o.path);
  return out.sort();
}

const fullMatch = (pattern: string, path: string) => new RegExp(`^(?:${pattern})$`).test(path);
const searchMatch = (pattern: string, path: string) => new RegExp(pattern).test(path);
const matches = (pattern: string, path: string) =>
  fullMatch(pattern, path) || searchMatch(pattern, path);

function plan(format: "parquet" | "csv" | "ndjson", prefix: string) {
  const nodes = snowpipePlan({
    account: "retaillake",
    container: "lake",
    path: prefix,
    queueUrl: "https://retaillake.queue.core.windows.net/lake-events",
    tenantId: "11111111-2222-3333-4444-555555555555",
    format,
  });
  const stage = nodes.find((n): n is StageNode => n.kind === "stage");
  const pipes = nodes.filter((n): n is PipeNode => n.kind === "pipe");
  if (stage === undefined) throw new Error("the plan has no stage");
  return { stageUrl: stage.url, pipes };
}

/** Which pipe should load a file: `RAW.<ENTITY>[_LEGACY]`, or none for anything else. */
function ownerOf(path: string, format: FileFormat): string | undefined {
  const f = parseLakePath(path);
  if (f === undefined || f.feed === "quarantine") return undefined;
  if (f.feed === "legacy") return `${f.entity}_legacy`;
  return f.extension.startsWith(format) ? f.entity : undefined;
}

for (const format of ["parquet", "csv", "ndjson"] as const) {
  for (const compression of encodings[format]) {
    test(`every ${format} (${compression}) file matches its own pipe's PATTERN and no other, relative to the stage and to FROM`, async () => {
      const files = await lakeFiles(format, compression);
      // The writer really rolled and really wrote every kind of file checked below.
      expect(files.some((p) => /^legacy\/.*-00002[.]csv/.test(p))).toBe(true);
      expect(files.some((p) => p.startsWith("_quarantine/"))).toBe(true);
      expect(files.some((p) => p.startsWith("_manifests/"))).toBe(true);
      expect(files.some((p) => /-g00[1-3]-00002[.]/.test(p))).toBe(true);
      for (const e of allEntities)
        expect(files.some((p) => ownerOf(p, format) === e.name)).toBe(true);

      for (const prefix of ["", "landing/retail"]) {
        const { stageUrl, pipes } = plan(format, prefix);
        expect(pipes).toHaveLength(allEntities.length * 2);
        for (const path of files) {
          // The blob's full URL, as Event Grid names it, trimmed of the stage URL.
          const url = `azure://retaillake.blob.core.windows.net/lake/${underRoot(prefix, path)}`;
          expect(url.startsWith(stageUrl)).toBe(true);
          const fromStage = url.slice(stageUrl.length);
          const owner = ownerOf(path, format);
          for (const pipe of pipes) {
            const pattern = pipe.copy.pattern ?? "";
            const mine = pipe.copy.table.name === owner;
            const underFrom = fromStage.startsWith(pipe.copy.path);
            const fromFrom = fromStage.slice(pipe.copy.path.length);
            const where = `${pipe.name.name} ~ ${fromStage}`;
            if (mine) {
              expect(underFrom, where).toBe(true);
              expect(fullMatch(pattern, fromStage), `${where} (relative to the stage)`).toBe(true);
              expect(fullMatch(pattern, fromFrom), `${where} (relative to FROM)`).toBe(true);
            } else {
              expect(matches(pattern, fromStage), `${where} (relative to the stage)`).toBe(false);
              // Snowpipe only considers files below FROM; below it, none other may match.
              if (underFrom)
                expect(matches(pattern, fromFrom), `${where} (relative to FROM)`).toBe(false);
            }
          }
        }
      }
    });
  }
}

// A layout's pipe loads every file of its own folder under legacy_raw/, whatever its name (the
// generator's <layout>-<window>.csv|.dat[.gz], or a sender's own name landed by `legacy land`),
// and nothing else: no entity file, no other layout's file (a layout whose name extends
// another's included), no publish temp.
const simulation = [
  ...createRetailSimulation({
    seed: 5,
    from: "2026-11-02",
    days: 1,
    stores: 1,
    products: 20,
    traffic: 0.05,
  }).generate({
    batchSize: 100,
  }),
];

test("every file landed for a layout matches its own layout pipe's PATTERN and no other pipe's", async () => {
  const posGz = defineLegacyLayout({
    ...posFr.definition,
    name: "pos_fr_sale_line_gz",
    compression: "gzip",
  });
  const layouts: LegacyLayout[] = [posFr, mainframe, posGz];
  const store = localStore(tempDir("pipe-pattern-layouts-"));
  for (const layout of layouts) {
    const writer = createLayoutFeedWriter(store, layout, { seed: 7, rate: 0 });
    for (const batch of simulation) await writer.write(batch);
    await writer.close();
  }
  const generated = await list(store);
  expect(generated.filter((p) => p.endsWith(".dat"))).not.toEqual([]);
  expect(generated.filter((p) => p.endsWith(".csv.gz"))).not.toEqual([]);
  const landed = [
    legacyRawPath(posFr, "caisse-S001-20261101.csv"),
    legacyRawPath(posFr, "EXPORT CAISSE (copie).txt"),
    legacyRawPath(mainframe, "STKMVT.D261101"),
  ];
  const layoutFiles = [...generated, ...landed];
  const temps = layoutFiles.map((p) => `${dirname(p)}/.${p.split("/").pop()}.0f8e2d1c.tmp`);
  const lake = await lakeFiles("csv", "gzip");
  const layoutOf = (path: string) =>
    layouts.find((l) => dirname(path) === dirname(legacyRawPath(l, "x")))?.name;

  for (const prefix of ["", "landing/retail"]) {
    const nodes = snowpipePlan({
      account: "retaillake",
      container: "lake",
      path: prefix,
      queueUrl: "https://retaillake.queue.core.windows.net/lake-events",
      tenantId: "11111111-2222-3333-4444-555555555555",
      format: "csv",
      layouts,
    });
    const stageUrl = nodes.find((n): n is StageNode => n.kind === "stage")?.url ?? "";
    const pipes = nodes.filter((n): n is PipeNode => n.kind === "pipe");
    expect(
      pipes.filter((p) => p.copy.table.name.startsWith("legacy_")).map((p) => p.copy.path),
    ).toEqual(layouts.map((l) => `legacy_raw/${l.name}/`));
    for (const path of [...layoutFiles, ...temps, ...lake]) {
      const url = `azure://retaillake.blob.core.windows.net/lake/${underRoot(prefix, path)}`;
      expect(url.startsWith(stageUrl)).toBe(true);
      const fromStage = url.slice(stageUrl.length);
      const owner = layoutFiles.includes(path) ? `legacy_${layoutOf(path)}` : ownerOf(path, "csv");
      for (const pipe of pipes) {
        const pattern = pipe.copy.pattern ?? "";
        const underFrom = fromStage.startsWith(pipe.copy.path);
        const fromFrom = fromStage.slice(pipe.copy.path.length);
        const where = `${pipe.name.name} ~ ${fromStage}`;
        if (pipe.copy.table.name === owner) {
          expect(underFrom, where).toBe(true);
          expect(fullMatch(pattern, fromStage), `${where} (relative to the stage)`).toBe(true);
          expect(fullMatch(pattern, fromFrom), `${where} (relative to FROM)`).toBe(true);
        } else {
          expect(matches(pattern, fromStage), `${where} (relative to the stage)`).toBe(false);
          if (underFrom)
            expect(matches(pattern, fromFrom), `${where} (relative to FROM)`).toBe(false);
        }
      }
    }
  }
});
