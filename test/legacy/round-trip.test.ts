import fc from "fast-check";
import { expect, test } from "vitest";
import legacyCsv from "../../examples/legacy-layouts/legacy-csv-sale-line.js";
import mainframe from "../../examples/legacy-layouts/mainframe-stock-movement.js";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { fromUnits, saleLine, stockMovement } from "../../src/entities/index.js";
import { readTimestamp, writeTimestamp } from "../../src/legacy/date-text.js";
import { type LegacyLayout, readLegacyFile, writeLegacyFile } from "../../src/legacy/index.js";
import { type ENCODINGS, MOVEMENTS, randomMovementLayout } from "./layouts.js";

// Records -> layout writer -> layout reader gives the records back: for the shipped layouts and
// for random ones (delimiters, quotes, encodings, separators, signs, formats, zones, codes,
// field orders, fixed widths). Values are drawn at the precision the layout keeps (minutes for a
// dd/MM/yyyy HH:mm file); a wall-clock time repeated when clocks go back is ambiguous in any
// legacy file and is left out.

const PAYMENTS = ["card", "cash", "gift_card", "mobile", "paypal"] as const;
const CHANNELS = ["store", "web", "drive"] as const;

const cents = (min: number, max: number) => fc.integer({ min, max }).map((c) => fromUnits(c, 2));

/** An instant the layout's timestamp format and zone can hold, and that means one instant there. */
function instant(format: string, timeZone: string, unitMs: number) {
  return fc
    .integer({ min: Date.UTC(2020, 0, 1) / unitMs, max: Date.UTC(2030, 0, 1) / unitMs })
    .map((n) => new Date(n * unitMs).toISOString())
    .filter(
      (iso) => readTimestamp(writeTimestamp(iso, format, timeZone), format, timeZone) === iso,
    );
}

function saleLines(timestamp: fc.Arbitrary<string>, stores = fc.stringMatching(/^S\d{3,5}$/)) {
  const line = fc.record({
    sold_at: timestamp,
    store_id: stores.filter((s) => s !== "S999"),
    sku: fc.stringMatching(/^P\d{6}$/),
    customer_id: fc.option(fc.stringMatching(/^C\d{7}$/), { nil: null }),
    quantity: fc.integer({ min: -999, max: 999 }),
    unit_price: cents(0, 1_000_000),
    discount_amount: cents(-100_000_000, 100_000_000),
    net_amount: cents(-100_000_000, 100_000_000),
    vat_amount: cents(-100_000_000, 100_000_000),
    payment_method: fc.constantFrom(...PAYMENTS),
    channel: fc.constantFrom(...CHANNELS),
  });
  const ticket = fc.record({
    id: fc.stringMatching(/^T-[0-9A-Z]{3,12}$/),
    lines: fc.array(line, { minLength: 1, maxLength: 4 }),
  });
  return fc
    .uniqueArray(ticket, { selector: (t) => t.id, minLength: 1, maxLength: 12 })
    .map((tickets) =>
      tickets.flatMap((t) =>
        t.lines.map((l, i) => ({
          transaction_id: t.id,
          line_no: i + 1,
          ...l,
          currency: "EUR",
        })),
      ),
    );
}

function movements(timestamp: fc.Arbitrary<string>, text: fc.Arbitrary<string>) {
  return fc.array(
    fc.record({
      movement_id: fc.stringMatching(/^M[0-9A-Z-]{4,29}$/),
      moved_at: timestamp,
      store_id: fc.stringMatching(/^S\d{3,5}$/),
      sku: fc.stringMatching(/^P\d{6}$/),
      movement_type: fc.constantFrom(...MOVEMENTS),
      quantity: fc.integer({ min: -100_000, max: 100_000 }),
      reference: fc.option(text, { nil: null }),
    }),
    { minLength: 0, maxLength: 20 },
  );
}

function roundTrips(layout: LegacyLayout, records: readonly Record<string, unknown>[]) {
  for (const r of records) expect(layout.target.check(r).ok).toBe(true);
  const result = readLegacyFile(layout, writeLegacyFile(layout, records), "x");
  expect(result.rejection).toBeUndefined();
  expect(result.rejects).toEqual([]);
  expect(result.records).toEqual(records);
}

const trimmedText = (chars: string) =>
  fc
    .string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 60 })
    .filter((s) => s.trim() === s && s.length > 0);

