import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import type { BlobCreatedEvent } from "../../src/lake/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import {
  csvOf,
  saleLinePath,
  saleLines,
  tempFolder,
  writeBytes,
  writeCsv,
} from "./lake-fixture.js";

function blobCreated(lake: string, path: string, size: number): BlobCreatedEvent {
  const url = `${pathToFileURL(lake).href}/${path.split("/").map(encodeURIComponent).join("/")}`;
  return {
    topic: "local",
    subject: `/blobServices/default/containers/lake/blobs/${path}`,
    eventType: "Microsoft.Storage.BlobCreated",
    eventTime: "2026-11-01T09:00:01.000Z",
    id: path,
    dataVersion: "",
    metadataVersion: "1",
    data: {
      api: "PutBlob",
      clientRequestId: "c",
      requestId: "r",
      eTag: "0x1",
      contentType: "text/csv",
      contentLength: size,
      blobType: "BlockBlob",
      url,
      sequencer: "1",
      storageDiagnostics: { batchId: "b" },
    },
  };
}

test("BlobCreated events load their file once; quarantine, foreign and repeated events load nothing", async () => {
  // A quote in the folder name: every path reaches DuckDB as a quoted literal.
  const root = tempFolder("o'brien");
  const lake = join(root, "lake");
  const pipe = await openLocalPipe({ lake, database: join(root, "wh.duckdb") });
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(3));
  const event = blobCreated(lake, saleLinePath(1, "csv"), 10);
  const first = await pipe.ingest(event);
  expect([first?.status, first?.rowsLoaded, first?.alreadyLoaded]).toEqual(["LOADED", 3, false]);
  // Event Grid delivers at least once: the same event again is a no-op.
  await pipe.publish(event);
  expect((await pipe.ingest(event))?.alreadyLoaded).toBe(true);

  writeCsv(lake, saleLinePath(2, "csv", "_quarantine/"), saleLines(1));
  expect(
    await pipe.ingest(blobCreated(lake, saleLinePath(2, "csv", "_quarantine/"), 1)),
  ).toBeUndefined();
  expect(
    await pipe.ingest({
      ...event,
      data: { ...event.data, url: "file:///elsewhere/sale_line/x.csv" },
    }),
  ).toBeUndefined();

  const [history] = await pipe.copyHistory();
  expect([history?.PIPE_RECEIVED_TIME.toISOString(), history?.ROW_COUNT]).toEqual([
    "2026-11-01T09:00:01.000Z",
    3,
  ]);
  expect(Number((await pipe.query("select count(*)::INTEGER as n from raw.sale_line"))[0]?.n)).toBe(
    3,
  );
  await pipe.close();
});

test("consume loads a stream of events in order; an unknown entity is reported pending, not recorded", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  writeCsv(lake, saleLinePath(1, "csv"), saleLines(2));
  writeCsv(lake, saleLinePath(2, "csv"), saleLines(2, 5));
  const unknown = "loyalty_card/loyalty_card-20261101T0800Z-20261101T0900Z-00001.csv";
  writeBytes(lake, unknown, "card_id\r\nX1\r\n");
  const pipe = await openLocalPipe({ lake, database: join(root, "wh.duckdb") });
  async function* events() {
    for (const path of [saleLinePath(1, "csv"), unknown, saleLinePath(2, "csv")])
      yield blobCreated(lake, path, 1);
  }
  const summary = await pipe.consume(events());
  expect([summary.loaded, summary.skipped, summary.rowsLoaded]).toEqual([2, 0, 4]);
  expect(summary.unregistered).toEqual([{ entity: "loyalty_card", files: [unknown] }]);
  expect(summary.ignored).toEqual([]);
  // Not in the history: it loads once a pipe is opened with the entity registered.
  expect((await pipe.copyHistory()).map((r) => r.FILE_NAME)).toEqual([
    saleLinePath(1, "csv"),
    saleLinePath(2, "csv"),
  ]);
  await pipe.close();
});

test("the legacy feed lands in raw.<entity>_legacy with every column as text", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  const rows = saleLines(2);
  (rows[0] as Record<string, unknown>).quantity = " 2 ";
  (rows[1] as Record<string, unknown>).unit_price = "1,50";
  writeBytes(lake, saleLinePath(1, "csv", "legacy/"), csvOf(rows));
  const pipe = await openLocalPipe({ lake, database: join(root, "wh.duckdb") });
  expect((await pipe.refresh()).loaded).toBe(1);
  const loaded = await pipe.query(
    "select quantity, unit_price, typeof(line_no) as t from raw.sale_line_legacy order by _source_row",
  );
  expect(loaded).toEqual([
    { quantity: " 2 ", unit_price: "1.50", t: "VARCHAR" },
    { quantity: "2", unit_price: "1,50", t: "VARCHAR" },
  ]);
  await pipe.close();
});

test("a database file named like a pipe schema is refused with the reason", async () => {
  const root = tempFolder();
  const error = await openLocalPipe({
    lake: join(root, "lake"),
    database: join(root, "raw.duckdb"),
  }).catch((e: unknown) => e);
  expect((error as Error).message.replace(root, "<tmp>")).toMatchInlineSnapshot(
    `"DuckDB would name the catalog of "<tmp>/raw.duckdb" "raw", which it matches (case aside) with the pipe's schema "raw": name the file otherwise (e.g. retail.duckdb)"`,
  );
});
