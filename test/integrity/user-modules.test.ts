import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { cli, root, tempDir } from "./run-cli.js";

// A user's layout file imports retail-mds/legacy: in an installed package that is the library
// bundle, a second copy of the code beside the CLI's bundle (jiti loads it apart, too), so its
// LegacyLayoutError is not the CLI's class. A bad .ts layout must still be bad input (exit 2
// naming the key), as a bad .json one is, not an operational failure.

const legacy = JSON.stringify(join(root, "src/legacy/index.ts"));

test("a .ts layout that fails defineLegacyLayout exits 2 naming the key, before any input is read", () => {
  const dir = tempDir("bad-ts-layout");
  writeFileSync(
    join(dir, "bad.ts"),
    `import { defineLegacyLayout } from ${legacy};\nexport default defineLegacyLayout({ name: "caisse", entity: "TODO" } as never);\n`,
  );
  writeFileSync(join(dir, "in.csv"), "a;b\n1;2\n");
  const run = cli(["legacy", "check", "--layout", "bad.ts", "in.csv"], { cwd: dir, dir });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^retail-mds: legacy check: legacy layout "caisse": "\w+" /);
  expect(run.stderr.split("\n")).toHaveLength(1);
});

test("a layout file that cannot be loaded exits 2 naming the file", () => {
  const dir = tempDir("broken-layout");
  writeFileSync(join(dir, "broken.mjs"), `import x from "./nope.mjs";\nexport default x;\n`);
  writeFileSync(join(dir, "in.csv"), "a;b\n1;2\n");
  const run = cli(["legacy", "land", "--layout", "broken.mjs", "--lake", "lake", "in.csv"], {
    cwd: dir,
    dir,
  });
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(
    /^retail-mds: legacy land: legacy layout "broken.mjs": could not be loaded: .*nope\.mjs/,
  );
});
