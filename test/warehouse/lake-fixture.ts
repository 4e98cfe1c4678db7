import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { saleLine } from "../../src/entities/index.js";
import { duckdbType } from "../../src/warehouse/index.js";

/** A fresh temporary folder; `name` may hold characters that need quoting in SQL. */
export function tempFolder(name = "wh"): string {
  return mkdtempSync(join(tmpdir(), `retail-mds-${name}-`));
}

/** Valid sale lines, numbered from `from`, all in hour 08 of 2026-11-01. */
export function saleLines(count: number, from = 1): Record<string, string | number | null>[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return {
      transaction_id: `T-S001-20261101-${String(n).padStart(6, "0")}`,
      line_no: 1,
      sold_at: `2026-11-01T08:${String(n % 60).padStart(2, "0")}:00.000Z`,
      store_id: "S001",
      sku: "P000001",
      customer_id: n % 2 ? null : "C0000042",
      quantity: 2,
      unit_price: "1.50",
      discount_amount: "0.00",
      net_amount: "3.00",
      vat_amount: "0.50",
      payment_method: "card",
      channel: "store",
      currency: "EUR",
    };
  });
}

/** The lake path of the `seq`-th sale line file of hour 08. */
export function saleLinePath(
  seq: number,
  extension = "parquet",
  feed: "" | "legacy/" | "_quarantine/" = "",
): string {
  return `${feed}sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-${String(seq).padStart(5, "0")}.${extension}`;
}

function write(lake: string, path: string, body: string | Uint8Array): string {
  const full = join(lake, ...path.split("/"));
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, body);
  return full;
}

const COLUMNS = saleLine.columns.map((c) => c.name);

/** RFC 4180 CSV as the lake writes it: header, CRLF, null as an empty unquoted field. */
export function csvOf(
  rows: readonly Record<string, unknown>[],
  columns: readonly string[] = COLUMNS,
): string {
  const field = (v: unknown) =>
    v === null || v === undefined
      ? ""
      : /[",\r\n]/.test(String(v)) || v === ""
        ? `"${String(v).replaceAll('"', '""')}"`
        : String(v);
  return [columns.join(","), ...rows.map((r) => columns.map((c) => field(r[c])).join(","))]
    .map((l) => `${l}\r\n`)
    .join("");
}

export function writeCsv(
  lake: string,
  path: string,
  rows: readonly Record<string, unknown>[],
  columns?: readonly string[],
): string {
  const text = csvOf(rows, columns);
  return write(lake, path, path.endsWith(".gz") ? gzipSync(text) : text);
}

export function writeNdjson(
  lake: string,
  path: string,
  rows: readonly Record<string, unknown>[],
): string {
  const text = rows.map((r) => `${JSON.stringify(r)}\n`).join("");
  return write(lake, path, path.endsWith(".gz") ? gzipSync(text) : text);
}

export function writeBytes(lake: string, path: string, body: string | Uint8Array): string {
  return write(lake, path, body);
}

/** Parquet with the entity's exact types, written by DuckDB itself (as the lake writer would). */
export async function writeParquet(
  lake: string,
  path: string,
  rows: readonly Record<string, unknown>[],
): Promise<string> {
  const full = join(lake, ...path.split("/"));
  mkdirSync(dirname(full), { recursive: true });
  const csv = `${full}.src.csv`;
  writeFileSync(csv, csvOf(rows));
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const columns = `{${saleLine.columns.map((c) => `${q(c.name)}: 'VARCHAR'`).join(", ")}}`;
  const casts = saleLine.columns
    .map(
      (c) =>
        `cast("${c.name}" as ${c.type.kind === "timestamp" ? "TIMESTAMPTZ" : duckdbType(c.type)}) as "${c.name}"`,
    )
    .join(", ");
  await connection.run("set TimeZone = 'UTC'");
  await connection.run(
    `copy (select ${casts} from read_csv(${q(csv)}, header = true, auto_detect = false, nullstr = '', allow_quoted_nulls = false, columns = ${columns})) to ${q(full)} (format parquet)`,
  );
  connection.closeSync();
  db.closeSync();
  const { rmSync } = await import("node:fs");
  rmSync(csv);
  return full;
}
