import { InvocationContext, type Timer } from "@azure/functions";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueClient } from "@azure/storage-queue";
import { expect, test } from "vitest";
import { createRetailSimulation } from "../../src/generators/index.js";
import type { BlobCreatedEvent, EventSink } from "../../src/lake/index.js";
import { useAzurite } from "../../test/support/azurite.js";
import { readSettings, type Settings } from "./src/settings.js";
import { createTickHandler } from "./src/tick-handler.js";

const azurite = useAzurite(["blob", "queue"]);
const SIMULATION = {
  RETAIL_MDS_SEED: "7",
  RETAIL_MDS_SIM_FROM: "2026-11-02",
  RETAIL_MDS_SIM_DAYS: "3",
  RETAIL_MDS_STORES: "3",
  RETAIL_MDS_PRODUCTS: "50",
};
let containers = 0;

async function setUp(overrides: Record<string, string> = {}): Promise<{
  settings: Settings;
  container: string;
  events: BlobCreatedEvent[];
  sink: EventSink;
}> {
  const container = `landing${++containers}`;
  await BlobServiceClient.fromConnectionString(azurite().connectionString).createContainer(
    container,
  );
  const settings = readSettings({
    ...SIMULATION,
    RETAIL_MDS_STORE_KIND: "blob",
    RETAIL_MDS_CONNECTION_STRING: azurite().connectionString,
    RETAIL_MDS_CONTAINER: container,
    ...overrides,
  });
  const events: BlobCreatedEvent[] = [];
  return { settings, container, events, sink: { publish: async (e) => void events.push(e) } };
}

function timer(last: string, isPastDue = false): Timer {
  return {
    isPastDue,
    schedule: { adjustForDST: true },
    scheduleStatus: { last, next: "", lastUpdated: last },
  };
}

function context(logs: string[]): InvocationContext {
  return new InvocationContext({
    invocationId: "test-invocation",
    functionName: "tick",
    logHandler: (level, ...args) => logs.push(`${level}: ${args.join(" ")}`),
  });
}

