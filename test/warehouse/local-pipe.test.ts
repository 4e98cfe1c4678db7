import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import { COPY_HISTORY_COLUMNS, openLocalPipe } from "../../src/warehouse/index.js";
import {
  saleLinePath,
  saleLines,
  tempFolder,
  writeBytes,
  writeCsv,
  writeNdjson,
  writeParquet,
} from "./lake-fixture.js";

const count = async (pipe: Awaited<ReturnType<typeof openLocalPipe>>, table = "sale_line") =>
  Number((await pipe.query(`select count(*)::INTEGER as n from raw."${table}"`))[0]?.n);

test("a refresh loads Parquet, CSV, NDJSON and gzip files once, with Snowflake's metadata columns", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  await writeParquet(lake, saleLinePath(1), saleLines(3, 1));
  writeCsv(lake, saleLinePath(2, "csv"), saleLines(2, 4));
  writeNdjson(lake, saleLinePath(3, "ndjson"), saleLines(2, 6));
  writeCsv(lake, saleLinePath(4, "csv.gz"), saleLines(1, 8));
  writeNdjson(lake, saleLinePath(5, "ndjson.gz"), saleLines(1, 9));
  writeCsv(lake, saleLinePath(6, "csv", "_quarantine/"), saleLines(1, 99));
  writeBytes(lake, "_manifests/run-1.json", "{}");

  const pipe = await openLocalPipe({ lake, database: join(root, "wh", "retail.duckdb") });
  const first = await pipe.refresh();
  expect([first.loaded, first.failed, first.rowsLoaded]).toEqual([5, 0, 9]);
  expect([...first.ignored].sort()).toEqual([
    "_manifests/run-1.json",
    saleLinePath(6, "csv", "_quarantine/"),
  ]);
  const rows = await pipe.query(
    `select transaction_id, sold_at::VARCHAR as sold_at, unit_price::VARCHAR as price, customer_id, _source_file, _source_row::INTEGER as r, typeof(_loaded_at) as t
     from raw.sale_line order by transaction_id limit 2`,
  );
  expect(rows).toEqual([
    {
      transaction_id: "T-S001-20261101-000001",
      sold_at: "2026-11-01 08:01:00",
      price: "1.50",
      customer_id: null,
      _source_file: saleLinePath(1),
      r: 1,
      t: "TIMESTAMP",
    },
    {
      transaction_id: "T-S001-20261101-000002",
      sold_at: "2026-11-01 08:02:00",
      price: "1.50",
      customer_id: "C0000042",
      _source_file: saleLinePath(1),
      r: 2,
      t: "TIMESTAMP",
    },
  ]);
  const types = await pipe.query(
    "select column_name, data_type from information_schema.columns where table_schema = 'raw' and table_name = 'sale_line' order by ordinal_position",
  );
  expect(types.map((t) => `${t.column_name} ${t.data_type}`).join(", ")).toMatchInlineSnapshot(
    `"transaction_id VARCHAR, line_no INTEGER, sold_at TIMESTAMP, store_id VARCHAR, sku VARCHAR, customer_id VARCHAR, quantity INTEGER, unit_price DECIMAL(12,2), discount_amount DECIMAL(12,2), net_amount DECIMAL(12,2), vat_amount DECIMAL(12,2), payment_method VARCHAR, channel VARCHAR, currency VARCHAR, _source_file VARCHAR, _source_row BIGINT, _loaded_at TIMESTAMP"`,
  );

  const second = await pipe.refresh();
  expect([second.loaded, second.alreadyLoaded, second.rowsLoaded]).toEqual([0, 5, 0]);
  expect(await count(pipe)).toBe(9);
  await pipe.close();

  // A restart sees the same history: still nothing loads twice.
  const again = await openLocalPipe({ lake, database: join(root, "wh", "retail.duckdb") });
  expect((await again.refresh()).alreadyLoaded).toBe(5);
  expect(await count(again)).toBe(9);
  await again.close();
});

test("copyHistory returns COPY_HISTORY's columns, one row per file version", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(2));
  const pipe = await openLocalPipe({ lake, database: join(root, "retail.duckdb") });
  await pipe.refresh();
  const [row] = await pipe.copyHistory();
  expect(Object.keys(row ?? {})).toEqual([...COPY_HISTORY_COLUMNS]);
  expect(row).toMatchObject({
    FILE_NAME: saleLinePath(1, "csv"),
    STAGE_LOCATION: pathToFileURL(lake).href,
    ROW_COUNT: 2,
    ROW_PARSED: 2,
    FILE_SIZE: readFileSync(join(lake, saleLinePath(1, "csv"))).byteLength,
    ERROR_COUNT: 0,
    ERROR_LIMIT: 1,
    STATUS: "Loaded",
    TABLE_CATALOG_NAME: "retail",
    TABLE_SCHEMA_NAME: "raw",
    TABLE_NAME: "sale_line",
    PIPE_NAME: "sale_line_pipe",
    FIRST_ERROR_MESSAGE: null,
  });
  expect(row?.LAST_LOAD_TIME).toBeInstanceOf(Date);
  expect(row?.FIRST_COMMIT_TIME?.getTime()).toBe(row?.LAST_LOAD_TIME.getTime());

  // The same path with new content is not loaded (the path is the file's identity, as on
  // Snowpipe): a conflict row says so, with Snowflake's word for a file not loaded.
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(3, 10));
  const changed = await pipe.refresh();
  expect([changed.loaded, changed.conflicts]).toEqual([0, 1]);
  expect(
    (await pipe.copyHistory({ table: "sale_line" })).map((r) => [r.STATUS, r.ROW_COUNT]),
  ).toEqual([
    ["Loaded", 2],
    ["Load skipped", 0],
  ]);
  expect(await count(pipe)).toBe(2);
  await pipe.close();
});

