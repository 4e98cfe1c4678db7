import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { saleLine, store } from "../../src/entities/index.js";
import { createLakeWriter, localStore } from "../../src/lake/index.js";
import { createEvaluator, qualityRules, reconcile } from "../../src/quality/index.js";
import { lakeQuarantine } from "../../src/quality/lake-quarantine.js";
import { line, references } from "./fixtures.js";

test("rejected records land as NDJSON under _quarantine/<entity>/dt=/hour= with every rule and reason", async () => {
  const root = mkdtempSync(join(tmpdir(), "quarantine-"));
  const lake = localStore(root);
  const quarantine = lakeQuarantine(lake, { now: () => new Date("2026-11-02T10:30:00Z") });
  const evaluator = createEvaluator(qualityRules(saleLine), { references });
  const window = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T08:05:00Z" };
  const batches = [
    [
      line(1),
      line(2, { store_id: "S777", channel: "fax" }),
      line(3, { sold_at: "01/11/2026 08:15" }),
    ],
    [line(4), line(5, { net_amount: "1.00" })],
  ];
  const passed: unknown[] = [];
  for await (const good of evaluator.filter(
    batches.map((records) => ({ entity: saleLine, records, window })),
    quarantine,
  )) {
    passed.push(...good.records);
  }
  const report = evaluator.report();
  expect([report.input, passed.length, report.quarantined, quarantine.written]).toEqual([
    5, 2, 3, 3,
  ]);
  reconcile(report, { written: passed.length, quarantineWritten: quarantine.written });
  expect(quarantine.files).toEqual([
    "_quarantine/sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.ndjson",
    "_quarantine/sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00002.ndjson",
  ]);
  const first = readFileSync(lake.localPath(quarantine.files[0] as string), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(first.map((l) => [l.row, l.rules])).toEqual([
    [2, ["schema", "accepted_values_sale_line_channel", "relationships_sale_line_store_id__store"]],
    [3, ["schema"]],
  ]);
  expect(first[1].reasons).toMatchInlineSnapshot(`
    [
      {
        "field": "sold_at",
        "message": "sold_at expected a UTC timestamp like "2026-11-01T08:15:30.123Z"",
        "rule": "schema",
      },
    ]
  `);
  expect(first[0].record).toEqual(line(2, { store_id: "S777", channel: "fax" }));

  // A second sink on the same lake never overwrites: it takes the next sequence.
  const again = lakeQuarantine(lake);
  await again.reject([
    {
      entity: "sale_line",
      row: 1,
      record: line(9, { sku: null }),
      reasons: [{ rule: "schema", message: "sku is null" }],
      window,
    },
  ]);
  expect(again.files).toEqual([
    "_quarantine/sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00003.ndjson",
  ]);
});

test("reference records with no window go to the hour of the clock", async () => {
  const lake = localStore(mkdtempSync(join(tmpdir(), "quarantine-")));
  const quarantine = lakeQuarantine(lake, { now: () => new Date("2026-11-02T10:30:00Z") });
  await quarantine.reject([
    {
      entity: store.name,
      row: 4,
      record: { store_id: "bad" },
      reasons: [{ rule: "schema", field: "store_id", message: "bad code" }],
    },
  ]);
  expect(quarantine.files).toEqual([
    "_quarantine/store/store-20261102T1000Z-20261102T1100Z-00001.ndjson",
  ]);
});

test("through the lake writer: generated = written + quarantined, checked by reconcile", async () => {
  const lake = localStore(mkdtempSync(join(tmpdir(), "quarantine-")));
  const quarantine = lakeQuarantine(lake);
  const writer = createLakeWriter({ store: lake, format: "ndjson", quarantine });
  const evaluator = createEvaluator(qualityRules(saleLine), { references });
  const window = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T09:00:00Z" };
  const records = Array.from({ length: 50 }, (_, i) =>
    line(i, i % 7 === 0 ? { sku: "P999999" } : i % 11 === 0 ? { quantity: -2 } : {}),
  );
  await writer.writeAll(evaluator.filter([{ entity: saleLine, records, window }], quarantine));
  const run = await writer.close();
  const report = evaluator.report();
  reconcile(report, { written: run.rowsWritten, quarantineWritten: quarantine.written });
  expect([report.input, run.rowsWritten, quarantine.written]).toEqual([50, 38, 12]);
  expect(() => reconcile(report, { written: run.rowsWritten - 1 })).toThrow(/written != passed/);
});

test("re-running the same rejects adds no file and changes no byte", async () => {
  const root = mkdtempSync(join(tmpdir(), "quarantine-rerun-"));
  const lake = localStore(root);
  const window = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T08:05:00Z" };
  const rejects = (n: number) => [
    {
      entity: "sale_line",
      row: n,
      record: line(n, { sku: null }),
      reasons: [{ rule: "schema", message: "sku is null" }],
      window,
    },
  ];
  const run = async () => {
    const sink = lakeQuarantine(lake);
    await sink.reject(rejects(1));
    await sink.reject(rejects(2));
    return sink;
  };
  const first = await run();
  const listing = async () => {
    const paths: string[] = [];
    for await (const o of lake.list("_quarantine/")) paths.push(`${o.path} ${o.eTag}`);
    return paths.sort();
  };
  const before = await listing();
  const second = await run();
  expect(before).toHaveLength(2);
  expect(await listing()).toEqual(before);
  expect([first.written, first.unchanged, second.written, second.unchanged]).toEqual([2, 0, 2, 2]);
  expect(second.files).toEqual(first.files);
});
