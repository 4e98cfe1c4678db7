import type { Worker } from "node:worker_threads";
import type { Column } from "../entities/index.js";
import { type TransferColumn, toTransferColumns, transferables } from "./column-transfer.js";
import { type ParquetColumnsOptions, parquetRowGroupRows } from "./parquet-encoder.js";
import { startWorkerThread } from "./worker-thread.js";

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
  /** The same bytes as `parquetColumnsBytes(columns, transfer, options)`, encoded on a worker. */
  encodeColumns(
    columns: readonly Column[],
    transfer: readonly TransferColumn[],
    options: ParquetColumnsOptions,
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
  const pending = new Map<number, { resolve(bytes: Uint8Array): void; reject(e: Error): void }>();
  let nextId = 0;
  let closing = false;
  const slots: Slot[] = [];
  for (let i = 0; i < size; i++) {
    // dist/encode-worker.js (or .cjs) next to this module's chunk; src/lake/encode-worker.ts
    // under tsx or Vitest.
    const worker: Worker = startWorkerThread(import.meta.url, "encode-worker");
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
  const pool: EncodePool = {
    encode(columns, records, { codec, rowGroupBytes }) {
      return pool.encodeColumns(columns, toTransferColumns(columns, records), {
        codec,
        rowGroupRows: parquetRowGroupRows(columns, records, rowGroupBytes),
      });
    },
    encodeColumns(columns, transfer, options) {
      if (closing) return Promise.reject(new Error("encode pool is closed"));
      const broken = slots.find((slot) => slot.failed)?.failed;
      if (broken) return Promise.reject(broken);
      const id = nextId++;
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
        options,
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
  return pool;
}