async function listData(container: string): Promise<string[]> {
  const names: string[] = [];
  const client = BlobServiceClient.fromConnectionString(
    azurite().connectionString,
  ).getContainerClient(container);
  for await (const blob of client.listBlobsFlat())
    if (!/^_(manifests|state)\//.test(blob.name)) names.push(blob.name);
  return names.sort();
}

function rowsOf(from: string, to: string, days = 3): number {
  const sim = createRetailSimulation({
    seed: 7,
    from: "2026-11-02",
    days,
    stores: 3,
    products: 50,
  });
  let rows = 0;
  for (const batch of sim.tick(from, to)) rows += batch.records.length;
  return rows;
}

test("an on-time tick writes the closed 5-minute window to Blob storage, one BlobCreated event per file", async () => {
  const { settings, container, events, sink } = await setUp();
  const logs: string[] = [];
  const tick = createTickHandler({
    settings,
    events: sink,
    now: () => new Date("2026-11-02T09:05:00.350Z"),
  });

  const result = await tick(timer("2026-11-02T09:00:00Z"), context(logs));

  expect(result.windows).toEqual([
    { from: "2026-11-02T09:00:00.000Z", to: "2026-11-02T09:05:00.000Z" },
  ]);
  expect(result.rows).toBe(rowsOf("2026-11-02T09:00:00Z", "2026-11-02T09:05:00Z"));
  expect(result.rows).toBeGreaterThan(0);
  const files = await listData(container);
  expect(files).toEqual([
    "sale_line/dt=2026-11-02/hour=09/sale_line-20261102T0900Z-20261102T0905Z-00001.parquet",
    "stock_movement/dt=2026-11-02/hour=09/stock_movement-20261102T0900Z-20261102T0905Z-00001.parquet",
  ]);
  // The two data files; the run manifest (`_manifests/`) is neither counted nor announced.
  expect(result.published).toBe(2);
  expect(events.map((e) => e.subject).sort()).toEqual(
    files.map((f) => `/blobServices/default/containers/${container}/blobs/${f}`),
  );
  for (const event of events) {
    expect(event.eventType).toBe("Microsoft.Storage.BlobCreated");
    expect(event.data.api).toBe("PutBlob");
    expect(event.data.url).toBe(
      `${azurite().blobUrl}/${container}/${event.subject.split("/blobs/")[1]}`,
    );
  }
  expect(logs).toEqual([
    "information: ticked 1 window(s) 2026-11-02T09:00:00.000Z .. 2026-11-02T09:05:00.000Z: " +
      result.rows +
      " rows",
  ]);
});

test("a cold instance resumes from the checkpoint a warm one kept in the lake, with the same records", async () => {
  const { settings } = await setUp({ RETAIL_MDS_SIM_DAYS: "6" });
  let now = "2026-11-06T10:05:00.100Z";
  const warm = createTickHandler({ settings, now: () => new Date(now) });
  const first = await warm(timer("2026-11-06T10:00:00Z"), context([]));
  expect(first.resumedFrom).toBeUndefined();
  expect(first.checkpointSaved).toMatch(
    /^_state\/simulation\/[0-9a-f]{16}\/20261106T100500Z\.bin$/,
  );
  // The next window's end too: the checkpoint a cold start after it begins from.
  now = "2026-11-06T10:10:00.100Z";
  const again = await warm(timer("2026-11-06T10:05:00Z"), context([]));
  expect(again.checkpointSaved).toMatch(/\/20261106T101000Z\.bin$/);

  // A new instance (a cold start) picks it up instead of replaying from 11-02.
  const cold = createTickHandler({ settings, now: () => new Date("2026-11-06T10:15:00.100Z") });
  const second = await cold(timer("2026-11-06T10:10:00Z"), context([]));
  expect(second.resumedFrom).toBe("2026-11-06T10:10:00.000Z");
  expect(second.rows).toBeGreaterThan(0);
  expect(second.rows).toBe(rowsOf("2026-11-06T10:10:00Z", "2026-11-06T10:15:00Z", 6));
});

test("every tick saves a checkpoint at its end; one is kept when a store's day moves on or RETAIL_MDS_CHECKPOINT_MINUTES after the last kept, the others replaced by the next; a cold start begins at its own window", async () => {
  const { settings, container } = await setUp({
    RETAIL_MDS_SIM_DAYS: "6",
    RETAIL_MDS_CHECKPOINT_MINUTES: "30",
  });
  let now = Date.parse("2026-11-06T10:05:00.100Z");
  const tick = createTickHandler({ settings, now: () => new Date(now) });
  const saved: string[] = [];
  const replaced: string[] = [];
  for (let i = 0; i < 8; i++) {
    const last = new Date(Math.floor(now / 300_000) * 300_000 - 300_000).toISOString();
    const result = await tick(timer(last), context([]));
    if (result.checkpointSaved) saved.push(result.checkpointSaved);
    if (result.checkpointReplaced) replaced.push(result.checkpointReplaced);
    now += 300_000;
  }
  const names = (paths: string[]) => paths.map((path) => path.split("/").pop());
  // Windows 10:00-10:05 .. 10:35-10:40, the stores' days unchanged: one at each window's end;
  // the first kept, and the one 30 minutes later; each other one replaced by the next.
  expect(names(saved)).toEqual(
    ["1005", "1010", "1015", "1020", "1025", "1030", "1035", "1040"].map(
      (hhmm) => `20261106T${hhmm}00Z.bin`,
    ),
  );
  expect(names(replaced)).toEqual(
    ["1010", "1015", "1020", "1025", "1030"].map((hhmm) => `20261106T${hhmm}00Z.bin`),
  );
  const client = BlobServiceClient.fromConnectionString(
    azurite().connectionString,
  ).getContainerClient(container);
  const state: string[] = [];
  for await (const blob of client.listBlobsFlat({ prefix: "_state/" })) state.push(blob.name);
  expect(names(state.sort())).toEqual([
    "20261106T100500Z.bin",
    "20261106T103500Z.bin",
    "20261106T104000Z.bin",
  ]);
  // A cold instance at 10:45 resumes from the 10:40 one, the start of its window.
  const cold = createTickHandler({ settings, now: () => new Date("2026-11-06T10:45:00.100Z") });
  const resumed = await cold(timer("2026-11-06T10:40:00Z"), context([]));
  expect(resumed.resumedFrom).toBe("2026-11-06T10:40:00.000Z");
  expect(resumed.rows).toBe(rowsOf("2026-11-06T10:40:00Z", "2026-11-06T10:45:00Z", 6));
});

test("a past-due tick catches up every missed window: with the on-time run before it, no gap and no overlap", async () => {
  const { settings, container, events, sink } = await setUp();
  const logs: string[] = [];
  const onTime = await createTickHandler({
    settings,
    events: sink,
    now: () => new Date("2026-11-02T09:05:01Z"),
  })(timer("2026-11-02T09:00:00Z"), context(logs));
  // The host was down at 09:10 and 09:15; it fires late, past due, at 09:21.
  const late = await createTickHandler({
    settings,
    events: sink,
    now: () => new Date("2026-11-02T09:21:30Z"),
  })(timer("2026-11-02T09:05:00Z", true), context(logs));

  expect(late.windows.map((w) => `${w.from.slice(11, 16)}-${w.to.slice(11, 16)}`)).toEqual([
    "09:05-09:10",
    "09:10-09:15",
    "09:15-09:20",
  ]);
  expect(onTime.rows + late.rows).toBe(rowsOf("2026-11-02T09:00:00Z", "2026-11-02T09:20:00Z"));
  const windowsOnDisk = new Set(
    (await listData(container)).map((f) => /-(\d{8}T\d{4}Z-\d{8}T\d{4}Z)-/.exec(f)?.[1]),
  );
  expect([...windowsOnDisk].sort()).toEqual([
    "20261102T0900Z-20261102T0905Z",
    "20261102T0905Z-20261102T0910Z",
    "20261102T0910Z-20261102T0915Z",
    "20261102T0915Z-20261102T0920Z",
  ]);
  expect(events).toHaveLength((await listData(container)).length);
  expect(logs[1]).toBe("warning: past due: catching up 3 window(s) since 2026-11-02T09:05:00.000Z");
});

test("a retried tick publishes nothing twice", async () => {
  const { settings, events, sink } = await setUp();
  const run = () =>
    createTickHandler({ settings, events: sink, now: () => new Date("2026-11-02T09:05:02Z") })(
      timer("2026-11-02T09:00:00Z"),
      context([]),
    );
  const first = await run();
  const again = await run();
  expect(first.published).toBe(2);
  expect({ published: again.published, unchanged: again.unchanged }).toEqual({
    published: 0,
    unchanged: 2,
  });
  expect(events).toHaveLength(2);
});

test("a failing write fails the invocation instead of being swallowed", async () => {
  const { settings } = await setUp();
  const missing = { ...settings, RETAIL_MDS_CONTAINER: "no-such-container" };
  const tick = createTickHandler({
    settings: missing,
    now: () => new Date("2026-11-02T09:05:02Z"),
  });
  await expect(tick(timer("2026-11-02T09:00:00Z"), context([]))).rejects.toThrow(
    /no-such-container|ContainerNotFound|does not exist/,
  );
});

async function blobs(container: string): Promise<Map<string, string>> {
  const client = BlobServiceClient.fromConnectionString(
    azurite().connectionString,
  ).getContainerClient(container);
  const out = new Map<string, string>();
  for await (const blob of client.listBlobsFlat()) {
    if (blob.name.startsWith("_state/")) continue; // checkpoints: per shard, by design
    const bytes = await client.getBlobClient(blob.name).downloadToBuffer();
    out.set(blob.name, bytes.toString("base64"));
  }
  return out;
}

test("3 function apps with RETAIL_MDS_SHARD 1/3..3/3 on one container write the blobs of one app with RETAIL_MDS_STORE_GROUPS=3, cold starts included", async () => {
  const whole = await setUp({ RETAIL_MDS_STORE_GROUPS: "3", RETAIL_MDS_SIM_DAYS: "6" });
  const first = await setUp({ RETAIL_MDS_SHARD: "1/3", RETAIL_MDS_SIM_DAYS: "6" });
  const shared = first.container;
  const shards = [
    first.settings,
    ...["2/3", "3/3"].map((shard) => ({
      ...first.settings,
      RETAIL_MDS_SHARD: { index: Number(shard[0]), count: 3 },
    })),
  ];
  const ticks = ["2026-11-06T10:00:00Z", "2026-11-06T10:05:00Z"];
  const run = async (settings: Settings) => {
    let rows = 0;
    for (const [i, last] of ticks.entries()) {
      // A new handler for the second tick: a cold instance, which resumes from the checkpoint.
      const tick = createTickHandler({
        settings,
        now: () => new Date(Date.parse(last) + 5 * 60_000 + 100),
      });
      const result = await tick(timer(last), context([]));
      if (i === 1) expect(result.resumedFrom).toBe("2026-11-06T10:05:00.000Z");
      rows += result.rows;
    }
    return rows;
  };
  const wholeRows = await run(whole.settings);
  const shardRows = await Promise.all(shards.map(run));
  expect(shardRows.every((n) => n > 0)).toBe(true);
  expect(shardRows.reduce((a, b) => a + b, 0)).toBe(wholeRows);
  const expected = await blobs(whole.container);
  const written = await blobs(shared);
  expect([...written.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, bytes] of expected) expect(written.get(name), name).toBe(bytes);
  expect([...expected.keys()].some((n) => /-g003-00001\.parquet$/.test(n))).toBe(true);
  expect([...expected.keys()].filter((n) => n.startsWith("_manifests/")).sort()).toEqual(
    expect.arrayContaining(["_manifests/tick-20261106t1000-20261106t1005-g001.json"]),
  );
});

test("bad app settings are refused at start-up, naming the setting", () => {
  const base = { RETAIL_MDS_ACCOUNT_URL: "https://acct.dfs.core.windows.net" };
  expect(() => readSettings({ ...base, RETAIL_MDS_SHARD: "4/3" })).toThrow(
    "app setting RETAIL_MDS_SHARD must be i/n with 1 <= i <= n, e.g. 2/3",
  );
  expect(() => readSettings({ ...base, RETAIL_MDS_SHARD: "1/30" })).toThrow(
    "app setting RETAIL_MDS_SHARD must have n at most RETAIL_MDS_STORES (20): a shard needs a store",
  );
  expect(() =>
    readSettings({ ...base, RETAIL_MDS_SHARD: "1/3", RETAIL_MDS_STORE_GROUPS: "2" }),
  ).toThrow(
    "app setting RETAIL_MDS_STORE_GROUPS must be the shard count (3) with RETAIL_MDS_SHARD, or unset",
  );
  expect(() =>
    readSettings({ RETAIL_MDS_CONTAINER: "landing" }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[SettingsError: app setting RETAIL_MDS_ACCOUNT_URL must be set (the managed identity signs in to it) when RETAIL_MDS_CONNECTION_STRING is not]`,
  );
  expect(() =>
    readSettings({
      RETAIL_MDS_ACCOUNT_URL: "https://acct.dfs.core.windows.net",
      RETAIL_MDS_TICK_SCHEDULE: "*/5 * * * *",
    }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[SettingsError: app setting RETAIL_MDS_TICK_SCHEDULE is not a valid schedule: NCRONTAB "*/5 * * * *": expression has 5 fields; NCRONTAB has six: {second} {minute} {hour} {day} {month} {day-of-week}]`,
  );
  expect(() =>
    readSettings({
      RETAIL_MDS_ACCOUNT_URL: "https://acct.dfs.core.windows.net",
      WEBSITE_TIME_ZONE: "Romance Standard Time",
    }),
  ).toThrow(/^app setting WEBSITE_TIME_ZONE /);
  expect(
    readSettings({ RETAIL_MDS_ACCOUNT_URL: "https://acct.dfs.core.windows.net" }),
  ).toMatchObject({
    RETAIL_MDS_TICK_SCHEDULE: "0 */5 * * * *",
    RETAIL_MDS_STORE_KIND: "adls",
    RETAIL_MDS_CONTAINER: "landing",
    RETAIL_MDS_FORMAT: "parquet",
  });
});

test("without Event Grid (Azurite, local runs), RETAIL_MDS_EVENT_QUEUE receives one Event Grid message per file", async () => {
  const { settings, container } = await setUp();
  const withQueue = readSettings({
    ...SIMULATION,
    RETAIL_MDS_STORE_KIND: "blob",
    RETAIL_MDS_CONNECTION_STRING: azurite().connectionString,
    RETAIL_MDS_CONTAINER: settings.RETAIL_MDS_CONTAINER,
    RETAIL_MDS_EVENT_QUEUE: `events-${container}`,
  });
  await createTickHandler({ settings: withQueue, now: () => new Date("2026-11-02T09:05:00Z") })(
    timer("2026-11-02T09:00:00Z"),
    context([]),
  );

  const queue = new QueueClient(azurite().connectionString, `events-${container}`);
  const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32 });
  const events = receivedMessageItems.map((m) => {
    const text = m.messageText.trim().startsWith("{")
      ? m.messageText
      : Buffer.from(m.messageText, "base64").toString("utf8");
    return JSON.parse(text) as BlobCreatedEvent;
  });
  expect(
    events.map((e) => `${e.eventType} ${e.data.api} ${e.subject.split("/blobs/")[1]}`).sort(),
  ).toEqual((await listData(container)).map((f) => `Microsoft.Storage.BlobCreated PutBlob ${f}`));
});
