// The entry of an encode worker thread (see encode-pool.ts): Parquet files from columns handed
// over by the lake writer's thread, sent back as bytes. Built as its own entry (dist/encode-worker.js
// and .cjs), next to the chunks that start it.
import { parentPort } from "node:worker_threads";
import type { EncodeRequest, EncodeResponse } from "./encode-pool.js";
import { parquetColumnsBytes } from "./parquet-encoder.js";

const port = parentPort;
if (!port) throw new Error("encode-worker runs as a worker thread, started by the lake writer");
port.on("message", async (request: EncodeRequest) => {
  let response: EncodeResponse;
  try {
    const bytes = await parquetColumnsBytes(request.columns, request.transfer, request.options);
    response = { id: request.id, bytes };
  } catch (error) {
    response = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response, response.bytes ? [response.bytes.buffer as ArrayBuffer] : []);
});
