/**
 * A lake write failed for good: a permanent store error, retries exhausted, or an attempt to
 * change an immutable file. Names the store (its URL, never a credential), the path and the cause.
 * @example
 * try { await writer.close() } catch (e) { if (e instanceof LakeWriteError) console.error(e.path) }
 */
export class LakeWriteError extends Error {
  override readonly name = "LakeWriteError";
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
