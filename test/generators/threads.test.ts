import { execFile } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { beforeAll, expect, test } from "vitest";
import {
  createRetailSimulation,
  estimateRun,
  latestSimulationCheckpoint,
  saveSimulationCheckpoint,
  simulationFingerprint,
  writeSimulation,
} from "../../src/generators/index.js";
import {
  createLakeWriter,
  type LakeStore,
  LakeWriteError,
  localStore,
  parseLakePath,
} from "../../src/lake/index.js";
import { lakeDifferences, lakeFiles } from "../integrity/lake-files.js";
import { cliAsync, root, tempDir } from "../integrity/run-cli.js";

// Generating threads (writeSimulation's `threads`, generate --threads): each store group on a
// worker thread of its own, started here from the sources through tsx's loader (as the encode
// workers are), and from the built package in the last tests.
const exec = promisify(execFile);

/** One writer given every store group, in this thread: what any thread count must write. */
async function oneWriter(
  dir: string,
  config: Parameters<typeof createRetailSimulation>[0],
  format: "parquet" | "csv",
  storeGroups: number,
) {
  const writer = createLakeWriter({ store: localStore(dir), format, storeGroups });
  await writer.writeAll(createRetailSimulation(config).generate());
  return writer.close();
}

test("property: 1..G generating threads write the lake of one writer given every store group, byte for byte, and return its result, whatever the batch size, format or encode workers", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        stores: fc.integer({ min: 2, max: 5 }),
        products: fc.integer({ min: 5, max: 40 }),
        days: fc.integer({ min: 1, max: 2 }),
        traffic: fc.constantFrom(0.05, 0.15),
      }),
      fc.integer({ min: 2, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom(1, 97, 10_000),
      fc.constantFrom("parquet" as const, "csv" as const),
      fc.constantFrom(0, 1),
      async (chain, wanted, wantedThreads, batchSize, format, workers) => {
        const config = { ...chain, from: "2026-03-27" }; // the DST weekend in Europe
        const storeGroups = Math.min(wanted, config.stores);
        const threads = Math.min(wantedThreads, storeGroups);
        const base = tempDir("threads-prop");
        const expected = await oneWriter(join(base, "one"), config, format, storeGroups);
        const seen: number[] = [];
        const { rowsByEntity, ...result } = await writeSimulation(config, {
          store: localStore(join(base, "threads")),
          format,
          storeGroups,
          threads,
          batchSize,
          workers,
          onProgress: (p) => seen.push(p.done),
        });
        expect(lakeDifferences(join(base, "one"), join(base, "threads"))).toEqual([]);
        expect(result).toEqual(expected);
        expect(Object.values(rowsByEntity).reduce((n, r) => n + r, 0)).toBe(expected.rowsWritten);
        expect(seen.length).toBeGreaterThan(0);
        expect(Math.max(...seen)).toBeLessThanOrEqual(1);
      },
    ),
    { numRuns: 5 },
  );
}, 300_000);

/** A lake's data files (no manifest, no checkpoint), by path, with their bytes. */
function dataFiles(lake: string): Map<string, Buffer> {
  const files = lakeFiles(lake);
  for (const path of files.keys())
    if (path.startsWith("_manifests/") || path.startsWith("_state/")) files.delete(path);
  return files;
}

/** Per entity and store group, a CSV lake's data rows (headers dropped), sorted. */
function rowsByGroup(lake: string, entities: readonly string[]): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const [path, bytes] of dataFiles(lake)) {
    const file = parseLakePath(path);
    if (!file || !entities.includes(file.entity)) continue;
    const key = `${file.entity} g${file.storeGroup ?? 0}`;
    const lines = bytes.toString("utf8").split("\n").slice(1).filter(Boolean);
    rows[key] = [...(rows[key] ?? []), ...lines];
  }
  for (const list of Object.values(rows)) list.sort();
  return rows;
}

/**
 * Writes `windows` in turn as the Azure Function's invocations do: each a new simulation (a cold
 * instance) resumed from the lake's latest checkpoint at or before its start, a new writer, and a
 * checkpoint kept at its end; for one shard of `storeGroups` or, without `shard`, every store.
 */
