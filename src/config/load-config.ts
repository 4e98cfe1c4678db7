import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "./config-error.js";
import { type ProjectConfig, resolveConfig } from "./project-config.js";

/** The file names a config is found under, in the order they are tried in each folder. */
export const CONFIG_FILE_NAMES = [
  "retail-mds.config.ts",
  "retail-mds.config.mts",
  "retail-mds.config.mjs",
  "retail-mds.config.js",
  "retail-mds.config.json",
] as const;

/**
 * The config file of the nearest folder holding one, from `from` up, or undefined.
 * @throws ConfigError when that folder holds more than one: which one counts would be a guess
 * (`init` writes a `.mjs`, a user may add a `.ts`), and the other's settings silently ignored.
 */
export function findConfigFile(from: string): string | undefined {
  let folder = resolve(from);
  for (;;) {
    const found = CONFIG_FILE_NAMES.filter((name) => {
      const candidate = join(folder, name);
      return existsSync(candidate) && statSync(candidate).isFile();
    });
    if (found.length > 1) {
      throw new ConfigError(
        folder,
        "",
        `holds more than one config file (${found.join(", ")}): keep one, merging the others into it`,
      );
    }
    if (found[0]) return join(folder, found[0]);
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/** Where to look for the config. */
export interface LoadConfigOptions {
  /** Read this file (`--config`); it must exist. */
  readonly file?: string | undefined;
  /** Search from this folder up; the working folder by default. */
  readonly cwd?: string;
}

/**
 * Finds, reads and checks the project config: `file` if given, else the first
 * `retail-mds.config.{ts,mts,mjs,js,json}` from `cwd` up. Without one, the defaults, relative
 * to `cwd`.
 * @throws ConfigError for a missing, unreadable or invalid config, naming the key at fault.
 * @example
 * const config = await loadConfig();
 * const pipe = await openLocalPipe({ lake: config.lake.path, entities: config.entities });
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ProjectConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const file = options.file !== undefined ? resolve(cwd, options.file) : findConfigFile(cwd);
  if (file === undefined) return resolveConfig({}, { root: cwd });
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ConfigError(file, "", "no such config file");
  }
  return resolveConfig(await readConfigFile(file), { root: dirname(file), file });
}

async function readConfigFile(file: string): Promise<unknown> {
  if (file.endsWith(".json")) {
    try {
      return JSON.parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new ConfigError(file, "", `is not valid JSON: ${(error as Error).message}`);
    }
  }
  let module: { default?: unknown };
  try {
    module = /\.[mc]?ts$/.test(file)
      ? await importTypeScript(file)
      : await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(file, "", `could not be loaded: ${(error as Error).message}`);
  }
  if (module.default === undefined) {
    throw new ConfigError(
      file,
      "",
      "has no default export: `export default defineConfig({ ... })`",
    );
  }
  return module.default;
}

// Node 20 (our floor) cannot run TypeScript; Node 22.6+ only behind --experimental-strip-types,
// which cannot be set from inside a running CLI. jiti is made for exactly this (it loads the TS
// configs of Tailwind, ESLint and Nuxt), has no dependencies, and is loaded only for a .ts config.
async function importTypeScript(file: string): Promise<{ default?: unknown }> {
  const { createJiti } = await import("jiti");
  // Resolved from the config file itself (and no import.meta: this also runs as CommonJS).
  const jiti = createJiti(file, { moduleCache: false, fsCache: false });
  return { default: await jiti.import(file, { default: true }) };
}