test("the French point-of-sale layout round-trips", () => {
  fc.assert(
    fc.property(saleLines(instant("dd/MM/yyyy HH:mm", "Europe/Paris", 60_000)), (records) =>
      roundTrips(posFr, records),
    ),
    { numRuns: 60 },
  );
});

test("the mainframe stock layout round-trips", () => {
  fc.assert(
    fc.property(
      movements(instant("yyyyMMddHHmmss", "Europe/Paris", 1000), trimmedText("AZaz09 -/éàç")),
      (records) => roundTrips(mainframe, records),
    ),
    { numRuns: 60 },
  );
});

test("the legacy CSV feed layout round-trips", () => {
  fc.assert(
    fc.property(saleLines(instant("yyyy-MM-ddTHH:mm:ss.SSSZ", "UTC", 1)), (records) =>
      roundTrips(legacyCsv, records),
    ),
    { numRuns: 40 },
  );
});

const CHARSETS: Record<(typeof ENCODINGS)[number], string> = {
  "utf-8": "Aa9 ;,|\"'\\é€œ✓",
  "utf-8-bom": "Aa9 ;,|\"'\\é€œ✓",
  "iso-8859-1": "Aa9 ;,|\"'\\éàÿ",
  "windows-1252": "Aa9 ;,|\"'\\é€œŸ",
};

test("random layouts round-trip", () => {
  fc.assert(
    fc.property(
      randomMovementLayout.chain((l) =>
        fc.tuple(
          fc.constant(l.layout),
          fc.constant(JSON.stringify(l.layout.definition)),
          movements(
            instant(l.time.format, l.timeZone, l.time.unit),
            // Fixed-width fields are read trimmed; delimited ones keep every character.
            l.fixed
              ? trimmedText(CHARSETS[l.encoding])
              : fc
                  .string({
                    unit: fc.constantFrom(...CHARSETS[l.encoding]),
                    minLength: 1,
                    maxLength: 60,
                  })
                  .filter((s) => s.trim() !== ""),
          ),
        ),
      ),
      ([layout, , records]) => roundTrips(layout, records),
    ),
    { numRuns: 150 },
  );
});

test("a record the layout cannot carry is refused by the writer, not written wrong", () => {
  const record = {
    transaction_id: "T-S001-1",
    line_no: 1,
    sold_at: "2026-11-01T08:30:15.000Z",
    store_id: "S001",
    sku: "P000001",
    customer_id: null,
    quantity: 1,
    unit_price: "1.00",
    discount_amount: "0.00",
    net_amount: "1.00",
    vat_amount: "0.17",
    payment_method: "card",
    channel: "store",
    currency: "USD",
  };
  expect(saleLine.check(record).ok).toBe(true);
  expect(() => writeLegacyFile(posFr, [record])).toThrowErrorMatchingInlineSnapshot(
    `[LegacyWriteError: legacy layout "pos_fr_sale_line": record 1 column "sold_at": "2026-11-01T08:30:15.000Z" would read back as "2026-11-01T08:30:00.000Z" (the layout writes dd/MM/yyyy HH:mm)]`,
  );
  // Unless asked to write at the layout's precision, as the legacy system does.
  const truncated = writeLegacyFile(
    posFr,
    [{ ...record, currency: "EUR" }],
    {},
    { truncateTimestamps: true },
  );
  expect(readLegacyFile(posFr, truncated).records[0]?.sold_at).toBe("2026-11-01T08:30:00.000Z");
  record.sold_at = "2026-11-01T08:30:00.000Z";
  expect(() => writeLegacyFile(posFr, [record])).toThrowErrorMatchingInlineSnapshot(
    `[LegacyWriteError: legacy layout "pos_fr_sale_line": record 1 column "currency": is "USD"; the layout says constant "EUR"]`,
  );
  expect(() => writeLegacyFile(posFr, [{ ...record, currency: "EUR", line_no: 2 }])).toThrow(
    /column "line_no": is 2; the layout derives 1/,
  );
  const movement = {
    movement_id: "M-1234",
    moved_at: "2026-11-01T08:30:15.000Z",
    store_id: "S001",
    sku: "P000001",
    movement_type: "sale",
    quantity: 1,
    reference: " padded",
  };
  expect(stockMovement.check(movement).ok).toBe(true);
  expect(() => writeLegacyFile(mainframe, [movement])).toThrow(/surrounding blanks/);
});
