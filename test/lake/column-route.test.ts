import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import { columnBatchCheckOf } from "../../src/entities/column-check.js";
import {
  type Batch,
  type Column,
  type ColumnBatch,
  type ColumnValues,
  columnBatchRecords,
  type Entity,
  product,
  saleLine,
  stockSnapshot,
} from "../../src/entities/index.js";
import { gatherTextSizes, gatherTransferColumns } from "../../src/lake/column-gather.js";
import { partitionReader, rowTextSizes, storeGroupReader } from "../../src/lake/column-route.js";
import {
  fromTransferColumns,
  hasFewValues,
  type NumericColumn,
  type TransferColumn,
  toTransferColumns,
} from "../../src/lake/column-transfer.js";
import {
  createLakeWriter,
  localStore,
  partitionOf,
  type RejectedRecord,
  storeGroupOf,
} from "../../src/lake/index.js";
import { recordTextSize } from "../../src/lake/record-size.js";
import { tempDir } from "./temp-dir.js";

// The contract of the lake writer's columnar route: writing a ColumnBatch gives the files,
// manifests, counts, quarantine and errors that writing its records (columnBatchRecords) gives,
// byte for byte, valid or not, whatever the roll, buffer, store groups and encode workers.

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 8); // 2026-11-01T08:00Z
const D0 = Date.UTC(2026, 10, 1) / DAY; // 2026-11-01 as a day number

/**
 * How a batch's rows go: all valid; with some values the record check refuses (quarantined, or
 * a ValidationError without quarantine); or also with ones that throw for any sink (an event
 * time outside the window, a fraction of a decimal unit, a column of the wrong kind).
 */
type Mode = "valid" | "invalid" | "fatal";

