import { DuckDBInstance } from "@duckdb/node-api";
import { expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import type { LayoutDefect } from "../../src/legacy/index.js";
import { layoutDefectLines } from "../../src/pipeline/report-stage.js";

const file = (n: number) => `legacy_raw/pos_fr_sale_line/pos_fr_sale_line-${n}.csv`;
const defect = (n: number, reason: string, line?: number): LayoutDefect => ({
  file: `pos_fr_sale_line-${n}.csv`,
  defect: line === undefined ? "wrong_trailer_count" : "bad_date",
  reason,
  ...(line === undefined ? {} : { line }),
});

/** dbt's verdicts as the layout's models hold them, in a DuckDB of their own. */
async function verdicts(files: string, rejected: string) {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  await c.run("create schema silver");
  await c.run(
    `create table silver.slv_legacy_pos_fr_sale_line as select 1 as x where false;
     create table silver.slv_legacy_pos_fr_sale_line_files as select * from (values ${files}) t(_source_file, accepted, rejection_reason);
     create table silver.slv_legacy_pos_fr_sale_line_rejected as select * from (values ${rejected}) t(_source_file, reject_reason)`,
  );
  return async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS();
}

const sent = (manifest: LayoutDefect[]) => ({
  kind: "layout" as const,
  layout: posFr,
  manifestPath: "_manifests/x.json",
  feed: {
    files: [file(1), file(2), file(3)],
    landed: [1, 2, 3].map((n) => ({ path: file(n), sha256: "", lines: 0, published: true })),
    rows: 0,
    manifest,
  },
});

test("line defects are compared with the rejects of accepted files, file defects with the files rejected, reason by reason", async () => {
  const query = await verdicts(
    `('${file(1)}', true, null), ('${file(2)}', false, 'control_count'), ('${file(3)}', true, null), ('legacy_raw/pos_fr_sale_line/other-run.csv', false, 'control_count')`,
    // File 2 is rejected whole: its own line verdicts are not counted, nor another run's file.
    `('${file(1)}', 'unparseable'), ('${file(1)}', 'fee_line'), ('${file(3)}', 'unparseable'), ('${file(2)}', 'unparseable'), ('legacy_raw/pos_fr_sale_line/other-run.csv', 'fee_line')`,
  );
  const lines = await layoutDefectLines(
    query,
    sent([
      defect(1, "unparseable", 4),
      defect(1, "fee_line", 7),
      defect(3, "unparseable", 2),
      defect(2, "unparseable", 9), // in the rejected file: not counted
      defect(2, "control_count"),
    ]),
  );
  expect(lines).toEqual([
    { label: "legacy line defects = rejects: fee_line", left: 1, right: 1 },
    { label: "legacy line defects = rejects: unparseable", left: 2, right: 2 },
    { label: "legacy file defects = files rejected: control_count", left: 1, right: 1 },
  ]);
});

test("a reject the manifest does not declare, or a defect dbt did not reject, is a line that does not balance", async () => {
  const query = await verdicts(
    `('${file(1)}', true, null), ('${file(2)}', true, null), ('${file(3)}', false, 'missing_trailer')`,
    `('${file(1)}', 'invalid'), ('${file(2)}', 'unparseable')`,
  );
  const lines = await layoutDefectLines(
    query,
    sent([defect(2, "unparseable", 3), defect(2, "fee_line", 5), defect(3, "control_count")]),
  );
  expect(lines).toEqual([
    { label: "legacy line defects = rejects: fee_line", left: 1, right: 0 },
    { label: "legacy line defects = rejects: invalid", left: 0, right: 1 },
    { label: "legacy line defects = rejects: unparseable", left: 1, right: 1 },
    { label: "legacy file defects = files rejected: control_count", left: 1, right: 0 },
    { label: "legacy file defects = files rejected: missing_trailer", left: 0, right: 1 },
  ]);
});

test("a dbt project without the layout's models shows it as a line that does not balance", async () => {
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const query = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJS();
  expect(await layoutDefectLines(query, sent([defect(1, "unparseable", 2)]))).toEqual([
    {
      label: "dbt models of pos_fr_sale_line built (slv_legacy_*, _rejected, _files)",
      left: 0,
      right: 3,
    },
  ]);
});
