import type { MessagePort } from "node:worker_threads";
import type { LakeStore, PutOptions, PutResult } from "./lake-store.js";
import { describeError, reviveError, type ThreadErrorData } from "./thread-error.js";

// A file's publish, as a worker thread asks the thread that owns the store for it.
type StoreRequest =
  | {
      readonly id: number;
      readonly op: "put";
      readonly path: string;
      readonly body: Uint8Array;
      readonly options?: PutOptions;
    }
  | { readonly id: number; readonly op: "get" | "exists"; readonly path: string };

interface StoreResponse {
  readonly id: number;
  readonly value?: PutResult | Uint8Array | boolean;
  readonly error?: ThreadErrorData;
}

/** What a served store keeps of the errors it sent over. */
export interface ServedStore {
  /** The error the store threw, for an error that came back from the thread carrying its id. */
  original(data: ThreadErrorData): unknown;
  /** Resolves once no call is running in the store (a thread that failed may have left some). */
  idle(): Promise<void>;
}

/**
 * Serves `store`'s `put`, `get` and `exists` to the thread at the other end of `port` (see
 * `portStore`). The store stays in this thread, so any store works (a local folder, Blob or
 * ADLS Gen2 with its credential, which never crosses), and only whole files cross, never rows.
 */
export function serveStore(port: MessagePort, store: LakeStore): ServedStore {
  const errors = new Map<number, unknown>();
  const calls = new Set<Promise<void>>();
  port.on("message", (request: StoreRequest) => {
    const call = answer(request).finally(() => calls.delete(call));
    calls.add(call);
  });
  const answer = async (request: StoreRequest) => {
    let response: StoreResponse;
    try {
      const value =
        request.op === "put"
          ? await store.put(request.path, request.body, request.options)
          : request.op === "get"
            ? await store.get(request.path)
            : await store.exists(request.path);
      response = { id: request.id, value };
    } catch (error) {
      errors.set(request.id, error);
      response = { id: request.id, error: { ...describeError(error), origin: request.id } };
    }
    port.postMessage(response);
  };
  return {
    original: (data) => (data.origin === undefined ? undefined : errors.get(data.origin)),
    async idle() {
      while (calls.size > 0) await Promise.allSettled(calls);
    },
  };
}

/**
 * The store served at the other end of `port` (`serveStore`), as a `LakeStore` a lake writer in
 * a worker thread publishes through. Its errors are the store's, revived: an `ObjectExistsError`
 * is one here too (which `publishOnce` relies on). Lists and deletes are not served: the lake
 * writer never does either.
 */
export function portStore(port: MessagePort, info: Pick<LakeStore, "kind" | "url">): LakeStore {
  let next = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();
  port.on("message", (response: StoreResponse) => {
    const call = pending.get(response.id);
    pending.delete(response.id);
    if (!call) return;
    if (response.error) call.reject(reviveError(response.error));
    else call.resolve(response.value);
  });
  const ask = <T>(request: Omit<StoreRequest, "id">): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      // The body is copied, not transferred: publishOnce hashes it again after a refused put.
      port.postMessage({ ...request, id });
    });
  const unserved = (op: string) => () => {
    throw new Error(`a lake store served to a worker thread does not ${op}`);
  };
  return {
    kind: info.kind,
    url: info.url,
    put: (path, body, options) =>
      ask<PutResult>({ op: "put", path, body, ...(options ? { options } : {}) } as StoreRequest),
    get: (path) => ask<Uint8Array>({ op: "get", path }),
    exists: (path) => ask<boolean>({ op: "exists", path }),
    list: unserved("list") as LakeStore["list"],
    delete: unserved("delete") as LakeStore["delete"],
  };
}