/** A valid value, sometimes (by mode) an invalid or fatal one. */
const pick = <T>(
  mode: Mode,
  valid: fc.Arbitrary<T>,
  invalid?: fc.Arbitrary<unknown>,
  fatal?: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> => {
  const bad = mode === "fatal" ? fatal : mode === "invalid" ? invalid : undefined;
  return bad ? fc.oneof({ weight: 20, arbitrary: valid }, { weight: 1, arbitrary: bad }) : valid;
};

type Row = Record<string, unknown>;
type Cell = string | number | boolean | null;
interface Shape {
  readonly entity: Entity;
  /** Row values in column order: strings as text, decimals as units, times as numbers. */
  row(window: number, mode: Mode): fc.Arbitrary<Cell[]>;
  windowOf(window: number): { from: string; to: string };
}

const stores = fc.constantFrom("S001", "S002", "S003", "S004", "S010");
const skus = fc.constantFrom("P000001", "P000002", "P123456", "P999999");
const units = (min: number, max: number) => fc.integer({ min, max });

const saleShape: Shape = {
  entity: saleLine,
  // Two-hour windows: rows of one window land in two hourly partitions.
  windowOf: (w) => ({
    from: new Date(T0 + w * 2 * HOUR).toISOString(),
    to: new Date(T0 + (w + 1) * 2 * HOUR).toISOString(),
  }),
  row: (w, mode) =>
    fc.tuple(
      pick(
        mode,
        fc.integer({ min: 1, max: 40 }).map((n) => `T-S001-20261101-${String(n).padStart(6, "0")}`),
        fc.constantFrom("X1", ""),
      ),
      pick(mode, fc.integer({ min: 1, max: 999 }), fc.constantFrom(0, 1000, null)),
      pick(
        mode,
        fc.integer({ min: T0 + w * 2 * HOUR, max: T0 + (w + 1) * 2 * HOUR - 1 }),
        fc.constant(null),
        fc.constantFrom(T0 - 1, T0 + 100 * HOUR),
      ),
      pick(mode, stores, fc.constantFrom("S1", null)),
      pick(mode, skus, fc.constantFrom("P12", null)),
      fc.option(fc.constantFrom("C0000001", "C0000042", "C1234567"), { freq: 3 }),
      pick(mode, fc.integer({ min: -999, max: 999 }), fc.constantFrom(1000, -1000)),
      pick(mode, units(0, 1_000_000), fc.constantFrom(-1, 1_000_001), fc.constant(0.5)),
      units(-100_000_000, 100_000_000),
      pick(mode, units(-100_000_000, 100_000_000), fc.constantFrom(100_000_001, null)),
      units(-100, 100_000),
      pick(
        mode,
        fc.constantFrom("card", "cash", "gift_card", "mobile", "paypal"),
        fc.constant("cheque"),
      ),
      fc.constantFrom("store", "web", "drive"),
      fc.constant("EUR"),
    ) as fc.Arbitrary<Cell[]>,
};

const snapshotShape: Shape = {
  entity: stockSnapshot,
  // Two-day windows: a date is inside when the window overlaps its day, the day before or after.
  windowOf: (w) => ({
    from: new Date((D0 + 2 * w) * DAY).toISOString(),
    to: new Date((D0 + 2 * w + 2) * DAY).toISOString(),
  }),
  row: (w, mode) =>
    fc.tuple(
      pick(
        mode,
        fc.integer({ min: D0 + 2 * w - 1, max: D0 + 2 * w + 2 }),
        fc.constant(null),
        fc.constant(D0 + 2 * w + 5),
      ),
      pick(mode, stores, fc.constant(null)),
      skus,
      pick(mode, fc.integer({ min: 0, max: 2_000_000_000 }), fc.constant(-1)),
      fc.integer({ min: 0, max: 500 }),
      pick(mode, fc.integer({ min: 0, max: 40 }), fc.constant(null)),
    ) as fc.Arbitrary<Cell[]>,
};

// Reference data: no event time, no partition, a boolean (3 means false too, as for records).
const productShape: Shape = {
  entity: product,
  windowOf: (w) => ({
    from: new Date((D0 + w) * DAY).toISOString(),
    to: new Date((D0 + w + 1) * DAY).toISOString(),
  }),
  row: (_, mode) =>
    fc.tuple(
      skus,
      pick(
        mode,
        fc.constantFrom("Crème brûlée 2×100 g", 'TV 55" OLED', "Café"),
        fc.constantFrom(" padded", "bad\uFFFD"),
      ),
      fc.constantFrom("Dairy", "Electronics"),
      fc.constantFrom("Desserts", "TV"),
      pick(mode, fc.constantFrom("Maison", "Brand, Inc."), fc.constant(null)),
      units(0, 1_000_000),
      pick(mode, units(1, 1_000_000), fc.constant(0), fc.constant(0.5)),
      pick(mode, units(0, 3000), fc.constant(3001)),
      pick(mode, fc.constantFrom(true, false, 3), fc.constant(null)),
      pick(mode, fc.integer({ min: -719_468, max: D0 }), fc.constant(2_932_897)),
    ) as fc.Arbitrary<Cell[]>,
};

const shapes = { sale_line: saleShape, stock_snapshot: snapshotShape, product: productShape };

/** A column of `values` (already the row cells) in one of the kinds its type may take. */
function columnOf(entity: Entity, c: number, cells: Cell[], asDictionary: boolean): ColumnValues {
  const type = (entity.columns[c] as Entity["columns"][number]).type;
  const nulls = Uint8Array.from(cells, (v) => (v === null ? 1 : 0));
  const numbers = (make: (n: number) => Int32Array | Float64Array) =>
    make(cells.length).map((_, i) => (cells[i] === null ? 7 : (cells[i] as number)));
  switch (type.kind) {
    case "boolean":
      return {
        kind: "boolean",
        values: Uint8Array.from(cells, (v) =>
          v === null ? 2 : v === true ? 1 : v === false ? 0 : Number(v),
        ),
      };
    case "int":
      return { kind: "int", values: numbers((n) => new Int32Array(n)) as Int32Array, nulls };
    case "date":
      return { kind: "date", values: numbers((n) => new Int32Array(n)) as Int32Array, nulls };
    case "decimal":
      return {
        kind: "decimal",
        values: numbers((n) => new Float64Array(n)) as Float64Array,
        nulls,
      };
    case "timestamp":
      return {
        kind: "timestamp",
        values: numbers((n) => new Float64Array(n)) as Float64Array,
        nulls,
      };
    default: {
      const strings = cells as (string | null)[];
      if (!asDictionary) return { kind: "string", values: strings };
      // Distinct values in reverse first-use order, and one no row uses.
      const dictionary = [...new Set(strings.filter((v) => v !== null))].reverse();
      dictionary.push("UNUSED");
      return {
        kind: "dictionary",
        dictionary,
        codes: Int32Array.from(strings, (v) => (v === null ? -1 : dictionary.indexOf(v))),
      };
    }
  }
}

interface Plan {
  readonly shape: keyof typeof shapes;
  /** Per window, its batches; per batch its rows, string columns as dictionaries or not. */
  readonly windows: {
    rows: Cell[][];
    dictionaries: boolean[];
    asRecords: boolean;
    wrongKind: boolean;
  }[][];
  readonly options: {
    readonly storeGroups: number;
    readonly maxRows: number;
    readonly maxBytes: number;
    readonly rowGroupBytes: number;
    readonly maxBufferedRows: number;
    readonly workers: number;
    readonly quarantine: boolean;
  };
}

// Most batches are valid, and go column by column; a batch with an invalid value goes the
// record path as a whole; one in twenty may throw.
const batchOf = (shape: Shape, w: number) =>
  fc
    .constantFrom<Mode>(
      "fatal",
      ...Array<Mode>(5).fill("invalid"),
      ...Array<Mode>(14).fill("valid"),
    )
    .chain((mode) =>
      fc.record({
        rows: fc.array(shape.row(w, mode), { maxLength: 40, size: "max" }),
        dictionaries: fc.array(fc.boolean(), {
          minLength: shape.entity.columns.length,
          maxLength: shape.entity.columns.length,
        }),
        // Sent as records on the columnar side too: files then mix records and column rows.
        asRecords: fc.constantFrom(true, false, false, false, false),
        wrongKind:
          mode === "fatal"
            ? fc.integer({ min: 0, max: 7 }).map((k) => k === 0)
            : fc.constant(false),
      }),
    );

const plans: fc.Arbitrary<Plan> = fc
  .record({
    shape: fc.constantFrom("sale_line" as const, "stock_snapshot" as const, "product" as const),
    windows: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ shape: name, windows }) => {
    const shape = shapes[name];
    return fc.record({
      shape: fc.constant(name),
      windows: fc.tuple(
        ...Array.from({ length: windows }, (_, w) =>
          fc.array(batchOf(shape, w), { minLength: 1, maxLength: 3 }),
        ),
      ),
      options: fc.record({
        storeGroups: fc.integer({ min: 1, max: 3 }),
        maxRows: fc.integer({ min: 1, max: 30 }),
        maxBytes: fc.oneof(fc.integer({ min: 200, max: 30_000 }), fc.constant(128 * 1024 * 1024)),
        rowGroupBytes: fc.integer({ min: 100, max: 5_000 }),
        maxBufferedRows: fc.integer({ min: 1, max: 60 }),
        workers: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 1),
        quarantine: fc.constantFrom(true, true, true, false),
      }),
    });
  });

