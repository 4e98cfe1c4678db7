import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { z } from "zod";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import {
  DbtSourceNameError,
  renderDbtLayers,
  renderDbtProjectFiles,
  renderDbtSources,
  renderLegacyLayoutModels,
  renderMigrationReconciliationModels,
} from "../../src/dbt/index.js";
import { defineEntity, utcTimestamp } from "../../src/entities/index.js";
import { cliAsync } from "../integrity/run-cli.js";

test("the checked-in sources and layer YAML are what the entities render", () => {
  for (const [path, text] of Object.entries(renderDbtProjectFiles())) {
    expect(readFileSync(path, "utf8"), `${path} is stale: run \`npm run cli -- dbt-sources\``).toBe(
      text,
    );
  }
});

test("the checked-in models of the French point-of-sale layout are what the layout renders", () => {
  const files = Object.entries(renderLegacyLayoutModels(posFr));
  expect(files.map(([path]) => path).sort()).toEqual(
    [
      "_legacy_pos_fr_sale_line.yml",
      "brz_legacy_pos_fr_sale_line.sql",
      "slv_legacy_pos_fr_sale_line.sql",
      "slv_legacy_pos_fr_sale_line_files.sql",
      "slv_legacy_pos_fr_sale_line_held.sql",
      "slv_legacy_pos_fr_sale_line_lines.sql",
      "slv_legacy_pos_fr_sale_line_rejected.sql",
    ].map((f) => `legacy/pos_fr_sale_line/${f}`),
  );
  // The reconciliation's legacy side is rendered for it too.
  files.push(...Object.entries(renderMigrationReconciliationModels([posFr])));
  for (const [path, text] of files) {
    expect(
      readFileSync(join("dbt", "models", path), "utf8"),
      `${path} is stale: run \`npm run cli -- dbt-sources --layout examples/legacy-layouts/pos-fr-sale-line.ts\``,
    ).toBe(text);
  }
});

const tiny = defineEntity({
  name: "visit",
  description: "A store visit.",
  partition: "hour",
  eventTime: "entered_at",
  key: ["visit_id"],
  schema: z.object({
    visit_id: z.string().regex(/^V\d+$/),
    entered_at: utcTimestamp(),
    store_id: z.string(),
    party_size: z.int32().min(1).max(12).nullable(),
  }),
  docs: {
    visit_id: { description: "Visit number." },
    entered_at: { description: "Entry instant, UTC." },
    store_id: { description: "Store visited." },
    party_size: { description: "People in the party." },
  },
});

test("a source table carries the entity's types, docs, load metadata and event-time freshness", () => {
  const yaml = renderDbtSources({ entities: [tiny], builtIns: false });
  expect(yaml.split("\n").slice(9, 24).join("\n")).toMatchInlineSnapshot(`
    "    tables:
          - name: visit
            description: "A store visit. Natural key: visit_id."
            config:
              loaded_at_field: "entered_at"
              freshness:
                warn_after: {count: 12, period: hour}
                error_after: {count: 36, period: hour}
            columns:
              - name: visit_id
                data_type: varchar
                description: "Visit number. Never null."
              - name: entered_at
                data_type: timestamp
                description: "Entry instant, UTC. Never null.""
  `);
  expect(yaml).toContain("      - name: visit_legacy");
  expect(yaml).toContain("          - name: _loaded_at\n            data_type: timestamp");
});

test("the quality library's rules compile into the silver tests; key tests fail, the others warn", () => {
  const silver = renderDbtLayers()["silver/_silver.yml"];
  expect(silver).toContain(
    '- unique_combination: {name: "unique_sale_line_transaction_id__line_no", arguments: {combination_of_columns: ["transaction_id", "line_no"]}, config: {severity: "error"}}',
  );
  expect(silver).toContain(
    `- relationships: {name: "relationships_sale_line_store_id__store", arguments: {to: "ref('slv_store')", field: "store_id"}, config: {severity: "warn"}}`,
  );
  expect(silver).toContain(
    '- accepted_range: {name: "range_sale_line_quantity", arguments: {min_value: "-999", inclusive_min: true, max_value: "999", inclusive_max: true}, config: {severity: "warn"}}',
  );
  expect(silver).toContain(
    '- has_no_rows: {name: "slv_sale_line_rejected_is_empty", config: {severity: "warn"}}',
  );
});

