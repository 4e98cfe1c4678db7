import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import {
  blobCreatedEvent,
  localStore,
  type PutResult,
  parseStorageEvent,
} from "../../src/lake/index.js";
import { tempDir } from "./temp-dir.js";

// The example events of Microsoft's "Azure Blob Storage as an Event Grid source" page, verbatim
// (see fixtures/event-grid-samples/SOURCE.md). The lake's events must have their fields, in
// their order, of their types, with their constant values.
const samples = join(import.meta.dirname, "fixtures", "event-grid-samples");
const sample = (name: string): Record<string, unknown> =>
  (JSON.parse(readFileSync(join(samples, name), "utf8")) as Record<string, unknown>[])[0] ?? {};
const blobSample = sample("blob-created.event-grid.json");
const dlsSample = sample("dls-gen2-blob-created.event-grid.json");

const path = "store/store-20261031T0000Z-20261101T0000Z-00001.parquet";
const put = (url: string, api: PutResult["api"], size = 524288): PutResult => ({
  path,
  size,
  eTag: '"0x8D4BCC2E4835CD0"',
  lastModified: new Date(0),
  url,
  api,
  contentType: "application/vnd.apache.parquet",
});

/** Same keys in the same order, same JSON types, recursively; `where` names the field. */
function expectSameFields(actual: unknown, expected: unknown, where = "event"): void {
  if (expected === null || typeof expected !== "object") {
    expect(typeof actual, where).toBe(typeof expected);
    return;
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  expect(Object.keys(a), `${where}: fields`).toEqual(Object.keys(e));
  for (const key of Object.keys(e)) expectSameFields(a[key], e[key], `${where}.${key}`);
}

/** The fields whose value is the same in every event of its kind. */
function constants(event: Record<string, unknown>) {
  const data = event.data as Record<string, unknown>;
  return {
    eventType: event.eventType,
    dataVersion: event.dataVersion,
    metadataVersion: event.metadataVersion,
    blobType: data.blobType,
    endpoint: new URL(String(data.url)).hostname.split(".")[1],
  };
}

const cases = [
  {
    store: "Blob storage, single-shot upload",
    put: put(`https://acct.blob.core.windows.net/landing/${path}`, "PutBlob"),
    sample: blobSample,
  },
  {
    store: "Blob storage, staged blocks",
    put: put(`https://acct.blob.core.windows.net/landing/${path}`, "PutBlockList"),
    sample: blobSample,
  },
  {
    store: "ADLS Gen2 (hierarchical namespace)",
    put: put(`https://acct.dfs.core.windows.net/lake/${path}`, "FlushWithClose"),
    sample: dlsSample,
  },
] as const;

for (const c of cases) {
  test(`${c.store}: ${c.put.api} has the documented sample's fields, types and constants`, () => {
    const event = blobCreatedEvent(c.put) as unknown as Record<string, unknown>;
    expectSameFields(event, c.sample);
    expect(constants(event)).toEqual(constants(c.sample));
    const data = event.data as Record<string, unknown>;
    expect(data.api).toBe(c.put.api);
    expect(data.contentLength).toBe(c.put.size);
    expect(String(event.subject)).toBe(
      `/blobServices/default/containers/${c.put.url.split("/")[3]}/blobs/${path}`,
    );
    expect(String(event.topic)).toMatch(
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Storage\/storageAccounts\/acct$/,
    );
    expect(String(data.sequencer)).toMatch(/^[0-9a-f]{32}$/i);
  });
}

test("ADLS Gen2: contentOffset is where the writer completed writing, the flushed length", () => {
  const event = blobCreatedEvent(
    put(`https://acct.dfs.core.windows.net/lake/${path}`, "FlushWithClose", 1234),
  );
  expect(event.data.contentOffset).toBe(1234);
  expect(event.dataVersion).toBe("2");
});

test("the local folder emits the Blob storage shape (PutBlob)", async () => {
  const store = localStore(tempDir("event-samples-"));
  const event = blobCreatedEvent(await store.put(path, new Uint8Array([1, 2, 3])));
  expectSameFields(event, blobSample);
  expect(event.dataVersion).toBe("");
});

test("each documented sample parses to itself, and its CloudEvents twin to the same event", () => {
  for (const [eventGrid, cloudEvent] of [
    ["blob-created.event-grid.json", "blob-created.cloud-event.json"],
    ["dls-gen2-blob-created.event-grid.json", "dls-gen2-blob-created.cloud-event.json"],
  ] as const) {
    // The ADLS samples show CreateFile (an empty file, refused); the flush that completes a
    // file carries the same fields.
    const complete = (e: Record<string, unknown>) => {
      const data = e.data as Record<string, unknown>;
      return {
        ...e,
        data: { ...data, api: data.api === "CreateFile" ? "FlushWithClose" : data.api },
      };
    };
    const fromEventGrid = parseStorageEvent(complete(sample(eventGrid)));
    expect(fromEventGrid).toEqual(complete(sample(eventGrid)));
    expect(parseStorageEvent(complete(sample(cloudEvent)))).toEqual(fromEventGrid);
  }
});
