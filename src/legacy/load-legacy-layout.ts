import { readFile } from "node:fs/promises";
import { extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Entity } from "../entities/index.js";
import {
  defineLegacyLayout,
  type LegacyLayout,
  LegacyLayoutError,
} from "./define-legacy-layout.js";
import type { LayoutDefinition } from "./layout-schema.js";

/** Whether a value is a layout `defineLegacyLayout` made (from this copy of the library or another). */
export function isLegacyLayout(value: unknown): value is LegacyLayout {
  const v = value as Partial<LegacyLayout> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.name === "string" &&
    !!v.target &&
    !!v.records &&
    !!v.parsers
  );
}

/**
 * Loads a layout file: a module whose default export is a layout (`.ts`, `.mts`, `.js`, `.mjs`)
 * or a JSON definition (`.json`). A plain definition is checked with `defineLegacyLayout`.
 * @throws LegacyLayoutError naming the file when it holds no layout or a bad one.
 * @example
 * const layout = await loadLegacyLayout("layouts/pos-fr-sale-line.ts");
 */
export async function loadLegacyLayout(
  file: string,
  options: { readonly entities?: Readonly<Record<string, Entity>> } = {},
): Promise<LegacyLayout> {
  const path = resolve(file);
  const ext = extname(path);
  let value: unknown;
  if (ext === ".json") {
    try {
      value = JSON.parse(await readFile(path, "utf8"));
    } catch (error) {
      throw new LegacyLayoutError(
        file,
        "",
        `is not a JSON layout definition: ${(error as Error).message}`,
      );
    }
  } else if ([".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"].includes(ext)) {
    value = await importLayoutModule(file, path);
  } else {
    throw new LegacyLayoutError(file, "", "must be a .ts, .mts, .js, .mjs or .json file");
  }
  if (isLegacyLayout(value)) return value;
  if (typeof value !== "object" || value === null) {
    const what = ext === ".json" ? "holds" : "exports";
    throw new LegacyLayoutError(
      file,
      "",
      `${value === undefined ? "has no default export" : `${what} ${value === null ? "null" : `a ${typeof value}`}, not a layout`}: \`export default defineLegacyLayout({ ... })\``,
    );
  }
  return defineLegacyLayout(value as LayoutDefinition, options);
}

/**
 * Imports a layout module's default export. A module that throws is a bad layout file: the
 * `defineLegacyLayout` it calls is the library's copy (another bundle than the CLI's, and jiti
 * loads it apart), so its LegacyLayoutError is recognised by name and re-thrown as this copy's.
 */
async function importLayoutModule(file: string, path: string): Promise<unknown> {
  try {
    if (/\.[mc]?ts$/.test(path)) {
      // Node 20 cannot import TypeScript; jiti (already used for config files) can.
      const { createJiti } = await import("jiti");
      const jiti = createJiti(path, { moduleCache: false, fsCache: false });
      return await jiti.import(path, { default: true });
    }
    return ((await import(pathToFileURL(path).href)) as { default?: unknown }).default;
  } catch (error) {
    const e = error as Partial<LegacyLayoutError> | null;
    if (e?.name === "LegacyLayoutError" && typeof e.layout === "string") {
      throw Object.assign(new LegacyLayoutError(e.layout, e.key ?? "", ""), { message: e.message });
    }
    throw new LegacyLayoutError(file, "", `could not be loaded: ${(error as Error).message}`);
  }
}
