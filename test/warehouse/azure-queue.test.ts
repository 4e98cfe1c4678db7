import { join } from "node:path";
import { expect, test } from "vitest";
import { saleLine } from "../../src/entities/index.js";
import {
  blobStore,
  createLakeWriter,
  queueEventSink,
  receiveStorageEvents,
} from "../../src/lake/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { useAzurite } from "../support/azurite.js";
import { saleLines, tempFolder } from "./lake-fixture.js";

const azurite = useAzurite(["blob", "queue"]);

test("files landed on Blob storage (Azurite) load from BlobCreated events on a Storage Queue, once", async () => {
  const credential = { connectionString: azurite().connectionString };
  const store = blobStore({
    container: "landing",
    prefix: "retail",
    credential,
    createContainer: true,
  });
  const queue = { queueName: "lake-events", credential, createQueue: true };
  const writer = createLakeWriter({
    store,
    format: "parquet",
    events: queueEventSink(queue),
    roll: { maxRows: 30 },
  });
  await writer.write({
    entity: saleLine,
    records: saleLines(70) as never,
    window: { from: "2026-11-01T08:00:00Z", to: "2026-11-01T09:00:00Z" },
  });
  await writer.close();

  const root = tempFolder();
  const pipe = await openLocalPipe({ lake: store, database: join(root, "retail.duckdb") });
  const first = await pipe.consume(receiveStorageEvents(queue));
  expect([first.loaded, first.rowsLoaded]).toEqual([3, 70]);
  const [history] = await pipe.copyHistory();
  expect(history?.STAGE_LOCATION).toBe(`${azurite().blobUrl}/landing/retail`);
  expect(history?.FILE_NAME).toMatch(
    /^sale_line\/dt=2026-11-01\/hour=08\/sale_line-.*-0000[1-3]\.parquet$/,
  );
  // The queue is drained; a refresh over the container finds every file already loaded.
  expect((await pipe.consume(receiveStorageEvents(queue))).files).toEqual([]);
  expect((await pipe.refresh()).alreadyLoaded).toBe(3);
  expect(Number((await pipe.query("select count(*)::INTEGER as n from raw.sale_line"))[0]?.n)).toBe(
    70,
  );
  await pipe.close();
});
