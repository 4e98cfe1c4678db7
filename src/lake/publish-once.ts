import type { LakeStore, PutResult } from "./lake-store.js";
import { LakeWriteError, ObjectExistsError } from "./lake-write-error.js";
import { sha256Hex } from "./local-store.js";

/** What `publishOnce` did: published the bytes now, or found the very same bytes there. */
export type PublishOutcome =
  | { readonly published: true; readonly put: PutResult }
  | { readonly published: false };

/**
 * Publishes an immutable lake file: creates `path` with `bytes` unless something is there, in
 * one atomic create-only put, so of several writers racing for one name exactly one wins. Finding
 * the same bytes already there (a re-run) is not an error and changes nothing; different bytes
 * fail with a `LakeWriteError` saying the file is immutable.
 * @example
 * const outcome = await publishOnce(store, "_manifests/run-1.json", body, "application/json");
 * if (outcome.published) console.log(outcome.put.url);
 */
export async function publishOnce(
  store: LakeStore,
  path: string,
  bytes: Uint8Array,
  contentType: string,
): Promise<PublishOutcome> {
  try {
    // The check spares a re-run the upload; the create-only put is what is safe against another
    // writer publishing the name in between.
    if (await store.exists(path)) throw new ObjectExistsError(store.url, path);
    return { published: true, put: await store.put(path, bytes, { contentType, ifAbsent: true }) };
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error;
    const existing = sha256Hex(await store.get(path));
    const sha256 = sha256Hex(bytes);
    if (existing === sha256) return { published: false };
    throw new LakeWriteError(
      store.url,
      path,
      `immutable: a different file already exists there (sha256 ${existing}, new ${sha256}); lake files are never overwritten: write a run with another seed, size or config to another lake folder (--out, --lake, lake.path), or remove this one`,
      { cause: error },
    );
  }
}
