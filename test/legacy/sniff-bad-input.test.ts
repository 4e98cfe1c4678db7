import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { sniffLegacyFile } from "../../src/legacy/index.js";
import { cli, tempDir } from "../integrity/run-cli.js";

// Tried as a user from the tarball: `legacy sniff` of an empty file proposed a fixed-width layout
// with `length: -Infinity`, `--entity nope` proposed a layout for an entity that does not exist,
// and the file name went into the proposed TypeScript as it was (a newline in it ended the
// comment; the suggested `legacy check` command broke on spaces and quotes).

test("sniff of a file with no line, or for an unknown entity, exits 2 naming what is wrong", () => {
  const dir = tempDir("sniff-bad");
  writeFileSync(join(dir, "empty.csv"), "");
  writeFileSync(join(dir, "blank.csv"), "\r\n  \n");
  writeFileSync(join(dir, "rows.csv"), "a;b\n1;2\n");
  const runs = [
    ["legacy", "sniff", "empty.csv"],
    ["legacy", "sniff", "blank.csv"],
    ["legacy", "sniff", "--entity", "nope", "rows.csv"],
  ].map((args) => cli(args, { cwd: dir, dir }));
  expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
  expect(runs.map((r) => r.stdout)).toEqual(["", "", ""]);
  expect(runs.map((r) => r.stderr)).toMatchInlineSnapshot(`
    [
      "retail-mds: legacy sniff: empty.csv has no line to propose a layout from",
      "retail-mds: legacy sniff: blank.csv has no line to propose a layout from",
      "retail-mds: legacy sniff: --entity must be one of store, product, customer, sale_line, stock_movement, stock_snapshot; got "nope"",
    ]
  `);
  expect(readdirSync(dir).sort()).toEqual(["blank.csv", "empty.csv", "rows.csv"]);
});

test("a hostile file name stays inside the proposed layout's comments, quoted for the shell", () => {
  const file = "in box/caisse 'été' [1]?\n}); process.exit(1); ({\u2028.csv";
  const { source } = sniffLegacyFile(Buffer.from("a;b\n1;2\n"), { file });
  const comments = source.split("\n").slice(0, 2);
  expect(comments.every((l) => l.startsWith("// "))).toBe(true);
  expect(source).not.toContain("\u2028");
  expect(source.split("\n")[2]).toBe('import { defineLegacyLayout } from "retail-mds/legacy";');
  expect(comments[1]).toContain(
    `--layout <this file> 'in box/caisse '\\''été'\\'' [1]?\\n}); process.exit(1); ({\\u2028.csv'`,
  );
});

// Found by the audit: Excel's "Unicode text" and SQL Server's `bcp -w` export UTF-16. Sniffed,
// such a file (not UTF-8, so "Windows-1252") came out as a fixed-width layout of one 81-byte
// field of NULs and "ÿþ", exit 0: a layout no file reads, and no word of the real encoding.
test("sniff of UTF-16 text, or of a file holding NUL bytes, exits 2 naming the encoding and how to convert it", () => {
  const dir = tempDir("sniff-utf16");
  const text = "ticket;qte\r\nT1;2\r\n";
  const le = Buffer.from(`\uFEFF${text}`, "utf16le");
  const be = Buffer.from(le).swap16();
  writeFileSync(join(dir, "excel.txt"), le);
  writeFileSync(join(dir, "big endian.txt"), be);
  writeFileSync(join(dir, "no-bom.txt"), Buffer.from(text, "utf16le"));
  const runs = ["excel.txt", "big endian.txt", "no-bom.txt"].map((file) =>
    cli(["legacy", "sniff", file], { cwd: dir, dir }),
  );
  expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
  expect(runs.map((r) => r.stdout)).toEqual(["", "", ""]);
  expect(runs.map((r) => r.stderr)).toMatchInlineSnapshot(`
    [
      "retail-mds: legacy sniff: excel.txt is UTF-16 LE text (byte-order mark FF FE): legacy layouts read utf-8, utf-8-bom, iso-8859-1 or windows-1252; convert it first, e.g. iconv -f UTF-16 -t UTF-8 excel.txt > utf8.txt",
      "retail-mds: legacy sniff: big endian.txt is UTF-16 BE text (byte-order mark FE FF): legacy layouts read utf-8, utf-8-bom, iso-8859-1 or windows-1252; convert it first, e.g. iconv -f UTF-16 -t UTF-8 'big endian.txt' > utf8.txt",
      "retail-mds: legacy sniff: no-bom.txt holds a NUL byte (byte 2): UTF-16 text without a byte-order mark, or no text file; legacy layouts read utf-8, utf-8-bom, iso-8859-1 or windows-1252; if it is UTF-16LE, convert it first, e.g. iconv -f UTF-16LE -t UTF-8 no-bom.txt > utf8.txt",
    ]
  `);
});