/**
 * Gathered columns are what toTransferColumns makes of the records: the same columns for ints,
 * booleans and strings; decimals, dates and timestamps typed, with the records' values and the
 * same verdict of few or many values (what turns a Parquet dictionary on or off).
 */
function expectSameTransfer(
  columns: readonly Column[],
  gathered: TransferColumn[],
  records: Row[],
) {
  const expected = toTransferColumns(columns, records);
  expect(fromTransferColumns(columns, gathered)).toEqual(fromTransferColumns(columns, expected));
  gathered.forEach((column, c) => {
    const kind = (columns[c] as Column).type.kind;
    if (kind === "decimal" || kind === "date" || kind === "timestamp") {
      expect(column.kind).toBe(kind);
      expect(hasFewValues(column as NumericColumn)).toBe(expected[c]?.kind === "codes");
    } else expect(column).toEqual(expected[c]);
  });
}

/** Columns of `n` rows from their cells, strings alternately as values and dictionaries. */
function columnsOf(entity: Entity, n: number, row: (i: number) => Cell[]): ColumnValues[] {
  const rows = Array.from({ length: n }, (_, i) => row(i));
  return entity.columns.map((_, c) =>
    columnOf(
      entity,
      c,
      rows.map((r) => r[c] as Cell),
      c % 2 === 0,
    ),
  );
}

function columnBatches(plan: Plan): ColumnBatch[] {
  const shape = shapes[plan.shape];
  const { entity } = shape;
  return plan.windows.flatMap((batches, w) =>
    batches.map(({ rows, dictionaries, wrongKind }) => {
      const columns = entity.columns.map((_, c) =>
        columnOf(
          entity,
          c,
          rows.map((row) => row[c] as Cell),
          dictionaries[c] as boolean,
        ),
      );
      // A column of the wrong kind for its type: both paths throw columnBatchRecords' TypeError.
      if (wrongKind) columns[0] = { kind: "boolean", values: new Uint8Array(rows.length) };
      return { entity, window: shape.windowOf(w), length: rows.length, columns };
    }),
  );
}