async function coldTicks(
  dir: string,
  config: Parameters<typeof createRetailSimulation>[0],
  windows: readonly (readonly [string, string])[],
  storeGroups: number,
  shard?: { index: number; count: number },
): Promise<void> {
  const store = localStore(dir);
  for (const [from, to] of windows) {
    const sim = createRetailSimulation({ ...config, ...(shard ? { shard } : {}) });
    const checkpoint = await latestSimulationCheckpoint(
      store,
      simulationFingerprint(sim.config),
      from,
    );
    if (checkpoint) sim.resume(checkpoint);
    const writer = createLakeWriter({ store, format: "csv", storeGroups });
    for (const batch of sim.tick(from, to, { validate: false })) await writer.write(batch);
    await writer.close();
    if (to < sim.period.to) await saveSimulationCheckpoint(store, sim.checkpoint(to));
  }
}

test("property: a period written as one run on 1..G threads, and as tick windows split anywhere, each a cold start resumed from the checkpoint the window before kept, on one instance or on G shards, lands the same rows; the windowed lakes are byte-identical", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        stores: fc.integer({ min: 2, max: 4 }),
        products: fc.integer({ min: 5, max: 30 }),
        days: fc.integer({ min: 1, max: 2 }),
        traffic: fc.constantFrom(0.05, 0.15),
      }),
      fc.integer({ min: 2, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
      async (chain, wanted, wantedThreads, cuts) => {
        const config = { ...chain, from: "2026-03-27" }; // the DST weekend in Europe
        const storeGroups = Math.min(wanted, config.stores);
        const threads = Math.min(wantedThreads, storeGroups);
        const base = tempDir("threads-split");
        await writeSimulation(config, {
          store: localStore(join(base, "run")),
          format: "csv",
          storeGroups,
          threads,
        });
        // Split points on whole seconds (checkpoints are named to the second), in order.
        const { from, to } = createRetailSimulation(config).period;
        const start = Date.parse(from);
        const span = Date.parse(to) - start;
        const points = [
          ...new Set(cuts.map((c) => Math.floor((span * c) / 1000) * 1000).filter((o) => o > 0)),
        ]
          .sort((a, b) => a - b)
          .map((o) => new Date(start + o).toISOString());
        const bounds = [from, ...points, to];
        const windows = bounds.slice(1).map((end, i) => [bounds[i] as string, end] as const);
        await coldTicks(join(base, "ticks"), config, windows, storeGroups);
        for (let index = 1; index <= storeGroups; index++) {
          await coldTicks(join(base, "shards"), config, windows, storeGroups, {
            index,
            count: storeGroups,
          });
        }
        const ticks = dataFiles(join(base, "ticks"));
        expect(ticks.size).toBeGreaterThan(0);
        expect(dataFiles(join(base, "shards"))).toEqual(ticks);
        const events = ["sale_line", "stock_movement", "stock_snapshot"];
        const rows = rowsByGroup(join(base, "ticks"), events);
        expect(Object.keys(rows).length).toBeGreaterThan(0);
        expect(rowsByGroup(join(base, "run"), events)).toEqual(rows);
      },
    ),
    { numRuns: 4 },
  );
}, 300_000);

/** A local folder whose put fails, for one path, as a full disk does; and counts its calls. */
function failingStore(dir: string, fails: (path: string) => boolean) {
  const store = localStore(dir);
  const error = new LakeWriteError(store.url, "", "ENOSPC: no space left on device, write");
  let calls = 0;
  const failing: LakeStore = {
    ...store,
    async put(path, body, options) {
      calls++;
      if (fails(path)) throw error;
      return store.put(path, body, options);
    },
    async exists(path) {
      calls++;
      return store.exists(path);
    },
  };
  return { store: failing, error, calls: () => calls };
}