test("corrupt files are skipped whole with their first error; the others load", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  await writeParquet(lake, saleLinePath(1), saleLines(5, 1));
  const good = readFileSync(join(lake, saleLinePath(1)));
  writeBytes(lake, saleLinePath(2), good.subarray(0, Math.floor(good.length / 2)));
  writeCsv(lake, saleLinePath(3, "csv"), saleLines(2, 20), [
    "transaction_id",
    "line_no",
    "sold_at",
  ]);
  const bad = saleLines(4, 30);
  (bad[2] as Record<string, unknown>).quantity = "two";
  (bad[3] as Record<string, unknown>).unit_price = "1.505";
  writeCsv(lake, saleLinePath(4, "csv"), bad);
  const tz = saleLines(1, 40);
  (tz[0] as Record<string, unknown>).sold_at = "2026-11-01T08:00:00+02:00";
  writeNdjson(lake, saleLinePath(5, "ndjson"), tz);
  writeBytes(
    lake,
    saleLinePath(6, "ndjson"),
    '{"transaction_id": "T-S001-20261101-000050", "line_no": 1}\n{"transaction_id": \n',
  );
  writeNdjson(lake, saleLinePath(7, "ndjson"), [{ ...saleLines(1, 60)[0], colour: "red" }]);
  writeBytes(lake, saleLinePath(8, "csv"), "transaction_id,line_no\r\n1\r\n");
  writeCsv(lake, saleLinePath(9, "csv"), saleLines(1, 70));

  const pipe = await openLocalPipe({ lake, database: join(root, "retail.duckdb") });
  const summary = await pipe.refresh();
  expect([summary.loaded, summary.failed]).toEqual([2, 7]);
  expect(await count(pipe)).toBe(6);
  const failed = (await pipe.copyHistory()).filter((r) => r.STATUS === "Load failed");
  expect(
    failed.map(
      (r) =>
        `${r.FIRST_ERROR_LINE_NUMBER ?? "-"} ${r.FIRST_ERROR_COLUMN_NAME ?? "-"} ${r.ERROR_COUNT} | ${r.FIRST_ERROR_MESSAGE}`,
    ),
  ).toMatchInlineSnapshot(`
    [
      "- - 1 | sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.parquet: Invalid Input Error: No magic bytes found at end of file 'sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00002.parquet'",
      "1 store_id 1 | sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00003.csv: wrong columns: missing column(s) "store_id", "sku", "customer_id", "quantity", "unit_price", "discount_amount", "net_amount", "vat_amount", "payment_method", "channel", "currency"",
      "4 quantity 2 | sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00004.csv: row 3, column "quantity": "two" is not a valid INTEGER (2 bad rows in the file)",
      "1 sold_at 1 | sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00005.ndjson: row 1, column "sold_at": "2026-11-01T08:00:00+02:00" is not a valid TIMESTAMP",
      "3 - 1 | sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00006.ndjson: Invalid Input Error: Malformed JSON in file "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00006.ndjson", at byte 20 in line 3: unexpected end of data.",
      "- colour 1 | sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00007.ndjson: wrong columns: column(s) "colour" not in entity "sale_line"",
      "1 sold_at 1 | sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00008.csv: wrong columns: missing column(s) "sold_at", "store_id", "sku", "customer_id", "quantity", "unit_price", "discount_amount", "net_amount", "vat_amount", "payment_method", "channel", "currency"",
    ]
  `);
  await pipe.close();
});

