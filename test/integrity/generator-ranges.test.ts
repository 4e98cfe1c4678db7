/**
 * The generator inside its documented ranges (issue 12.6): every combination `generate --help`
 * allows either runs or is refused up front (exit 2, naming the option and what is allowed).
 */
import { existsSync } from "node:fs";
import fc from "fast-check";
import { expect, test } from "vitest";
import { customer } from "../../src/entities/index.js";
import { customerAt } from "../../src/generators/customer-generator.js";
import {
  createRetailSimulation,
  estimateRun,
  SimulationConfigError,
} from "../../src/generators/index.js";
import { createLakeWriter, type LakeObject, type LakeStore } from "../../src/lake/index.js";
import { cli, cliAsync, tempDir } from "./run-cli.js";

// `--stores 1 --products 20 --traffic 100` lands 2.9 million rows (about 100 s here): it is the
// property's second example below, on a few windows of that day.
// Asynchronous children: six generate runs in a row through spawnSync block the test worker
// for most of a minute under load, and vitest's 60 s RPC timeout then fails the run.
test("the configurations of the issue run or are refused with exit 2 naming the option, never crash", async () => {
  const out = tempDir("gen-ranges");
  const cases = [
    ["--stores", "1", "--products", "1"],
    ["--stores", "1", "--products", "3"],
    ["--stores", "1", "--products", "5"],
    ["--stores", "20", "--products", "6"],
    ["--from", "0001-01-01", "--stores", "3", "--products", "20"],
    ["--from", "9999-12-20", "--days", "30", "--stores", "3", "--products", "20"],
  ];
  const outcomes: string[] = [];
  for (const [i, args] of cases.entries()) {
    const run = await cliAsync(["generate", "--days", "1", ...args, "--out", `${out}/lake${i}`], {
      dir: out,
    });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // What the run needs is said up front.
    if (run.code === 0)
      expect(run.stderr).toMatch(
        /^generate: about [\d,]+ rows \(~\d+ MB of parquet\), about \d+ MB of memory$/m,
      );
    outcomes.push(
      `${args.join(" ")} -> ${run.code}${run.code === 0 ? "" : `: ${run.stderr.split("\n").at(-1)}`}`,
    );
  }
  expect(outcomes).toMatchInlineSnapshot(`
    [
      "--stores 1 --products 1 -> 0",
      "--stores 1 --products 3 -> 0",
      "--stores 1 --products 5 -> 0",
      "--stores 20 --products 6 -> 0",
      "--from 0001-01-01 --stores 3 --products 20 -> 2: retail-mds: --from: must be 0001-01-02 or later (the first day starts before year 1 in UTC otherwise); got "0001-01-01"",
      "--from 9999-12-20 --days 30 --stores 3 --products 20 -> 2: retail-mds: --days: must be at most 11 from 9999-12-20: the last business day allowed is 9999-12-30 (the period must end by 9999-12-31 in UTC); got 30",
    ]
  `);
});

/** A lake in memory: the writer's naming, partitioning and encoding run, nothing touches disk. */
function memoryStore(): LakeStore {
  const objects = new Map<string, Uint8Array>();
  const describe = (path: string, body: Uint8Array): LakeObject => ({
    path,
    size: body.byteLength,
    eTag: String(body.byteLength),
    lastModified: new Date(0),
  });
  return {
    kind: "local",
    url: "memory://lake",
    async put(path, body, options = {}) {
      objects.set(path, body);
      return {
        ...describe(path, body),
        url: `memory://lake/${path}`,
        api: "PutBlob",
        contentType: options.contentType ?? "application/octet-stream",
      };
    },
    async get(path) {
      const body = objects.get(path);
      if (!body) throw new Error(`no ${path}`);
      return body;
    },
    async *list() {
      for (const [path, body] of objects) yield describe(path, body);
    },
    async exists(path) {
      return objects.has(path);
    },
    async delete(path) {
      objects.delete(path);
    },
  };
}

const DAY = 86_400_000;
const date = fc
  .integer({ min: Date.UTC(1, 0, 1) / DAY, max: Date.UTC(9999, 11, 31) / DAY })
  .map((d) => new Date(d * DAY).toISOString().slice(0, 10));
