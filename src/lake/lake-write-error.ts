/**
 * A lake write failed for good: a permanent store error, retries exhausted, or an attempt to
 * change an immutable file. Names the store (its URL, never a credential), the path and the cause.
 * @example
 * try { await writer.close() } catch (e) { if (e instanceof LakeWriteError) console.error(e.path) }
 */
export class LakeWriteError extends Error {
  override readonly name: string = "LakeWriteError";
  /** URL of the store root (credential-free). */
  readonly store: string;
  /** Path of the object, relative to the store root. */
  readonly path: string;

  constructor(store: string, path: string, reason: string, options: { cause?: unknown } = {}) {
    super(`lake write to ${store} at "${path}" failed: ${reason}`, options);
    this.store = store;
    this.path = path;
  }
}

/**
 * A create-only put (`ifAbsent`) found an object already at its path: another run, or another
 * writer at the same moment, published that name first. Nothing was changed.
 * @example
 * await store.put(path, bytes, { ifAbsent: true }).catch((e) => { if (e instanceof ObjectExistsError) ... });
 */
export class ObjectExistsError extends LakeWriteError {
  override readonly name = "ObjectExistsError";

  constructor(store: string, path: string, options: { cause?: unknown } = {}) {
    super(store, path, "an object already exists there (create-only put)", options);
  }
}
