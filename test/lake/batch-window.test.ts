import { readdirSync } from "node:fs";
import { expect, test } from "vitest";
import { type Batch, saleLine, stockSnapshot, store } from "../../src/entities/index.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import {
  BatchWindowError,
  createLakeWriter,
  localStore,
  type RejectedRecord,
} from "../../src/lake/index.js";
import { saleLines, stockSnapshots, stores } from "./fixtures.js";
import { tempDir } from "./temp-dir.js";

// Issue 13, left over: the lake writer accepted records outside their batch's window (and
// windows ending before they start). The window names the files and windows partition time,
// so such a record lands twice, or never, under another split: refused, naming the record.

const window = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T10:00:00Z" };
const write = async (batches: Batch[], quarantine?: RejectedRecord[]) => {
  const dir = tempDir("batch-window-");
  const writer = createLakeWriter({
    store: localStore(dir),
    format: "csv",
    ...(quarantine ? { quarantine: { reject: async (r) => void quarantine.push(...r) } } : {}),
  });
  const error = await writer
    .writeAll(batches)
    .then(() => writer.close())
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  return { dir, error, files: readdirSync(dir, { recursive: true }) };
};

test("a record outside its window is refused, naming its row, event time and window, before any of the batch is written", async () => {
  const late = { ...saleLines[0], sold_at: "2026-11-01T10:00:00.000Z" };
  const { error, files } = await write([
    { entity: saleLine, window, records: [saleLines[0], late] } as Batch,
  ]);
  expect(error).toBeInstanceOf(BatchWindowError);
  expect((error as BatchWindowError).record).toEqual({ row: 2, eventTime: late.sold_at });
  expect((error as Error).message).toMatchInlineSnapshot(
    `"sale_line batch of window [2026-11-01T08:00:00Z, 2026-11-01T10:00:00Z): row 2 has sold_at 2026-11-01T10:00:00.000Z, outside the window: write each record in the batch of its window"`,
  );
  expect(files).toEqual([]);
});

test("quarantine does not take a record outside its window: the batch is wrong, not the record", async () => {
  const rejected: RejectedRecord[] = [];
  const early = { ...saleLines[0], sold_at: "2026-11-01T07:59:59.999Z" };
  const { error } = await write(
    [{ entity: saleLine, window, records: [early] } as Batch],
    rejected,
  );
  expect(error).toBeInstanceOf(BatchWindowError);
  expect(rejected).toEqual([]);
});

test("a window ending before it starts is refused, for reference data and legacy text too", async () => {
  const backwards = { from: window.to, to: window.from };
  const reference = await write([{ entity: store, window: backwards, records: stores } as Batch]);
  expect((reference.error as Error).message).toMatchInlineSnapshot(
    `"store batch of window [2026-11-01T10:00:00Z, 2026-11-01T08:00:00Z): the window ends before it starts"`,
  );
  const dir = tempDir("batch-window-");
  const writer = createLakeWriter({ store: localStore(dir), format: "csv" });
  await expect(
    writer.writeText({ entity: saleLine, window: backwards, rows: [{ sale_line_id: "x" }] }),
  ).rejects.toBeInstanceOf(BatchWindowError);
});

test("an empty window holds reference data as of its instant, and no record with an event time", async () => {
  const instant = { from: window.from, to: window.from };
  const reference = await write([{ entity: store, window: instant, records: stores } as Batch]);
  expect(reference.error).toBeUndefined();
  expect(reference.files).toContain("store/store-20261101T0800Z-20261101T0800Z-00001.csv");
  const sales = await write([
    { entity: saleLine, window: instant, records: [saleLines[0]] } as Batch,
  ]);
  expect((sales.error as Error).message).toContain("(an empty window holds no record)");
  // A batch with no records in an empty window writes nothing and is no error.
  expect((await write([{ entity: saleLine, window: instant, records: [] } as Batch])).error).toBe(
    undefined,
  );
});

test("a date is inside a window overlapping its UTC day or the day before or after", async () => {
  const day = { from: "2026-11-02T00:00:00Z", to: "2026-11-03T00:00:00Z" };
  const at = (snapshot_date: string) =>
    write([
      { entity: stockSnapshot, window: day, records: [{ ...stockSnapshots[0], snapshot_date }] },
    ] as Batch[]);
  for (const date of ["2026-11-01", "2026-11-02", "2026-11-03"])
    expect((await at(date)).error, date).toBeUndefined();
  for (const date of ["2026-10-31", "2026-11-04"])
    expect((await at(date)).error, date).toBeInstanceOf(BatchWindowError);
});

test("the simulation's own batches are all inside their windows, daily snapshots at each store's close included", async () => {
  const sim = createRetailSimulation({
    from: "2026-11-02",
    days: 2,
    stores: 6,
    products: 8,
    seed: 3,
  });
  const { error } = await write([...sim.generate()]);
  expect(error).toBeUndefined();
});
