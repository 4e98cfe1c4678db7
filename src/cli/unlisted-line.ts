import type { UnlistedEntry } from "../lake/index.js";

/** How `load` and `quality` print an entry they did not read: the same words in both. */
export function unlistedLine(entry: UnlistedEntry): string {
  return `not listed   ${entry.path}: ${entry.detail}`;
}
