/** Folder of the rewrite notices, beside the quarantine files they explain. */
export const REWRITE_NOTICE_PREFIX = "_quarantine/_rewrites/";

/**
 * A data file's owner rewrote it on purpose: `quality --quarantine` moved `removed` records out
 * of the version with SHA-256 `from`, leaving the version `to`. A pipe that loaded `from` replaces
 * that file's rows with those of `to` instead of calling the change a conflict; any other change
 * to a loaded file stays a conflict.
 */
export interface RewriteNotice {
  readonly file: string;
  readonly from: string;
  readonly to: string;
  readonly removed: number;
  readonly reason: "quarantine";
  /** The quarantine files that hold the removed records. */
  readonly quarantine: readonly string[];
}

/** Where the notice of a rewrite of `file` away from the version `fromHash` lives. */
export function rewriteNoticePath(file: string, fromHash: string): string {
  return `${REWRITE_NOTICE_PREFIX}${file}.${fromHash}.json`;
}

/** The notice's bytes. */
export function encodeRewriteNotice(notice: RewriteNotice): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(notice, null, 2)}\n`);
}

/** Reads a notice back; `undefined` when the bytes are not a notice for `file` from `fromHash`. */
export function decodeRewriteNotice(
  body: Uint8Array,
  file: string,
  fromHash: string,
): RewriteNotice | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as Partial<RewriteNotice>;
    const hex = /^[0-9a-f]{64}$/;
    if (value.file !== file || value.from !== fromHash || !hex.test(String(value.to)))
      return undefined;
    return value as RewriteNotice;
  } catch {
    return undefined;
  }
}

/**
 * Whether notices chain the version `from` to the version `to` (one rewrite, or several when
 * quarantine ran again with other rules). `read` returns a notice's bytes, or undefined.
 */
export async function rewrittenBetween(
  file: string,
  from: string,
  to: string,
  read: (path: string) => Promise<Uint8Array | undefined>,
): Promise<boolean> {
  let at = from;
  // Bounded: a chain longer than this is not what quarantine writes.
  for (let step = 0; step < 64 && at !== to; step++) {
    const body = await read(rewriteNoticePath(file, at));
    const notice = body && decodeRewriteNotice(body, file, at);
    if (!notice) return false;
    at = notice.to;
  }
  return at === to;
}