test("a store error in one thread rejects with that very error, after every thread has stopped and no write is left running", async () => {
  const config = { seed: 5, from: "2026-11-02", days: 2, stores: 4, products: 60, traffic: 0.2 };
  const base = tempDir("threads-fail");
  // The first event file of store group 2 cannot be written.
  const { store, error, calls } = failingStore(
    base,
    (path) => parseLakePath(path)?.storeGroup === 2,
  );
  const run = writeSimulation(config, { store, format: "parquet", storeGroups: 2, threads: 2 });
  await expect(run).rejects.toBe(error);
  const after = calls();
  await new Promise((wait) => setTimeout(wait, 500));
  expect(calls()).toBe(after); // nothing still publishing
  // No manifest for the failed group: a manifest always matches the files on disk.
  const manifests = existsSync(join(base, "_manifests"))
    ? readdirSync(join(base, "_manifests"))
    : [];
  expect(manifests.length).toBeLessThan(3);
  // In one thread, the same error.
  const one = failingStore(
    tempDir("threads-fail-one"),
    (path) => parseLakePath(path)?.storeGroup === 2,
  );
  await expect(
    writeSimulation(config, { store: one.store, format: "parquet", storeGroups: 2, threads: 1 }),
  ).rejects.toBe(one.error);
}, 120_000);

const RUN = ["--days", "1", "--stores", "4", "--products", "60", "--traffic", "0.2"];

test("generate --threads: the same lake and summary as one thread; a lake write conflict in a thread is the same one-line error and exit code", async () => {
  const base = tempDir("threads-cli");
  const lakes = ["1", "2"].map((t) => join(base, `t${t}`));
  const runs = await Promise.all(
    ["1", "2"].map((t, i) =>
      cliAsync([
        "generate",
        ...RUN,
        "--store-groups",
        "3",
        "--threads",
        t,
        "--out",
        lakes[i] as string,
      ]),
    ),
  );
  expect(runs.map((r) => r.code)).toEqual([0, 0]);
  expect(lakeDifferences(lakes[0] as string, lakes[1] as string)).toEqual([]);
  const summary = (out: string) =>
    out.replace(/[\d,]+ rows\/s, [\d.]+ s/, "").replace(/ into \S+/, "");
  expect(summary(runs[1]?.stdout ?? "")).toEqual(summary(runs[0]?.stdout ?? ""));
  expect(runs[1]?.stderr).toMatch(
    /about [\d,]+ MB of memory \(2 threads of 3 store groups, about \d+ MB each at most\)/,
  );

  // One file of group 3 already there with other bytes: immutable, in one thread and in three.
  const conflicts = ["1", "3"].map((t) => join(base, `conflict-${t}`));
  const victim = [...lakeFiles(lakes[0] as string).keys()].find(
    (p) => parseLakePath(p)?.storeGroup === 3 && p.startsWith("sale_line/"),
  ) as string;
  for (const lake of conflicts) {
    await exec("cp", ["-r", lakes[0] as string, lake]);
    writeFileSync(join(lake, victim), "other bytes");
  }
  const failed = await Promise.all(
    ["1", "3"].map((t, i) =>
      cliAsync(
        [
          "generate",
          ...RUN,
          "--store-groups",
          "3",
          "--threads",
          t,
          "--out",
          conflicts[i] as string,
        ],
        { dir: conflicts[i] as string },
      ),
    ),
  );
  expect(failed.map((r) => r.code)).toEqual([1, 1]);
  const lastLine = (err: string) => err.split("\n").at(-1);
  expect(lastLine(failed[1]?.stderr ?? "")).toBe(lastLine(failed[0]?.stderr ?? ""));
  expect(lastLine(failed[0]?.stderr ?? "")).toMatch(
    new RegExp(`^retail-mds: lake write to file://<tmp> at "${victim}" failed: immutable: `),
  );
}, 240_000);

test("bad --threads values exit 2 naming the option, and write nothing", async () => {
  const out = join(tempDir("threads-bad"), "lake");
  const cases = [
    ["--threads", "0"],
    ["--threads", "2"],
    ["--store-groups", "2", "--threads", "3"],
    ["--shard", "1/2", "--threads", "2"],
    ["--store-groups", "2", "--threads", "2", "--defects", "0.02"],
    ["--store-groups", "5", "--threads", "2"],
  ];
  const errors: string[] = [];
  for (const args of cases) {
    const run = await cliAsync(["generate", ...RUN, "--out", out, ...args]);
    expect(run.code, args.join(" ")).toBe(2);
    errors.push(run.stderr.split("\n")[0] ?? "");
  }
  expect(errors).toMatchInlineSnapshot(`
    [
      "retail-mds: --threads must be a whole number from 1 to 64; got "0"",
      "retail-mds: --threads 2 is more than --store-groups (1): a thread generates whole store groups; give --store-groups 2 or more (it adds -g<NNN>- to the event files' names), or fewer threads",
      "retail-mds: --threads 3 is more than --store-groups (2): a thread generates whole store groups; give --store-groups 3 or more (it adds -g<NNN>- to the event files' names), or fewer threads",
      "retail-mds: --threads 2 cannot be used with --shard 1/2: a shard is one store group, generated by one thread",
      "retail-mds: --threads 2 cannot be combined with --defects: it reads every store's batches in one pass; leave --threads out",
      "retail-mds: --threads 2 cannot be used with --store-groups 5 over --stores 4: a thread generates a group's stores, and some groups would have none; give at most 4 groups, or leave --threads out",
    ]
  `);
  expect(existsSync(out)).toBe(false);
}, 120_000);

