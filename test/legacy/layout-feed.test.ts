import { expect, test } from "vitest";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { saleLine } from "../../src/entities/index.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import {
  createLayoutFeed,
  type LayoutDefect,
  type LegacyLayout,
  legacyCsvLayout,
  readLegacyFile,
  scoreDefects,
} from "../../src/legacy/index.js";

// The generator's legacy mode through a layout: every injected defect is rejected by the layout
// reader at its line with its declared reason (recall), nothing else is rejected (precision), and
// the records that were not damaged read back exactly as from a clean file.

const batches = [
  ...createRetailSimulation({
    seed: 11,
    from: "2026-11-02",
    days: 1,
    stores: 2,
    products: 60,
    traffic: 0.15,
  }).generate({
    batchSize: 100,
  }),
];

/** One file per entity and window, as a legacy system exports a period: tickets stay whole. */
function windows(entity: string): { records: Record<string, unknown>[] }[] {
  const by = new Map<string, Record<string, unknown>[]>();
  for (const b of batches.filter((b) => b.entity.name === entity)) {
    const list = by.get(b.window.from) ?? [];
    list.push(...(b.records as Record<string, unknown>[]));
    by.set(b.window.from, list);
  }
  return [...by.values()].map((records) => ({ records }));
}

function check(layout: LegacyLayout, rate: number) {
  const of = windows(layout.target.name);
  expect(of.length).toBeGreaterThan(2);
  const feed = createLayoutFeed(layout, { seed: 5, rate });
  const clean = createLayoutFeed(layout, { seed: 5, rate: 0 });
  const seen = new Map<string, number>();
  of.forEach((batch, i) => {
    const name = `${layout.name}-${i}.txt`;
    const damaged = feed.file(batch.records as Record<string, unknown>[], name);
    const reference = readLegacyFile(
      layout,
      clean.file(batch.records as Record<string, unknown>[], name).bytes,
      name,
    );
    expect(reference.rejects).toEqual([]);
    const read = readLegacyFile(layout, damaged.bytes, name);
    for (const d of damaged.defects) seen.set(d.defect, (seen.get(d.defect) ?? 0) + 1);
    const whole = damaged.defects.find((d) => d.line === undefined);
    if (whole) {
      expect(read.rejection?.reason).toBe(whole.reason);
      return;
    }
    expect(read.rejection).toBeUndefined();
    const expected = (d: LayoutDefect) => [
      d.line,
      d.reason,
      d.reason === "unparseable" || d.reason === "invalid" ? d.column : undefined,
    ];
    expect(read.rejects.map((r) => [r.line, r.reason, r.column])).toEqual(
      damaged.defects.map(expected),
    );
    const keys = new Set(damaged.defects.flatMap((d) => (d.key ? [d.key] : [])));
    const truncatedLine = damaged.defects.find((d) => d.defect === "truncated_last_line");
    expect(read.records).toEqual(
      reference.records.filter(
        (r, j) =>
          !keys.has(layout.target.keyOf(r)) &&
          !(truncatedLine && j === reference.records.length - 1),
      ),
    );
  });
  expect(feed.manifest.length).toBeGreaterThan(0);
  return seen;
}

test("the French point-of-sale feed: bad numbers, codes, dates, fee lines, trailer defects", () => {
  const seen = check(posFr, 0.3);
  for (const kind of ["bad_date", "bad_number", "unknown_code", "routed_line"])
    expect(seen.get(kind)).toBeGreaterThan(0);
});

test("the mainframe stock feed: null keys, impossible dates, codes, trailer defects", () => {
  const seen = check(mainframe, 0.3);
  for (const kind of ["null_key", "bad_date", "unknown_code"])
    expect(seen.get(kind)).toBeGreaterThan(0);
});

test("a UTF-8 feed with Windows-1252 bytes in it: stray encoding rejected per line", () => {
  const seen = check(legacyCsvLayout(saleLine), 0.3);
  expect(seen.get("stray_encoding")).toBeGreaterThan(0);
});

test("file defects reject the file whole, with the declared reason", () => {
  const feed = createLayoutFeed(posFr, { seed: 1, rates: { wrong_trailer_count: 1 } });
  const sales = windows("sale_line")[0]?.records as Record<string, unknown>[];
  const file = feed.file(sales, "a.csv");
  expect(file.defects).toEqual([
    { file: "a.csv", defect: "wrong_trailer_count", reason: "control_count" },
  ]);
  expect(readLegacyFile(posFr, file.bytes).rejection?.reason).toBe("control_count");
  const cut = createLayoutFeed(posFr, { seed: 1, rates: { truncated_last_line: 1 } }).file(
    sales,
    "b.csv",
  );
  expect(readLegacyFile(posFr, cut.bytes).rejection?.reason).toBe("missing_trailer");
  // The same bytes every time: the feed is deterministic.
  expect(
    createLayoutFeed(posFr, { seed: 1, rates: { truncated_last_line: 1 } }).file(sales, "b.csv")
      .bytes,
  ).toEqual(cut.bytes);
});

test("the score counts a missed defect against recall and an undeclared reject against precision", () => {
  const sales = windows("sale_line")[0]?.records as Record<string, unknown>[];
  const feed = createLayoutFeed(posFr, { seed: 3, rates: { unknown_code: 0.2 } });
  const file = feed.file(sales, "c.csv");
  const read = readLegacyFile(posFr, file.bytes, "/somewhere/c.csv");
  const exact = scoreDefects(feed.manifest, [read]);
  expect([exact.recall, exact.precision, exact.unexpected]).toEqual([1, 1, 0]);
  expect(exact.kinds).toEqual([
    {
      defect: "unknown_code",
      injected: file.defects.length,
      caught: file.defects.length,
      missed: 0,
    },
  ]);
  const [first, ...rest] = feed.manifest as LayoutDefect[];
  const missed = scoreDefects([{ ...(first as LayoutDefect), reason: "invalid" }, ...rest], [read]);
  expect(missed.kinds[0]?.missed).toBe(1);
  expect(missed.recall).toBeLessThan(1);
  const undeclared = scoreDefects(rest, [read]);
  expect(undeclared.unexpected).toBe(1);
  expect(undeclared.precision).toBeLessThan(1);
});
