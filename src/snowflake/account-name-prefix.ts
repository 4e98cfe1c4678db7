import { createHash } from "node:crypto";
import { storedName } from "./ident.js";

// Room left for the longest suffix a plan adds (`_TRANSFORMER`, `_LAKE_EVENTS`) within 255.
const MAX_PREFIX = 255 - "_TRANSFORMER".length;
const PLAIN = /^[A-Z_][A-Z0-9_$]*$/;
// What a sanitised prefix ends with; a plain name that looks like one is hashed too, so a
// plain prefix and a hashed one can never be equal.
const HASHED = /_[0-9A-F]{8}$/;

/**
 * The prefix of the account-level names (roles, integrations) a plan derives from its
 * database. Roles and integrations are shared by the whole account, so two databases must
 * never derive the same one. A database whose stored name is already a plain identifier keeps
 * it (`retail` and `RETAIL` are one database: `RETAIL_LOADER`). Any other name is sanitised to
 * a plain identifier, so admins never have to quote a role in `USE ROLE` or a profile, and
 * suffixed with 8 hex digits of the SHA-256 of the exact stored name, so `RET'AIL` and
 * `RET"AIL` (both `RET_AIL` once sanitised) stay apart: `RET_AIL_1A2B3C4D_LOADER`.
 * @example
 * accountNamePrefix("retail") // RETAIL
 * accountNamePrefix("日本")    // DB_<8 hex digits>
 */
export function accountNamePrefix(database: string): string {
  const stored = storedName(database);
  if (PLAIN.test(stored) && !HASHED.test(stored) && stored.length <= MAX_PREFIX) return stored;
  const hash = createHash("sha256").update(stored, "utf8").digest("hex").slice(0, 8).toUpperCase();
  let readable = stored
    .toUpperCase()
    .replace(/[^A-Z0-9_$]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!/^[A-Z]/.test(readable)) readable = `DB_${readable}`.replace(/_+$/, "");
  return `${readable.slice(0, MAX_PREFIX - hash.length - 1)}_${hash}`;
}