test("Parquet with other physical types is cast to the entity's, and a value that does not fit fails the file", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const db = await DuckDBInstance.create(":memory:");
  const c = await db.connect();
  const select = (quantity: string) =>
    `select 'T-S001-20261101-00000' || i as transaction_id, 1::BIGINT as line_no, TIMESTAMP '2026-11-01 08:00:00' as sold_at, 'S001' as store_id,
            'P000001' as sku, null::VARCHAR as customer_id, ${quantity} as quantity, '1.50' as unit_price, 0.0::DOUBLE as discount_amount,
            3.0::DECIMAL(18,4) as net_amount, 0.5::DECIMAL(4,2) as vat_amount, 'card' as payment_method, 'store' as channel, 'EUR' as currency
     from range(1, 4) t(i)`;
  for (const [seq, quantity] of [
    [1, "2::BIGINT"],
    [2, "case when i = 2 then 3000000000 else 2 end::BIGINT"],
  ] as const) {
    const full = join(lake, saleLinePath(seq));
    (await import("node:fs")).mkdirSync(join(full, ".."), { recursive: true });
    await c.run(`copy (${select(quantity)}) to '${full}' (format parquet)`);
  }
  c.closeSync();
  db.closeSync();
  const pipe = await openLocalPipe({ lake, database: join(root, "retail.duckdb") });
  const summary = await pipe.refresh();
  expect(
    summary.files.map((f) => [f.status, f.rowsLoaded, f.firstError?.message.replace(/^.*?: /, "")]),
  ).toEqual([
    ["LOADED", 3, undefined],
    ["LOAD_FAILED", 0, 'row 2, column "quantity": "3000000000" is not a valid INTEGER'],
  ]);
  const [row] = await pipe.query(
    "select quantity, unit_price::VARCHAR as p, net_amount::VARCHAR as n from raw.sale_line limit 1",
  );
  expect(row).toEqual({ quantity: 2, p: "1.50", n: "3.00" });
  await pipe.close();
});

test("_source_row is the record number in a large CSV read in parallel chunks", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(150_000));
  writeNdjson(lake, saleLinePath(2, "ndjson"), saleLines(60_000, 200_001));
  const pipe = await openLocalPipe({ lake, database: join(root, "retail.duckdb") });
  expect((await pipe.refresh()).rowsLoaded).toBe(210_000);
  const [check] = await pipe.query(
    `select count(*)::INTEGER as n,
            count(*) filter (where _source_row <> cast(right(transaction_id, 6) as INTEGER) - case when _source_file like '%.csv' then 0 else 200000 end)::INTEGER as misplaced
     from raw.sale_line`,
  );
  expect(check).toEqual({ n: 210_000, misplaced: 0 });
  await pipe.close();
});

test("a scan loads a run of clean Parquet files with one insert, each with its own history row and metadata", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  for (let seq = 1; seq <= 5; seq++)
    await writeParquet(lake, saleLinePath(seq), saleLines(seq * 10, seq * 100));
  const pipe = await openLocalPipe({ lake, database: join(root, "retail.duckdb") });
  const summary = await pipe.refresh();
  expect([summary.loaded, summary.rowsLoaded]).toEqual([5, 150]);
  const perFile = await pipe.query(
    "select _source_file as f, count(*)::INTEGER as n, min(_source_row)::INTEGER as lo, max(_source_row)::INTEGER as hi, count(distinct _loaded_at)::INTEGER as scans from raw.sale_line group by 1 order by 1",
  );
  expect(perFile).toEqual(
    [1, 2, 3, 4, 5].map((seq) => ({
      f: saleLinePath(seq),
      n: seq * 10,
      lo: 1,
      hi: seq * 10,
      scans: 1,
    })),
  );
  expect((await pipe.copyHistory()).map((r) => [r.FILE_NAME, r.ROW_COUNT, r.STATUS])).toEqual(
    [1, 2, 3, 4, 5].map((seq) => [saleLinePath(seq), seq * 10, "Loaded"]),
  );
  // One more file next to them: only it loads.
  await writeParquet(lake, saleLinePath(6), saleLines(7, 900));
  const next = await pipe.refresh();
  expect([next.loaded, next.alreadyLoaded, next.rowsLoaded]).toEqual([1, 5, 7]);
  await pipe.close();
});

test("a scan of more files than one insert (512) or one history statement (256) takes loads each file once, with its own history row", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  const files = 600;
  // One file's bytes under 600 paths: the path is the identity, each is a file of its own.
  const first = await writeParquet(lake, saleLinePath(1), saleLines(3));
  const bytes = readFileSync(first);
  for (let seq = 2; seq <= files; seq++) writeBytes(lake, saleLinePath(seq), bytes);
  const pipe = await openLocalPipe({ lake, database: join(root, "retail.duckdb") });
  // A file already loaded sits in the second slice of the first run's history lookup.
  expect((await pipe.refresh({ prefix: saleLinePath(300) })).loaded).toBe(1);

  const summary = await pipe.refresh();
  expect([summary.loaded, summary.alreadyLoaded, summary.failed, summary.rowsLoaded]).toEqual([
    files - 1,
    1,
    0,
    (files - 1) * 3,
  ]);
  const [perFile] = await pipe.query(
    "select count(*)::INTEGER as files, min(n)::INTEGER as lo, max(n)::INTEGER as hi from (select _source_file, count(*) as n from raw.sale_line group by 1)",
  );
  expect(perFile).toEqual({ files, lo: 3, hi: 3 });
  const history = await pipe.copyHistory();
  expect(history).toHaveLength(files);
  expect(new Set(history.map((r) => r.FILE_NAME)).size).toBe(files);
  expect(history.every((r) => r.ROW_COUNT === 3 && r.STATUS === "Loaded")).toBe(true);

  const again = await pipe.refresh();
  expect([again.loaded, again.alreadyLoaded, again.rowsLoaded]).toEqual([0, files, 0]);
  expect(await count(pipe)).toBe(files * 3);
  await pipe.close();
});