test("without the quality library, the tests derive from the entity constraints alone", () => {
  const silver = renderDbtLayers({ tests: "entity" })["silver/_silver.yml"];
  expect(silver).toContain(
    '- natural_key_unique: {arguments: {columns: ["transaction_id", "line_no"]}}',
  );
  expect(silver).toContain(
    `- relationships: {arguments: {to: "ref('slv_store')", field: "store_id"}, config: {severity: "warn"}}`,
  );
  expect(silver).toContain(
    '- value_between: {arguments: {min_value: -999, max_value: 999}, config: {severity: "warn"}}',
  );
});

test("a name that is not a plain SQL identifier is refused", () => {
  expect(() =>
    renderDbtSources({ schema: 'raw"; drop table x; --' }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DbtSourceNameError: schema "raw\\"; drop table x; --" must be a lower-case SQL identifier (a-z, 0-9, _)]`,
  );
  expect(() => renderDbtSources({ schema: "Raw" })).toThrow(DbtSourceNameError);
});

// Asynchronous children: eight CLI runs in a row through spawnSync block the test worker for
// half a minute under load, near vitest's 60 s RPC timeout.
test("the dbt-sources CLI writes the files, and --check fails once one is stale", async () => {
  const dir = mkdtempSync(join(tmpdir(), "retail-mds-dbt-sources-"));
  const out = join(dir, "models", "_sources.yml");
  mkdirSync(join(dir, "models"));
  const cli = (...args: string[]) => cliAsync(["dbt-sources", ...args]);
  expect((await cli("--out", out)).code).toBe(0);
  expect(readFileSync(join(dir, "models", "silver", "_silver.yml"), "utf8")).toBe(
    renderDbtLayers()["silver/_silver.yml"],
  );
  expect((await cli("--out", out, "--check")).code).toBe(0);
  writeFileSync(out, "version: 2\n");
  const stale = await cli("--out", out, "--check");
  expect(stale.code).toBe(1);
  expect(stale.stderr).toContain(`${out} is out of date`);
  expect((await cli("--bogus")).code).toBe(2);
  // --layout adds a legacy layout's models under models/legacy/<layout>/.
  const pos = "examples/legacy-layouts/pos-fr-sale-line.ts";
  expect((await cli("--out", out, "--layout", pos)).code).toBe(0);
  const silverOfPos = "legacy/pos_fr_sale_line/slv_legacy_pos_fr_sale_line.sql";
  expect(readFileSync(join(dir, "models", silverOfPos), "utf8")).toBe(
    renderLegacyLayoutModels(posFr)[silverOfPos],
  );
  // ... and the reconciliation's legacy side for it.
  expect(readFileSync(join(dir, "models", "gold", "fct_legacy_sale_lines.sql"), "utf8")).toContain(
    "{{ legacy_sale_lines([{'name': 'pos_fr_sale_line', 'routed': ['fee_line', 'manual_adjustment', 'test_line']}]) }}",
  );
  expect((await cli("--out", out, "--layout", pos, "--check")).code).toBe(0);
  // A stale layout model: the command --check suggests renders it again, --layout included.
  writeFileSync(join(dir, "models", silverOfPos), "select 1\n");
  const staleLayout = await cli("--out", out, "--layout", pos, "--check");
  expect(staleLayout.code).toBe(1);
  expect(staleLayout.stderr).toContain(
    `run \`retail-mds dbt-sources --out ${out} --layout ${pos}\` and commit the result`,
  );
  const missing = await cli("--out", out, "--layout", join(dir, "nope.ts"));
  expect([missing.code, missing.stderr]).toEqual([
    2,
    expect.stringContaining("is neither a file nor a layout of the config"),
  ]);
});
