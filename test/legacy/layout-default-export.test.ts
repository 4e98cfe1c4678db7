import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { loadLegacyLayout } from "../../src/legacy/index.js";
import { tempDir } from "../integrity/run-cli.js";

// Tried as a user: `export default 42` in a layout file was reported as "has no default export".

test("a layout file whose default export is not an object says what it exports", async () => {
  const dir = tempDir("layout-export");
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const messages = await Promise.all(
    [
      file("number.mjs", "export default 42;\n"),
      file("none.mjs", "export const layout = {};\n"),
      file("null.json", "null\n"),
    ].map((f) =>
      loadLegacyLayout(f).then(
        () => "loaded",
        (e: Error) => e.message.replaceAll(dir, "<tmp>"),
      ),
    ),
  );
  expect(messages).toMatchInlineSnapshot(`
    [
      "legacy layout "<tmp>/number.mjs": exports a number, not a layout: \`export default defineLegacyLayout({ ... })\`",
      "legacy layout "<tmp>/none.mjs": has no default export: \`export default defineLegacyLayout({ ... })\`",
      "legacy layout "<tmp>/null.json": holds null, not a layout: \`export default defineLegacyLayout({ ... })\`",
    ]
  `);
});