/** What a run leaves: every file's bytes by path, what was quarantined, and any error. */
async function run(plan: Plan, batches: (() => Batch | ColumnBatch)[]) {
  const root = tempDir("column-route-");
  const rejected: RejectedRecord[] = [];
  const writer = createLakeWriter({
    store: localStore(root),
    format: "parquet",
    roll: { maxRows: plan.options.maxRows, maxBytes: plan.options.maxBytes },
    maxBufferedRows: plan.options.maxBufferedRows,
    rowGroupBytes: plan.options.rowGroupBytes,
    storeGroups: plan.options.storeGroups,
    workers: plan.options.workers,
    ...(plan.options.quarantine
      ? { quarantine: { reject: async (r) => void rejected.push(...r) } }
      : {}),
  });
  let error: string | undefined;
  let result: unknown;
  try {
    for (const batch of batches) await writer.write(batch());
    result = await writer.close();
  } catch (e) {
    error = `${(e as Error).name}: ${(e as Error).message.replaceAll(root, "<root>")}`;
  }
  const files: Record<string, string> = {};
  if (!error) {
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files[relative(root, path)] = readFileSync(path).toString("base64");
    }
  }
  return { error, result, files, rejected };
}

test("each row's routing is what the record path computes from its record", () => {
  fc.assert(
    fc.property(plans, (plan) => {
      for (const batch of columnBatches(plan)) {
        const { entity } = batch;
        if (!columnBatchCheckOf(entity)(batch)) continue;
        const records = columnBatchRecords(batch);
        const sizes = rowTextSizes(batch);
        const partOf = partitionReader(batch);
        const groupOf = storeGroupReader(batch, plan.options.storeGroups);
        records.forEach((record, i) => {
          // Proved valid: the record check accepts the record itself (no zod, no copy).
          expect(entity.check(record)).toEqual({ ok: true, value: record });
          expect(sizes[i]).toBe(recordTextSize(entity.columns, record));
          expect(partOf(i)).toEqual(
            partitionOf(entity.partition, record[entity.eventTime ?? ""] as string),
          );
          const id = record.store_id;
          expect(groupOf(i)).toBe(
            typeof id === "string" ? storeGroupOf(id, plan.options.storeGroups) : 0,
          );
        });
        // Two files' worth of rows, interleaved, gathered as toTransferColumns gathers records.
        const rows = [...records.keys()];
        const parts = [rows.filter((i) => i % 3 !== 1), rows.filter((i) => i % 3 === 1)];
        for (const part of parts) {
          const batchRows = [
            { batch, sizes, rows: Int32Array.from(part) },
            { batch, sizes, rows: Int32Array.from(part.slice(1)) },
          ];
          const theirRecords = batchRows.flatMap((p) => [...p.rows].map((i) => records[i] as Row));
          expectSameTransfer(
            entity.columns,
            gatherTransferColumns(entity.columns, batchRows),
            theirRecords,
          );
          expect([...gatherTextSizes(batchRows)]).toEqual(
            theirRecords.map((r) => recordTextSize(entity.columns, r)),
          );
        }
      }
    }),
    { numRuns: 300 },
  );
});

test("a file's columns of many distinct values are gathered as text, as from records", () => {
  // Past max(64, rows / 8) distinct values toTransferColumns sends a column as text, not codes.
  const n = 300;
  const batch: ColumnBatch = {
    entity: saleLine,
    window: saleShape.windowOf(0),
    length: n,
    columns: columnsOf(saleLine, n, (i) => [
      `T-S001-20261101-${String(i).padStart(6, "0")}`,
      (i % 9) + 1,
      T0 + i * 997,
      `S${String((i % 80) + 1).padStart(3, "0")}`,
      `P${String(i % 90).padStart(6, "0")}`,
      i % 4 ? `C${String(i).padStart(7, "0")}` : null,
      (i % 21) - 10,
      i * 37,
      0,
      -i * 101,
      i % 65,
      "card",
      "web",
      "EUR",
    ]),
  };
  expect(columnBatchCheckOf(saleLine)(batch)).toBe(true);
  const records = columnBatchRecords(batch);
  const sizes = rowTextSizes(batch);
  const rows = [...records.keys()].filter((i) => i % 7 !== 3);
  const transfer = gatherTransferColumns(saleLine.columns, [
    { batch, sizes, rows: Int32Array.from(rows) },
  ]);
  expectSameTransfer(
    saleLine.columns,
    transfer,
    rows.map((i) => records[i] as Row),
  );
  // Both forms occur, from values and from dictionaries: ids, stores (values) and SKUs
  // (a dictionary) as text, the channel (a dictionary) and the rest as codes.
  expect(transfer.map((t) => t.kind)).toEqual([
    "text",
    "int",
    "timestamp",
    "text",
    "text",
    "text",
    "int",
    "decimal",
    "decimal",
    "decimal",
    "decimal",
    "codes",
    "codes",
    "codes",
  ]);
});

