import { checkStorePath } from "./store-path.js";

/**
 * Checks the root prefix of a cloud store (`landing/retail`), returning it without slashes at
 * either end, or "" for none.
 */
export function rootPrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? "").replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : checkStorePath(trimmed);
}

/**
 * Checks a `list` prefix: like a store path, but it may be partial (`sale_line/dt=2026-`) or end
 * with `/`.
 */
export function listPrefix(prefix: string | undefined): string {
  if (prefix === undefined || prefix === "") return "";
  const body = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  checkStorePath(body);
  return prefix;
}

/** Joins the root prefix and a relative path. */
export function underRoot(root: string, path: string): string {
  return root === "" ? path : `${root}/${path}`;
}
