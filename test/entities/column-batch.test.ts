import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import {
  type ColumnBatch,
  columnBatchRecords,
  isColumnBatch,
  stockSnapshot,
} from "../../src/entities/index.js";
import { createLakeWriter, localStore } from "../../src/lake/index.js";
import { tempDir } from "../lake/temp-dir.js";

const window = { from: "2026-11-02T00:00:00Z", to: "2026-11-03T00:00:00Z" };
const day = Date.UTC(2026, 10, 2) / 86_400_000;

// stock_snapshot: snapshot_date date, store_id, sku, on_hand, on_order, reorder_point (ints).
const snapshots: ColumnBatch<typeof stockSnapshot> = {
  entity: stockSnapshot,
  window,
  length: 3,
  columns: [
    { kind: "date", values: Int32Array.of(day, day, day) },
    { kind: "dictionary", dictionary: ["S001", "S002"], codes: Int32Array.of(0, 0, 1) },
    { kind: "string", values: ["P000001", "P000002", "P000001"] },
    { kind: "int", values: Int32Array.of(5, 0, 12) },
    { kind: "int", values: Int32Array.of(0, 24, 0) },
    { kind: "int", values: Int32Array.of(4, 6, 4) },
  ],
};

test("a column batch means its records, in canonical form", () => {
  expect(isColumnBatch(snapshots)).toBe(true);
  expect(columnBatchRecords(snapshots)[2]).toEqual({
    snapshot_date: "2026-11-02",
    store_id: "S002",
    sku: "P000001",
    on_hand: 12,
    on_order: 0,
    reorder_point: 4,
  });
});

test("a column of the wrong kind for its logical type is refused, naming it", () => {
  const wrong = { ...snapshots, columns: [{ kind: "int", values: Int32Array.of(1, 2, 3) }] };
  expect(() => columnBatchRecords(wrong as ColumnBatch)).toThrow(
    "stock_snapshot.snapshot_date: a date column cannot be given as int",
  );
});

test("the lake writer writes the same file from a column batch as from its records", async () => {
  const files: Buffer[] = [];
  for (const batch of [snapshots, { ...snapshots, records: columnBatchRecords(snapshots) }]) {
    const root = tempDir("column-batch-");
    const writer = createLakeWriter({ store: localStore(root), format: "parquet" });
    if ("records" in batch)
      await writer.write({ entity: stockSnapshot, window, records: batch.records });
    else await writer.write(batch);
    const [file] = (await writer.close()).files;
    files.push(readFileSync(join(root, file?.path ?? "")));
  }
  expect(files[0]?.length).toBeGreaterThan(0);
  expect(files[0]?.equals(files[1] as Buffer)).toBe(true);
});
