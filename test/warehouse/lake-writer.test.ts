import { join } from "node:path";
import { expect, test } from "vitest";
import { saleLine } from "../../src/entities/index.js";
import {
  createLakeWriter,
  type FileFormat,
  inProcessEventSink,
  localStore,
} from "../../src/lake/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { saleLines, tempFolder } from "./lake-fixture.js";

const window = { from: "2026-11-01T08:00:00Z", to: "2026-11-01T09:00:00Z" };

for (const [format, compression] of [
  ["parquet", "snappy"],
  ["parquet", "zstd"],
  ["csv", "gzip"],
  ["ndjson", "none"],
] as const) {
  test(`files the lake writer publishes (${format}, ${compression}) load with exact values, through in-process events`, async () => {
    const root = tempFolder();
    const store = localStore(join(root, "lake"));
    const pipe = await openLocalPipe({ lake: store, database: join(root, "retail.duckdb") });
    const events = inProcessEventSink();
    const writer = createLakeWriter({
      store,
      format: format as FileFormat,
      compression,
      events,
      roll: { maxRows: 40 },
    });
    const records = saleLines(100).map((r, i) => ({
      ...r,
      sold_at: `2026-11-01T08:15:30.${String(i).padStart(6, "0")}Z`,
      net_amount: i % 2 ? "-3.00" : "3.00",
    }));
    const consumed = pipe.consume(events);
    await writer.write({ entity: saleLine, records: records as never, window });
    const run = await writer.close();
    events.close();
    const summary = await consumed;
    expect([summary.loaded, summary.rowsLoaded, run.rowsWritten]).toEqual([3, 100, 100]);
    const rows = await pipe.query(
      "select strftime(sold_at, '%Y-%m-%dT%H:%M:%S.%fZ') as sold_at, net_amount::VARCHAR as net, _source_row::INTEGER as r from raw.sale_line order by sold_at limit 2 offset 41",
    );
    expect(rows).toEqual([
      { sold_at: "2026-11-01T08:15:30.000041Z", net: "-3.00", r: 2 },
      { sold_at: "2026-11-01T08:15:30.000042Z", net: "3.00", r: 3 },
    ]);
    // A second scan of the same lake finds every file in the history.
    expect((await pipe.refresh()).alreadyLoaded).toBe(3);
    await pipe.close();
  });
}
