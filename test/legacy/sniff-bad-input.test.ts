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
