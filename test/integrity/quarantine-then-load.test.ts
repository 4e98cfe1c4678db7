import { join } from "node:path";
import fc from "fast-check";
import { expect, test } from "vitest";
import { command as quality } from "../../src/cli/quality-command.js";
import { type Entity, entities, saleLine } from "../../src/entities/index.js";
import {
  fileEncoder,
  type LakeStore,
  lakePath,
  localStore,
  partitionOf,
  windowToken,
} from "../../src/lake/index.js";
import { checkLake } from "../../src/quality/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { customers, line, products, stores } from "../quality/fixtures.js";
import { tempFolder } from "../warehouse/lake-fixture.js";
import { runLoad } from "../warehouse/run-load.js";

const window = windowToken("2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z");

/** The tiny lake's files: reference data, and sale lines with bad records among good ones. */
const FILES: readonly {
  entity: Entity;
  format: "parquet" | "csv" | "ndjson";
  seq: number;
  records: () => object[];
}[] = [
  { entity: entities.store, format: "csv", seq: 1, records: () => stores },
  { entity: entities.product, format: "ndjson", seq: 1, records: () => products },
  { entity: entities.customer, format: "parquet", seq: 1, records: () => customers },
  // Line 3 breaks an arithmetic rule; line 4 names a store that does not exist.
  {
    entity: saleLine,
    format: "parquet",
    seq: 1,
    records: () => [
      line(1),
      line(2),
      line(3, { net_amount: "1.00" }),
      line(4, { store_id: "S404" }),
    ],
  },
  // Every record bad: quarantine leaves the file with no records.
  {
    entity: saleLine,
    format: "csv",
    seq: 2,
    records: () => [line(5, { net_amount: "2.00" }), line(6, { vat_amount: "99.00" })],
  },
  { entity: saleLine, format: "ndjson", seq: 3, records: () => [line(7), line(8)] },
];

function pathOf(file: (typeof FILES)[number]): string {
  const records = file.records() as Record<string, unknown>[];
  const eventTime = file.entity.eventTime ? String(records[0]?.[file.entity.eventTime]) : undefined;
  return lakePath({
    feed: "data",
    entity: file.entity.name,
    ...partitionOf(file.entity.partition, eventTime),
    window,
    seq: file.seq,
    extension: fileEncoder({ format: file.format }).extension,
  });
}

/** Lands a file as `generate` does: create if absent, never overwrite. */
async function land(store: LakeStore, index: number): Promise<void> {
  const file = FILES[index] as (typeof FILES)[number];
  const path = pathOf(file);
  if (await store.exists(path)) return;
  const encoder = fileEncoder({ format: file.format });
  await store.put(
    path,
    await encoder.encode(file.entity.columns, file.records() as Record<string, unknown>[]),
  );
}

async function quarantinedKeys(store: LakeStore): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const object of store.list("_quarantine/sale_line/")) {
    const text = new TextDecoder().decode(await store.get(object.path));
    for (const l of text.split("\n").filter(Boolean)) {
      keys.add(saleLine.keyOf((JSON.parse(l) as { record: Record<string, unknown> }).record));
    }
  }
  return keys;
}

async function rawKeys(lake: string, database: string): Promise<string[]> {
  const pipe = await openLocalPipe({ lake, database });
  try {
    const rows = await pipe.query(
      "select transaction_id || '|' || line_no as k from raw.sale_line order by k",
    );
    return rows.map((r) => String(r.k));
  } finally {
    await pipe.close();
  }
}

/** RAW holds each record at most once and never a quarantined one. */
async function expectInvariant(store: LakeStore, lake: string, database: string): Promise<void> {
  const keys = await rawKeys(lake, database);
  expect(keys.length, `duplicates in RAW: ${keys.join(", ")}`).toBe(new Set(keys).size);
  const quarantined = await quarantinedKeys(store);
  expect(keys.filter((k) => quarantined.has(k))).toEqual([]);
}

async function quiet<T>(task: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await task();
  } finally {
    console.log = log;
  }
}

test("load, quality --quarantine, load: the quarantined rows leave RAW, nothing is duplicated, exit 0", async () => {
  const root = tempFolder("quarantine-load");
  const lake = join(root, "lake");
  const database = join(root, "retail.duckdb");
  const store = localStore(lake);
  for (const i of FILES.keys()) await land(store, i);
  const loadArgs = ["--lake", lake, "--database", database];
  // The pipe checks types, not business rules: every sale line loads.
  expect((await runLoad(loadArgs)).code).toBe(0);
  expect(await rawKeys(lake, database)).toHaveLength(8);

  expect(await quiet(() => quality.run(["--lake", lake, "--quarantine"]))).toBe(1);
  const { code, out } = await runLoad(loadArgs);
  expect(out.replaceAll(root, "<tmp>")).toMatchInlineSnapshot(`
    "RELOADED         sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet  2 rows (replacing 4)
    RELOADED         sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.csv  0 rows (replacing 2)

    0 loaded, 0 partially loaded, 0 failed, 0 skipped, 0 conflict(s), 2 reloaded, 4 already loaded, 4 ignored; 2 rows into <tmp>/retail.duckdb"
  `);
  expect(code).toBe(0);
  expect(await rawKeys(lake, database)).toEqual(
    [1, 2, 7, 8].map((n) => `${line(n).transaction_id}|1`),
  );
  await expectInvariant(store, lake, database);
  expect(await quiet(() => quality.run(["--lake", lake]))).toBe(0);
});

test("any sequence of generate, quality --quarantine and load keeps RAW free of duplicates and quarantined rows", async () => {
  const op = fc.oneof(
    fc.record({ kind: fc.constant("land" as const), file: fc.nat({ max: FILES.length - 1 }) }),
    fc.constant({ kind: "quarantine" as const }),
    fc.constant({ kind: "load" as const }),
  );
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
      const root = tempFolder("quarantine-seq");
      const lake = join(root, "lake");
      const database = join(root, "retail.duckdb");
      const store = localStore(lake);
      for (const o of ops) {
        if (o.kind === "land") await land(store, o.file);
        else if (o.kind === "quarantine") await checkLake(store, { quarantine: true });
        else {
          const pipe = await openLocalPipe({ lake, database });
          const summary = await pipe.refresh().finally(() => pipe.close());
          expect(summary.conflicts).toBe(0);
          await expectInvariant(store, lake, database);
        }
      }
      // Nothing lost either: once everything is landed, quarantined and loaded, RAW is exactly
      // the sale lines that passed.
      for (const i of FILES.keys()) await land(store, i);
      await checkLake(store, { quarantine: true });
      const pipe = await openLocalPipe({ lake, database });
      const summary = await pipe.refresh().finally(() => pipe.close());
      expect([summary.conflicts, summary.failed]).toEqual([0, 0]);
      await expectInvariant(store, lake, database);
      const keys = await rawKeys(lake, database);
      const passed = [1, 2, 7, 8].map((n) => `${line(n).transaction_id}|1`);
      // Line 4 passes only when quarantine ran before the store file landed... and then is
      // quarantined by the final run, which lands every file first.
      expect(keys).toEqual(passed);
    }),
    { numRuns: 12 },
  );
});