test("estimateRun with threads: the whole run's rows, the memory of the threads running at once, a thread's share", () => {
  const config = { seed: 3, from: "2026-11-01", days: 5, stores: 8, products: 500 };
  const one = estimateRun(config);
  const two = estimateRun(config, { storeGroups: 4, threads: 2 });
  const four = estimateRun(config, { storeGroups: 4, threads: 4 });
  expect(two.rows).toEqual(one.rows);
  expect(one.threadBytes).toBeUndefined();
  expect(estimateRun(config, { storeGroups: 4, threads: 1 })).toEqual(one);
  expect(two.threadBytes).toBeGreaterThan(0);
  expect(two.memoryBytes).toBeGreaterThan(one.memoryBytes);
  expect(four.memoryBytes).toBeGreaterThan(two.memoryBytes);
  expect(four.memoryBytes - two.memoryBytes).toBeLessThanOrEqual(2 * (two.threadBytes ?? 0));
  // A group without a store runs no thread: estimated, and written, in one thread.
  expect(estimateRun(config, { storeGroups: 9, threads: 2 })).toEqual(one);
  // More threads than groups run as many as there are groups.
  expect(estimateRun(config, { storeGroups: 4, threads: 9 })).toEqual(four);
});

// As users get it: the built package starts its generating threads from dist/, ESM and CJS.
beforeAll(async () => {
  if (!existsSync(join(root, "dist", "simulation-worker.js")))
    await exec("npx", ["tsup", "--silent"], { cwd: root });
}, 240_000);

test.each(["mjs", "cjs"])(
  "the built package (%s) generates on threads: the same lake as in one thread",
  async (ext) => {
    const base = tempDir(`threads-dist-${ext}`);
    const load = (sub: string) =>
      ext === "mjs"
        ? `await import(${JSON.stringify(join(root, "dist", `${sub}.js`))})`
        : `require(${JSON.stringify(join(root, "dist", `${sub}.cjs`))})`;
    const file = join(base, `write.${ext}`);
    writeFileSync(
      file,
      `(async () => {
  const { writeSimulation } = ${load("generators")};
  const { localStore } = ${load("lake")};
  const config = { seed: 9, from: "2026-11-02", days: 1, stores: 3, products: 40, traffic: 0.2 };
  const [out, threads] = process.argv.slice(2);
  await writeSimulation(config, { store: localStore(out), format: "parquet", storeGroups: 3, threads: Number(threads) });
})();`,
    );
    for (const threads of ["1", "3"])
      await exec(process.execPath, [file, join(base, threads), threads]);
    expect(lakeFiles(join(base, "1")).size).toBeGreaterThan(10);
    expect(lakeDifferences(join(base, "1"), join(base, "3"))).toEqual([]);
  },
  120_000,
);

test("the built CLI generates on threads next to dist/cli.js: the same lake as in one thread", async () => {
  const base = tempDir("threads-dist-cli");
  for (const threads of ["1", "3"])
    await exec(process.execPath, [
      join(root, "dist", "cli.js"),
      "generate",
      ...RUN,
      ...["--store-groups", "3", "--threads", threads, "--out", join(base, threads)],
    ]);
  expect(lakeFiles(join(base, "1")).size).toBeGreaterThan(10);
  expect(lakeDifferences(join(base, "1"), join(base, "3"))).toEqual([]);
}, 120_000);