// The whole range `generate --help` documents; fast-check's bias keeps most draws small, and the
// edges (1 product, 999 stores, year 1, year 9999, traffic 100) come up on their own.
const config = fc.record({
  seed: fc.integer({ min: 0, max: 4_294_967_295 }),
  from: fc.oneof(date, fc.constantFrom("0001-01-01", "9999-12-31", "9999-12-20")),
  days: fc.integer({ min: 1, max: 3660 }),
  stores: fc.integer({ min: 1, max: 999 }),
  products: fc.integer({ min: 1, max: 99_999 }),
  // Past 20,000 a customer differs only in its number (tested at 9,999,999 below).
  customers: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: undefined }),
  traffic: fc.oneof(
    { arbitrary: fc.double({ min: 0, max: 2, noNaN: true, minExcluded: true }), weight: 4 },
    { arbitrary: fc.double({ min: 0, max: 100, noNaN: true, minExcluded: true }), weight: 1 },
    { arbitrary: fc.constant(100), weight: 1 },
  ),
});
// What keeps a draw fast: stores x SKUs simulated at most (the stock of every SKU of every store
// is replayed day by day), stores x traffic (tickets), and store-days replayed to reach the last
// day. Past them a draw keeps its other fields and runs with fewer stores: the scale itself is
// what the run estimate is about (tested on its own).
const CELLS = 20_000;
const FOOTFALL = 10;
const STORE_DAYS = 100;
const HOUR = 3_600_000;
const WINDOW = 600_000;

/** The windows checked: the period's first minutes (opening balances), midday, its last (closes). */
function windowsOf(period: { from: string; to: string }, replayable: boolean): [string, string][] {
  const from = Math.floor(Date.parse(period.from) / HOUR) * HOUR;
  const to = Date.parse(period.to);
  const starts = [from, from + 12 * HOUR, ...(replayable ? [to - WINDOW] : [])];
  return starts
    .filter((start) => start < to)
    .map((start) => [
      new Date(start).toISOString(),
      new Date(Math.min(to, start + WINDOW)).toISOString(),
    ]);
}

test("property: any documented configuration is refused with a SimulationConfigError naming its field, or gives records the lake writer lands", async () => {
  await fc.assert(
    fc.asyncProperty(config, fc.integer({ min: 1, max: 5000 }), async (input, batchSize) => {
      const { customers, ...rest } = input;
      const most = Math.min(CELLS / input.products, FOOTFALL / input.traffic);
      const stores = Math.max(1, Math.min(input.stores, Math.floor(most)));
      const draw = {
        ...rest,
        stores,
        ...(customers === undefined ? { customers: 50 } : { customers }),
      };
      let sim: ReturnType<typeof createRetailSimulation>;
      try {
        sim = createRetailSimulation(draw);
      } catch (error) {
        expect(error).toBeInstanceOf(SimulationConfigError);
        expect(["from", "days"]).toContain((error as SimulationConfigError).field);
        return;
      }
      const writer = createLakeWriter({ store: memoryStore(), format: "csv" });
      try {
        await writer.writeAll(sim.reference({ batchSize }));
        for (const [from, to] of windowsOf(sim.period, stores * input.days <= STORE_DAYS)) {
          await writer.writeAll(sim.tick(from, to, { batchSize }));
        }
        await writer.close();
      } catch (error) {
        throw new Error(`${JSON.stringify(draw)}: ${(error as Error).message}`, { cause: error });
      }
    }),
    {
      numRuns: 15,
      seed: 20261201,
      endOnFailure: true,
      // The reproductions of the issue, then the corners of the range.
      examples: [
        [
          {
            seed: 42,
            from: "2026-11-01",
            days: 1,
            stores: 1,
            products: 1,
            customers: undefined,
            traffic: 1,
          },
          10_000,
        ],
        [
          {
            seed: 42,
            from: "2026-11-01",
            days: 1,
            stores: 1,
            products: 20,
            customers: undefined,
            traffic: 100,
          },
          10_000,
        ],
        [
          {
            seed: 42,
            from: "2026-11-01",
            days: 1,
            stores: 20,
            products: 6,
            customers: undefined,
            traffic: 1,
          },
          10_000,
        ],
        [
          {
            seed: 42,
            from: "0001-01-01",
            days: 1,
            stores: 3,
            products: 20,
            customers: undefined,
            traffic: 1,
          },
          10_000,
        ],
        [
          {
            seed: 42,
            from: "9999-12-20",
            days: 30,
            stores: 3,
            products: 20,
            customers: undefined,
            traffic: 1,
          },
          10_000,
        ],
        [
          {
            seed: 0,
            from: "0001-01-02",
            days: 3660,
            stores: 999,
            products: 1,
            customers: 1,
            traffic: 100,
          },
          1,
        ],
        [
          {
            seed: 4_294_967_295,
            from: "9999-12-30",
            days: 1,
            stores: 1,
            products: 99_999,
            customers: 20_000,
            traffic: 1,
          },
          5000,
        ],
      ],
    },
  );
});

