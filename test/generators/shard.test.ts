import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { expect, test } from "vitest";
import {
  createRetailSimulation,
  estimateRun,
  type RetailSimulation,
  type SimulationBatch,
} from "../../src/generators/index.js";
import { createLakeWriter, localStore, parseLakePath } from "../../src/lake/index.js";
import { checkLake } from "../../src/quality/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { lakeFiles } from "../integrity/lake-files.js";
import { root, tempDir } from "../integrity/run-cli.js";

// Small on purpose: 2 days of 5 stores (so shards of 2, 2 and 1 store) x 80 SKUs.
const RUN = ["--days", "2", "--stores", "5", "--products", "80", "--traffic", "0.1"];
const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

function generate(out: string, ...args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ["--import", tsx, join(root, "src/cli/main.ts"), "generate", ...RUN, "--out", out, ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, err }));
  });
}

test("3 shards write, between them, exactly the files of one --store-groups 3 run, byte for byte; concurrently into one lake too", async () => {
  const base = tempDir("shard-union");
  const whole = join(base, "whole");
  const shards = [1, 2, 3].map((i) => join(base, `shard-${i}`));
  const shared = join(base, "shared");
  const runs = await Promise.all([
    generate(whole, "--store-groups", "3"),
    ...shards.map((out, i) => generate(out, "--shard", `${i + 1}/3`)),
  ]);
  for (const run of runs) expect(run.err).not.toMatch(/error/i);
  expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
  // The three shards at once, into one folder, as three machines on one lake would.
  const together = await Promise.all(
    [1, 2, 3].map((i) => generate(shared, "--shard", `${i}/3`, "--workers", "0")),
  );
  expect(together.map((r) => r.code)).toEqual([0, 0, 0]);

  const expected = lakeFiles(whole);
  const union = new Map<string, Buffer>();
  const owners = new Map<string, number>();
  for (const [i, shard] of shards.entries()) {
    for (const [path, bytes] of lakeFiles(shard)) {
      // No file is written by two shards: every file belongs to one store group, or (reference
      // data and its manifest) to shard 1.
      expect(owners.get(path), path).toBeUndefined();
      owners.set(path, i + 1);
      union.set(path, bytes);
    }
  }
  expect([...union.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [path, bytes] of expected) expect(union.get(path)?.equals(bytes), path).toBe(true);
  const sharedFiles = lakeFiles(shared);
  expect([...sharedFiles.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [path, bytes] of expected)
    expect(sharedFiles.get(path)?.equals(bytes), path).toBe(true);

  // What each shard wrote: its own store group's event files (and their manifest); reference
  // data (no group) in shard 1 only.
  const paths = [...expected.keys()];
  const events = paths.filter((p) => /^(sale_line|stock_movement|stock_snapshot)\//.test(p));
  expect(events.length).toBeGreaterThan(30);
  for (const path of events) {
    const group = parseLakePath(path)?.storeGroup;
    expect(group, path).toBeGreaterThanOrEqual(1);
    expect(owners.get(path), path).toBe(group);
  }
  for (const entity of ["store", "product", "customer"]) {
    const files = paths.filter((p) => p.startsWith(`${entity}/`));
    expect(files.length).toBeGreaterThan(0);
    for (const path of files) {
      expect(parseLakePath(path)?.storeGroup, path).toBeUndefined();
      expect(owners.get(path), path).toBe(1);
    }
  }
  // One manifest per store group and one for the files of no group; each lists its files.
  const manifests = paths.filter((p) => p.startsWith("_manifests/"));
  expect(manifests).toHaveLength(4);
  const listed = manifests.flatMap((m) => {
    const manifest = JSON.parse(String(expected.get(m)));
    expect(manifest.storeGroups).toBe(3);
    if (manifest.storeGroup > 0) expect(owners.get(m)).toBe(manifest.storeGroup);
    return manifest.files.map((f: { path: string }) => f.path);
  });
  expect(listed.sort()).toEqual(paths.filter((p) => !p.startsWith("_manifests/")).sort());
  // Store S00k is in group (k - 1) mod 3 + 1, in every file of the group.
  for (const path of events.filter((p) => p.endsWith(".parquet")).slice(0, 1)) {
    expect(path).toMatch(/-g00[123]-\d{5}\.parquet$/);
  }
}, 240_000);

test("the local pipe loads a sharded lake into the same RAW rows as the default layout, and quality judges it alike", async () => {
  const base = tempDir("shard-pipe");
  const plain = join(base, "plain");
  const sharded = join(base, "sharded");
  const runs = await Promise.all([
    generate(plain, "--format", "csv"),
    ...[1, 2, 3].map((i) => generate(sharded, "--shard", `${i}/3`, "--format", "csv")),
  ]);
  expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0]);
  // The default layout is unchanged: no store group in any name.
  for (const path of lakeFiles(plain).keys())
    expect(parseLakePath(path)?.storeGroup, path).toBeUndefined();

  const rowsOf = async (lake: string) => {
    const pipe = await openLocalPipe({
      lake,
      database: join(base, `${relative(base, lake)}.duckdb`),
    });
    try {
      const summary = await pipe.refresh();
      expect(summary.failed).toBe(0);
      const tables: Record<string, unknown[]> = {};
      for (const table of [
        "store",
        "product",
        "customer",
        "sale_line",
        "stock_movement",
        "stock_snapshot",
      ]) {
        const columns = (await pipe.query(`describe raw."${table}"`))
          .map((c) => String(c.column_name))
          .filter((name) => !name.startsWith("_")); // load metadata: file name, row, time
        const list = columns.map((c) => `"${c}"::VARCHAR as "${c}"`).join(", ");
        tables[table] = await pipe.query(`select ${list} from raw."${table}" order by all`);
      }
      return { tables, rows: summary.rowsLoaded };
    } finally {
      await pipe.close();
    }
  };
  // quality reads the grouped names too, and judges the same records alike.
  const judged = async (lake: string) => {
    const result = await checkLake(localStore(lake));
    expect(result.unreadable).toEqual([]);
    expect(result.unregistered).toEqual([]);
    return { ok: result.ok, reports: result.reports.map((r) => JSON.stringify(r)).sort() };
  };
  const quality = await judged(plain);
  expect(quality.reports.length).toBe(6);
  expect(await judged(sharded)).toEqual(quality);
  const [a, b] = [await rowsOf(plain), await rowsOf(sharded)];
  expect(a.rows).toBeGreaterThan(1000);
  expect(b.rows).toBe(a.rows);
  for (const table of Object.keys(a.tables)) {
    expect(b.tables[table]?.length, table).toBe(a.tables[table]?.length);
    expect(b.tables[table], table).toEqual(a.tables[table]);
  }
}, 240_000);

// Asynchronous children: a run of spawnSync calls would block the test worker for a minute.
test("bad --shard and --store-groups values exit 2 naming the option, and write nothing", async () => {
  const base = tempDir("shard-bad");
  const out = join(base, "lake");
  const cases = [
    ["--shard", "0/3"],
    ["--shard", "4/3"],
    ["--shard", "a/b"],
    ["--shard", "1/6"],
    ["--store-groups", "0"],
    ["--shard", "1/3", "--store-groups", "2"],
    ["--shard", "1/3", "--defects", "0.02"],
  ];
  const errors: string[] = [];
  for (const args of cases) {
    const run = await generate(out, ...args);
    expect(run.code, args.join(" ")).toBe(2);
    errors.push(run.err.trim().split("\n")[0] ?? "");
  }
  expect(errors).toMatchInlineSnapshot(`
    [
      "retail-mds: --shard takes i/n with 1 <= i <= n (shard i of n machines, e.g. 1/3); got "0/3"",
      "retail-mds: --shard takes i/n with 1 <= i <= n (shard i of n machines, e.g. 1/3); got "4/3"",
      "retail-mds: --shard takes i/n with 1 <= i <= n (shard i of n machines, e.g. 1/3); got "a/b"",
      "retail-mds: --shard 1/6: n must be at most --stores (5), or a shard would have no store",
      "retail-mds: --store-groups must be a whole number from 1 to 999; got "0"",
      "retail-mds: --store-groups must be the shard count with --shard 1/3 (each shard writes its own group's files): leave it out or give 3; got "2"",
      "retail-mds: --shard cannot be combined with --defects: the legacy feed numbers its rows across every store; generate it in one run",
    ]
  `);
  expect(existsSync(out)).toBe(false);
}, 120_000);

test("property: shards' simulations are the whole chain's records of their stores, and their writers' files the whole run's, whatever the batch size, buffer, rolling, format or workers", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        stores: fc.integer({ min: 2, max: 6 }),
        products: fc.integer({ min: 5, max: 40 }),
        days: fc.integer({ min: 1, max: 2 }),
        traffic: fc.constantFrom(0.05, 0.15),
      }),
      fc.integer({ min: 2, max: 4 }),
      fc.constantFrom(1, 97, 10_000),
      fc.constantFrom(1, 97, 10_000),
      fc.record({
        format: fc.constantFrom("parquet" as const, "csv" as const),
        maxBufferedRows: fc.constantFrom(40, 400, 500_000),
        roll: fc.record({
          maxRows: fc.constantFrom(60, 1_000_000),
          maxBytes: fc.constantFrom(6_000, 128 * 1024 * 1024),
        }),
        workers: fc.constantFrom(0, 1),
      }),
      async (chain, wanted, wholeBatch, shardBatch, writing) => {
        const config = { ...chain, from: "2026-03-27" }; // the DST weekend in Europe
        const n = Math.min(wanted, config.stores);
        const whole = createRetailSimulation(config);
        const shards = Array.from({ length: n }, (_, i) =>
          createRetailSimulation({ ...config, shard: { index: i + 1, count: n } }),
        );
        // The simulation: a shard's events, in order, are the whole chain's of its stores.
        const byEntity = (batches: Iterable<SimulationBatch>) => {
          const out = new Map<string, unknown[]>();
          for (const b of batches)
            out.set(b.entity.name, [...(out.get(b.entity.name) ?? []), ...b.records]);
          return out;
        };
        const all = byEntity(whole.generate({ batchSize: wholeBatch }));
        const parts = shards.map((s) => byEntity(s.generate({ batchSize: shardBatch })));
        for (const [entity, records] of all) {
          parts.forEach((part, i) => {
            const mine = (r: unknown) => {
              const id = (r as { store_id?: string }).store_id;
              return (Number(id?.slice(1)) - 1) % n === i;
            };
            const expected = ["store", "product", "customer"].includes(entity)
              ? i === 0
                ? records
                : []
              : records.filter(mine);
            expect(part.get(entity) ?? [], `${entity} shard ${i + 1}/${n}`).toEqual(expected);
          });
        }
        // The writers: n shard writers write the files of one writer with n store groups.
        const base = tempDir("shard-prop");
        const write = async (
          dir: string,
          sim: RetailSimulation,
          batchSize: number,
          workers: number,
        ) => {
          const writer = createLakeWriter({
            store: localStore(dir),
            ...writing,
            workers,
            storeGroups: n,
          });
          await writer.writeAll(sim.generate({ batchSize }));
          return writer.close();
        };
        await write(
          join(base, "whole"),
          createRetailSimulation(config),
          wholeBatch,
          writing.workers,
        );
        for (const [i, sim] of shards.entries())
          await write(
            join(base, `shard-${i + 1}`),
            createRetailSimulation(sim.config),
            shardBatch,
            0,
          );
        const expected = lakeFiles(join(base, "whole"));
        const union = new Map<string, Buffer>();
        for (let i = 1; i <= n; i++) {
          for (const [path, bytes] of lakeFiles(join(base, `shard-${i}`))) {
            expect(union.has(path), path).toBe(false);
            union.set(path, bytes);
          }
        }
        expect([...union.keys()].sort()).toEqual([...expected.keys()].sort());
        for (const [path, bytes] of expected)
          expect(union.get(path)?.equals(bytes), path).toBe(true);
      },
    ),
    { numRuns: 6 },
  );
}, 300_000);

test("estimateRun counts a shard's stores only, and shards' estimates add up to the whole run's", () => {
  const config = { seed: 3, from: "2026-11-01", days: 5, stores: 7, products: 300 };
  const whole = estimateRun(config);
  const parts = [1, 2, 3].map((index) => estimateRun({ ...config, shard: { index, count: 3 } }));
  for (const [entity, rows] of Object.entries(whole.rows)) {
    const sum = parts.reduce((n, p) => n + (p.rows[entity] ?? 0), 0);
    expect(Math.abs(sum - rows), entity).toBeLessThanOrEqual(3); // each part rounds once
  }
  // Reference data is shard 1's; a shard holds its stores' stock, not the chain's.
  expect(parts[1]?.rows.customer).toBe(0);
  expect(parts[0]?.rows.customer).toBe(whole.rows.customer);
  for (const part of parts) expect(part.memoryBytes).toBeLessThan(whole.memoryBytes);
  expect(() => estimateRun({ ...config, shard: { index: 4, count: 3 } })).toThrow(/shard/);
  expect(() => estimateRun({ ...config, shard: { index: 1, count: 8 } })).toThrow(
    /count must be at most stores \(7\)/,
  );
});