test("a column batch writes what its records write, byte for byte, valid or not", async () => {
  await fc.assert(
    fc.asyncProperty(plans, async (plan) => {
      const batches = columnBatches(plan);
      const asRecords = plan.windows.flat().map((b) => b.asRecords);
      const recordsOf = (b: ColumnBatch) => () => ({
        entity: b.entity,
        window: b.window,
        records: columnBatchRecords(b),
      });
      const columnar = await run(
        plan,
        batches.map((b, i) => (asRecords[i] ? recordsOf(b) : () => b)),
      );
      const records = await run(plan, batches.map(recordsOf));
      expect(columnar).toEqual(records);
    }),
    { numRuns: 40 },
  );
}, 300_000);

test("a batch's rows beyond what a file's row list first holds are all written, in order", async () => {
  // 5 000 rows of one hour, over two store groups' files rolled at 2 000 rows: each file's
  // list of the batch's rows grows past its first 1 024 while other files' lists grow too.
  const n = 5_000;
  const batch: ColumnBatch = {
    entity: saleLine,
    window: saleShape.windowOf(0),
    length: n,
    columns: columnsOf(saleLine, n, (i) => [
      `T-S001-20261101-${String(i).padStart(6, "0")}`,
      (i % 9) + 1,
      T0 + Math.floor(i / 3) * 7,
      `S00${(i % 4) + 1}`,
      `P${String(i % 90).padStart(6, "0")}`,
      i % 4 ? `C${String(i).padStart(7, "0")}` : null,
      (i % 21) - 10,
      i * 37,
      0,
      -i * 101,
      i % 65,
      "card",
      "web",
      "EUR",
    ]),
  };
  expect(columnBatchCheckOf(saleLine)(batch)).toBe(true);
  const plan: Plan = {
    shape: "sale_line",
    windows: [],
    options: {
      storeGroups: 2,
      maxRows: 2_000,
      maxBytes: 128 * 1024 * 1024,
      rowGroupBytes: 64 * 1024 * 1024,
      maxBufferedRows: 500_000,
      workers: 0,
      quarantine: false,
    },
  };
  const records = { entity: saleLine, window: batch.window, records: columnBatchRecords(batch) };
  const columnar = await run(plan, [() => batch]);
  expect(Object.keys(columnar.files).filter((f) => f.endsWith(".parquet"))).toHaveLength(4);
  expect(columnar).toEqual(await run(plan, [() => records]));
});

test("a dictionary's value lengths are measured again when it grew between batches", () => {
  // A batch's dictionary is never written into once handed over, but one that grew anyway
  // (a later batch's codes past the first's values) must not be read past its measured end.
  const dictionary = ["S001"];
  const batchOf = (codes: number[]): ColumnBatch => ({
    entity: stockSnapshot,
    window: snapshotShape.windowOf(0),
    length: codes.length,
    columns: [
      { kind: "date", values: Int32Array.from(codes, () => D0) },
      { kind: "dictionary", dictionary, codes: Int32Array.from(codes) },
      { kind: "dictionary", dictionary: ["P000001"], codes: Int32Array.from(codes, () => 0) },
      { kind: "int", values: Int32Array.from(codes, () => 5) },
      { kind: "int", values: Int32Array.from(codes, () => 0) },
      { kind: "int", values: Int32Array.from(codes, () => 2) },
    ],
  });
  const sizesOf = (batch: ColumnBatch) =>
    columnBatchRecords(batch).map((r) => recordTextSize(stockSnapshot.columns, r));
  const first = batchOf([0, 0]);
  expect([...rowTextSizes(first)]).toEqual(sizesOf(first));
  dictionary.push("S0000002");
  const second = batchOf([1, 0]);
  expect([...rowTextSizes(second)]).toEqual(sizesOf(second));
});