test("the last loyalty customer the range allows is a valid record", () => {
  const last = customerAt({ seed: 4_294_967_295, from: "0001-01-01" }, 9_999_998);
  expect(last.customer_id).toBe("C9999999");
  const result = customer.check(last);
  expect(result.ok ? "valid" : result.error.message).toBe("valid");
});

test("the run estimate is within 10% of the records a run produces, per entity", () => {
  const config = { seed: 7, from: "2026-11-27", days: 4, stores: 7, products: 400, traffic: 0.5 };
  const counted: Record<string, number> = {};
  for (const batch of createRetailSimulation(config).generate()) {
    counted[batch.entity.name] = (counted[batch.entity.name] ?? 0) + batch.records.length;
  }
  const { rows, totalRows } = estimateRun(config);
  for (const [entity, n] of Object.entries(counted)) {
    expect(Math.abs((rows[entity] as number) / n - 1), entity).toBeLessThan(0.1);
  }
  const total = Object.values(counted).reduce((a, b) => a + b, 0);
  expect(Math.abs(totalRows / total - 1)).toBeLessThan(0.1);
});

test("a run that cannot fit the machine is refused up front with exit 2 naming the options, and writes nothing", () => {
  const out = tempDir("gen-too-big");
  const run = cli(
    [
      "generate",
      "--days",
      "3660",
      "--stores",
      "999",
      "--products",
      "99999",
      "--out",
      `${out}/lake`,
    ],
    { dir: out },
  );
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(
    /^retail-mds: --stores 999 with --products 99999 needs about [\d.]+ GB of memory, [\d.]+ GB of it on Node's heap; this machine has .*: lower --stores or --products$/,
  );
  expect(existsSync(`${out}/lake`)).toBe(false);
});

test("the memory estimate counts the lake writer's encode workers, each a thread of its own, for each generating thread", () => {
  const config = { seed: 7, from: "2026-11-27", days: 3, stores: 6, products: 300 };
  const none = estimateRun(config);
  const worker = estimateRun(config, { workers: 1 }).memoryBytes - none.memoryBytes;
  expect(worker).toBeGreaterThan(10e6);
  expect(estimateRun(config, { workers: 3 }).memoryBytes - none.memoryBytes).toBe(3 * worker);
  // A worker's heap is its own: Node's heap limit of the generating thread is not its concern.
  expect(estimateRun(config, { workers: 3 }).heapBytes).toBe(none.heapBytes);
  const threaded = { storeGroups: 2, threads: 2 };
  expect(
    estimateRun(config, { ...threaded, workers: 1 }).memoryBytes -
      estimateRun(config, threaded).memoryBytes,
  ).toBe(2 * worker);
});

test("generate's printed estimate counts its --workers", async () => {
  const out = tempDir("gen-workers");
  const printed = async (workers: number) => {
    const run = await cliAsync(
      [
        "generate",
        "--days",
        "1",
        "--stores",
        "1",
        "--products",
        "10",
        "--workers",
        String(workers),
        "--out",
        `${out}/lake${workers}`,
      ],
      { dir: out },
    );
    expect(run.code).toBe(0);
    return Number(/about ([\d,]+) MB of memory/.exec(run.stderr)?.[1]?.replaceAll(",", ""));
  };
  const extra = (await printed(4)) - (await printed(0));
  expect(extra).toBeGreaterThanOrEqual(4 * 55);
  expect(extra).toBeLessThanOrEqual(4 * 70);
});
