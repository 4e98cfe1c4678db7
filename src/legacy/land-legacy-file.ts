import { basename } from "node:path";
import type { LakeStore } from "../lake/lake-store.js";
import { ObjectExistsError } from "../lake/lake-write-error.js";
import { checkStorePath } from "../lake/store-path.js";
import type { LegacyLayout } from "./define-legacy-layout.js";
import { type LegacyReadResult, readLegacyFile } from "./read-legacy-file.js";

/** The lake folder raw legacy files land under, one folder per layout. */
export const LEGACY_RAW_FOLDER = "legacy_raw";

/** Where raw files of a layout land: `legacy_raw/<layout>/<file name>`, bytes untouched. */
export function legacyRawPath(layout: LegacyLayout, file: string): string {
  return `${LEGACY_RAW_FOLDER}/${layout.name}/${basename(file)}`;
}

/**
 * Why a file cannot land under its own name, or undefined. A dot-named file would land and never
 * load: the local pipe and the Snowflake pipe's PATTERN skip dot-files (a publish's temporary
 * files). And the name must make a store path (no control character).
 * @example
 * legacyRawNameProblem(posFr, ".caisse.csv"); // 'a file name starting with "." is never loaded ...'
 */
export function legacyRawNameProblem(layout: LegacyLayout, file: string): string | undefined {
  if (basename(file).startsWith("."))
    return 'a file name starting with "." is never loaded (the pipes skip dot-files, the temporary files of a publish): rename it';
  try {
    checkStorePath(legacyRawPath(layout, file));
  } catch (error) {
    return `${(error as Error).message}: rename it`;
  }
  return undefined;
}

/**
 * The layout of a lake path `legacy_raw/<layout>/<file>`, or `undefined` for any other path.
 * Only files directly in the layout folder, and not dot-named (a publish's temporary file), as
 * the Snowflake pipe's PATTERN `^(legacy_raw/<layout>/)?[^/.][^/]*$` takes them: a file in a
 * subfolder is not the layout's on either side.
 * @example
 * parseLegacyRawPath("legacy_raw/pos_fr_sale_line/caisse-S001.csv"); // { layout: "pos_fr_sale_line" }
 */
export function parseLegacyRawPath(path: string): { readonly layout: string } | undefined {
  const parts = path.split("/");
  const [top, layout, file] = parts;
  if (parts.length !== 3 || top !== LEGACY_RAW_FOLDER || !layout || !file || file.startsWith("."))
    return undefined;
  return { layout };
}

/** What landing one file did. */
export interface LandedFile {
  readonly file: string;
  /** `landed`; `unchanged` (the same bytes were there); `conflict` (other bytes have that name); `rejected` (failed its layout, not landed). */
  readonly status: "landed" | "unchanged" | "conflict" | "rejected";
  readonly path: string;
  readonly check: LegacyReadResult;
}

/**
 * Checks a raw legacy file against its layout and, if the file stands, lands its bytes as they
 * are in the lake for the pipe path. A file rejected whole (control records, header) is not
 * landed; a name already landed is never replaced (create-if-absent, atomic on every store).
 * @throws RangeError for a name that cannot land (`legacyRawNameProblem`), before anything is read
 * @example
 * await landLegacyFile(localStore("./lake"), posFr, "caisse-S001-20261101.csv", bytes);
 */
export async function landLegacyFile(
  store: LakeStore,
  layout: LegacyLayout,
  file: string,
  bytes: Uint8Array,
): Promise<LandedFile> {
  const problem = legacyRawNameProblem(layout, file);
  if (problem) throw new RangeError(`${JSON.stringify(file)}: ${problem}`);
  const path = legacyRawPath(layout, file);
  const check = readLegacyFile(layout, bytes, file);
  if (!check.accepted) return { file, status: "rejected", path, check };
  try {
    await store.put(path, bytes, { ifAbsent: true, contentType: "text/plain" });
    return { file, status: "landed", path, check };
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error;
    const there = await store.get(path);
    const same = Buffer.compare(Buffer.from(there), Buffer.from(bytes)) === 0;
    return { file, status: same ? "unchanged" : "conflict", path, check };
  }
}
