import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Column } from "../entities/index.js";
import { type TransferColumn, toTransferColumns, transferables } from "./column-transfer.js";
import { type ParquetColumnsOptions, parquetRowGroupRows } from "./parquet-encoder.js";

/** One file to encode, as posted to a worker. */
export interface EncodeRequest {
  readonly id: number;
  readonly columns: readonly Column[];
  readonly transfer: readonly TransferColumn[];
  readonly options: ParquetColumnsOptions;
}

/** A worker's answer: the file's bytes, or why it could not encode them. */
export interface EncodeResponse {
  readonly id: number;
  readonly bytes?: Uint8Array;
  readonly error?: string;
}

/** Worker threads that encode Parquet files while the caller's thread goes on generating. */
export interface EncodePool {
  /** The same bytes as `parquetBytes(columns, records, options)`, encoded on a worker. */
  encode(
    columns: readonly Column[],
    records: readonly Readonly<Record<string, unknown>>[],
    options: { codec: ParquetColumnsOptions["codec"]; rowGroupBytes: number },
  ): Promise<Uint8Array>;
  /** Ends the workers; encodes still running reject. */
  close(): Promise<void>;
}

interface Slot {
  readonly worker: Worker;
  busy: number;
  failed?: Error;
}

/**
 * Starts `size` encode workers. The rows go over as columns (one buffer or string a column,
 * see column-transfer.ts), never as cloned objects; each file goes to the least busy worker.
 * Which worker encodes a file cannot change its bytes: the row-group size is decided here, from
 * the records, and the worker only runs the same pure encoder.
 */
export function createEncodePool(size: number): EncodePool {
  const entry = workerEntry();
  const pending = new Map<number, { resolve(bytes: Uint8Array): void; reject(e: Error): void }>();
  let nextId = 0;
  let closing = false;
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    const worker = entry.ts
      ? new Worker(tsxBootstrap(entry.url), { eval: true })
      : new Worker(entry.url);
    const slot: Slot = { worker, busy: 0 };
    // An idle worker does not keep the process alive: a writer never closed does not hang it.
    worker.unref();
    worker.on("message", (response: EncodeResponse) => {
      const task = pending.get(response.id);
      pending.delete(response.id);
      if (--slot.busy === 0) worker.unref();
      if (!task) return;
      if (response.bytes) task.resolve(response.bytes);
      else task.reject(new Error(`Parquet encode worker: ${response.error}`));
    });
    // A worker that dies takes its files with it: they and every later encode reject, so the
    // writer fails with the cause instead of waiting forever.
    worker.on("error", (error) => {
      slot.failed ??= error;
      failAll(error);
    });
    worker.on("exit", (code) => {
      if (closing) return;
      slot.failed ??= new Error(`Parquet encode worker exited with code ${code}`);
      failAll(slot.failed);
    });
    slots.push(slot);
  }
  function failAll(error: Error) {
    for (const task of pending.values()) task.reject(error);
    pending.clear();
  }
  return {
    encode(columns, records, { codec, rowGroupBytes }) {
      if (closing) return Promise.reject(new Error("encode pool is closed"));
      const broken = slots.find((slot) => slot.failed)?.failed;
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      const transfer = toTransferColumns(columns, records);
      const request: EncodeRequest = {
        id,
        // Only what the encoder reads: no patterns or value lists to clone.
        columns: columns.map(({ name, type, nullable, description, pii }) => ({
          name,
          type,
          nullable,
          description,
          pii,
        })),
        transfer,
        options: { codec, rowGroupRows: parquetRowGroupRows(columns, records, rowGroupBytes) },
      };
      const slot = slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      return new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (slot.busy++ === 0) slot.worker.ref();
        slot.worker.postMessage(request, transferables(transfer));
      });
    },
    async close() {
      closing = true;
      failAll(new Error("encode pool is closed"));
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}

// The worker's file sits next to this module's code: dist/encode-worker.js beside the ESM
// chunks, dist/encode-worker.cjs beside the CJS ones (tsup shims import.meta.url there), and
// src/lake/encode-worker.ts when the sources run under tsx or Vitest.
function workerEntry(): { url: URL; ts: boolean } {
  const here = import.meta.url;
  const ts = here.endsWith(".ts");
  const extension = ts ? "ts" : here.endsWith(".cjs") ? "cjs" : "js";
  return { url: new URL(`./encode-worker.${extension}`, here), ts };
}

// From the sources, the worker registers tsx's loader before importing its TypeScript entry
// (Node 20 ignores --import in a worker's execArgv). tsx is a development dependency: this path
// is only taken where the sources themselves run.
function tsxBootstrap(url: URL): string {
  return `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
}

// Resolved here, not in the worker: an eval'ed worker resolves a bare specifier from the working
// folder, where there is no tsx when the CLI runs from the sources in another folder (tests).
// Not with import.meta.resolve, which the CJS build keeps as written (a syntax error that broke
// require("retail-mds")), nor require.resolve, which picks tsx's CJS API (it cannot register
// the ESM loader): tsx's own export map names its ESM API.
function tsxApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const { exports } = require(manifest) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = exports["./esm/api"]?.import?.default;
  return entry ? pathToFileURL(join(dirname(manifest), entry)).href : "tsx/esm/api";
}
