import fc from "fast-check";
import { expect, test } from "vitest";
import { KeyIndex } from "../../src/quality/key-index.js";

// Keys from a few characters, so that equal keys come up often; lone surrogates and characters
// that UTF-8 would merge among them, and now and then a key longer than a block.
const unit = fc.constantFrom("a", "b", "1", "\u0000", "é", "€", "\ud800", "\ud801", "\udc00", "😀");
const key = fc.oneof(
  { weight: 20, arbitrary: fc.array(unit, { maxLength: 6 }).map((units) => units.join("")) },
  {
    weight: 1,
    arbitrary: fc.array(unit, { minLength: 40, maxLength: 300 }).map((u) => u.join("")),
  },
);

test("the key index says a key (whole or in parts) is new exactly when no equal key came before, whatever collides", () => {
  fc.assert(
    fc.property(
      fc.array(key, { maxLength: 1500 }),
      fc.record({
        // 0 and 1 bits force every key into one shard, onto a few homes, with the same tag:
        // each probe must compare the stored bytes.
        hashMask: fc.constantFrom(0, 1, 0x7, 0xffffffff),
        spillAfterBytes: fc.constantFrom(0, 64, 1 << 20),
        blockBytes: fc.constantFrom(8, 32, 4096),
        writeBytes: fc.constantFrom(1, 100, 1 << 18),
      }),
      (keys, options) => {
        const index = new KeyIndex(options);
        const seen = new Set<string>();
        keys.forEach((k, i) => {
          // Every other key as parts of one or two code units (a pair split in two included).
          const parts = k.match(/[\s\S]{1,2}/g) ?? [];
          const added = i % 2 ? index.addParts(parts, parts.length) : index.add(k);
          expect(added, JSON.stringify(k)).toBe(!seen.has(k));
          seen.add(k);
        });
        expect(index.size).toBe(seen.size);
        // Asked again, after every growth and spill: all there.
        for (const k of seen) expect(index.add(k), JSON.stringify(k)).toBe(false);
      },
    ),
    { numRuns: 150 },
  );
});

test("keys past the memory budget go to the temporary file and are still told apart", () => {
  const index = new KeyIndex({ spillAfterBytes: 0, blockBytes: 64, writeBytes: 1000 });
  const keys = Array.from(
    { length: 5000 },
    (_, i) => `T-S001-20261101-${String(i).padStart(8, "0")}`,
  );
  expect(keys.filter((k) => index.add(k))).toHaveLength(5000);
  expect(index.spilledBytes).toBeGreaterThan(5000 * 20);
  expect(keys.filter((k) => index.add(k))).toHaveLength(0);
  expect(index.add("T-S001-20261101-00005000")).toBe(true);
});

test("a temp folder that cannot hold the keys fails with what to do, not a bare system error", () => {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = "/nonexistent/retail-mds-tmp";
  try {
    const index = new KeyIndex({ spillAfterBytes: 0, blockBytes: 8, writeBytes: 1 });
    expect(() => {
      for (let i = 0; i < 100; i++) index.add(`key-${i}`);
    }).toThrow(
      /^unique keys: cannot create \/nonexistent\/retail-mds-tmp\/retail-mds-keys-.* \(ENOENT.*set TMPDIR \(TEMP on Windows\) to a writable folder with room$/,
    );
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
});
