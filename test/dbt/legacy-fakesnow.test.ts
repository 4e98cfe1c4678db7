import { resolve } from "node:path";
import { expect, test } from "vitest";
import posFr from "../../examples/legacy-layouts/pos-fr-sale-line.js";
import { createRetailSimulation } from "../../src/generators/index.js";
import { createLayoutFeed, encodeText, readLegacyFile } from "../../src/legacy/index.js";
import { python, run, startFakesnow } from "./support/fakesnow.js";
import { writeLegacyRaw } from "./support/legacy-raw.js";
import { notOk, runDbt, runResults, workspace } from "./support/run-dbt.js";

// The Snowflake branch of the legacy layout macros (default__*) run for real, as far as fakesnow
// runs them: the French POS layout's models built through dbt-snowflake against a fakesnow server
// give what readLegacyFile gives. fakesnow executes on DuckDB after translating the SQL, so this
// proves the Snowflake SQL's shape and functions, not Snowflake's own regular expression engine.

const settings = (port: number) => ({
  DBT_TARGET: "snowflake",
  SNOWFLAKE_ACCOUNT: "fakesnow",
  SNOWFLAKE_USER: "DBT_CI",
  SNOWFLAKE_PASSWORD: "not-a-secret",
  SNOWFLAKE_WAREHOUSE: "TRANSFORM_WH",
  SNOWFLAKE_DATABASE: "RETAIL",
  SNOWFLAKE_HOST: "localhost",
  SNOWFLAKE_PORT: String(port),
  SNOWFLAKE_PROTOCOL: "http",
});

async function query(port: number, sql: string): Promise<Record<string, unknown>[]> {
  const out = await run(python, [resolve("test/dbt/support/query_fakesnow.py"), String(port), sql]);
  expect(out.code, out.output).toBe(0);
  return JSON.parse(out.output) as Record<string, unknown>[];
}

test("the French POS layout's models run through dbt-snowflake on fakesnow and agree with the reader", async () => {
  const records = [
    ...createRetailSimulation({
      seed: 23,
      from: "2026-11-02",
      days: 1,
      stores: 2,
      products: 40,
      traffic: 0.1,
    }).generate({ batchSize: 100 }),
  ]
    .filter((b) => b.entity.name === "sale_line")
    .flatMap((b) => b.records as Record<string, unknown>[])
    .slice(0, 60);
  const generated = createLayoutFeed(posFr, { seed: 7, rate: 0.2 }).file(records, "a.csv").bytes;
  const edge = encodeText(
    [
      "N° ticket;Date vente;Magasin;Code article;Libellé;Type ligne;Carte fidélité;Qté;Prix unitaire TTC;Remise;Montant TTC;Montant TVA;Règlement;Canal",
      'S001-20261101-000042;01/11/2026 09:30;S001;123.0;"Crème ""brûlée"";x";VTE;C0000042;2;2,50;0,00;5,00;0,83;CB;MAG',
      "",
      'S001-20261101-000042;01/11/2026 09:30;S001;124;"never closed;VTE;;1;1,00;0,00;1,00;0,17;CB;MAG',
      "FIN;2;5,00",
      "",
    ].join("\r\n"),
    "windows-1252",
  );
  const files = [
    { layout: posFr, path: "legacy_raw/pos_fr_sale_line/a.csv", bytes: generated },
    { layout: posFr, path: "legacy_raw/pos_fr_sale_line/edge.csv", bytes: edge },
  ];
  const ws = workspace("legacy-fakesnow");
  const database = ws.database.replace(/retail\.duckdb$/, "legacy.duckdb");
  await writeLegacyRaw(database, [posFr], files);
  const { port, server } = await startFakesnow();
  try {
    const seeded = await run(python, [
      resolve("test/dbt/support/seed_fakesnow.py"),
      database,
      String(port),
    ]);
    expect(seeded.code, seeded.output).toBe(0);
    const build = await runDbt(
      ws,
      // One thread: with four, a table built beside another over the same view once came back
      // short on fakesnow (1 row of 51), a fakesnow concurrency effect, not the SQL's.
      ["run", "--select", "path:models/legacy/pos_fr_sale_line", "--threads", "1"],
      settings(port),
    );
    expect(build.code, build.output.slice(-3000)).toBe(0);
    expect(notOk(runResults(ws))).toEqual([]);

    const read = files.map((f) => ({ f, result: readLegacyFile(posFr, f.bytes, f.path) }));
    const number = (v: unknown) => (v === null ? null : Number(v));
    const money = ["unit_price", "discount_amount", "net_amount", "vat_amount"];
    const expected = read.flatMap(({ result }) =>
      result.records.map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [k, money.includes(k) ? number(v) : v]),
        ),
      ),
    );
    const columns = posFr.target.columns.map((c) => c.name).join(", ");
    expect(
      await query(
        port,
        `select ${columns} from RETAIL.SILVER.SLV_LEGACY_POS_FR_SALE_LINE order by _source_file, _source_row`,
      ),
    ).toEqual(expected);
    expect(
      await query(
        port,
        "select _source_file as file, _source_row as line, reject_reason as reason, reject_column as column_name, raw_line as raw from RETAIL.SILVER.SLV_LEGACY_POS_FR_SALE_LINE_REJECTED order by 1, 2",
      ),
    ).toEqual(
      read.flatMap(({ result }) =>
        result.rejects.map((r) => ({
          file: r.file,
          line: r.line,
          reason: r.reason,
          column_name: r.column ?? null,
          raw: r.raw,
        })),
      ),
    );
    expect(
      await query(
        port,
        "select _source_file as file, accepted, rejection_reason, lines, detail_lines, mapped, rejected, dropped from RETAIL.SILVER.SLV_LEGACY_POS_FR_SALE_LINE_FILES order by 1",
      ),
    ).toEqual(
      read.map(({ f, result }) => ({
        file: f.path,
        accepted: result.accepted,
        rejection_reason: result.rejection?.reason ?? null,
        lines: result.stats.lines,
        detail_lines: result.stats.detailLines,
        mapped: result.stats.mapped,
        rejected: result.stats.rejected,
        dropped: result.stats.dropped,
      })),
    );
  } finally {
    server.kill();
  }
}, 600_000);
