import { existsSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { CONFIG_FILE_NAMES } from "../config/load-config.js";
import { adaptForProject } from "./adapt.js";
import { packageRoot } from "./package-root.js";
import { SCAFFOLD_PARTS, type ScaffoldPart } from "./scaffold-parts.js";

/** What `scaffoldProject` did with one file. */
export type ScaffoldAction = "created" | "unchanged" | "kept" | "overwritten";

export interface ScaffoldEntry {
  /** Path in the project, `/`-separated. */
  readonly path: string;
  readonly action: ScaffoldAction;
}

export interface ScaffoldOptions {
  /** The project folder (created if missing). */
  readonly folder: string;
  /** Overwrite files that differ from the package's (a user's edits); default false: keep them. */
  readonly force?: boolean;
}

export interface ScaffoldResult {
  readonly folder: string;
  /** The package version the files come from. */
  readonly version: string;
  readonly entries: readonly ScaffoldEntry[];
}

/**
 * Writes a working project from the installed package: the dbt project, the Airflow DAG and its
 * support code, the Azure Function app, Terraform, docker-compose and the Airflow image, a CI
 * workflow, a `.gitignore`, the pinned dbt requirements and a README. The same files as the
 * repository's reference deployment (the package ships them). Re-running is safe: a file
 * identical to the package's is left alone, and a file that differs (edited by the user) is
 * kept unless `force`. The config is written only where the folder has none (of any extension).
 * @example
 * const { entries } = await scaffoldProject({ folder: "./shop" });
 * for (const e of entries) if (e.action === "kept") console.log(`kept ${e.path}`);
 */
export async function scaffoldProject(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const folder = resolve(options.folder);
  if (existsSync(folder) && !statSync(folder).isDirectory())
    throw new ScaffoldError(`${folder} exists and is not a folder`);
  const { root, version } = packageRoot();
  const entries: ScaffoldEntry[] = [];
  for (const part of SCAFFOLD_PARTS) {
    for (const file of await filesOf(root, part)) {
      const ownConfig = file.to === "retail-mds.config.mjs" && existingConfig(folder);
      if (ownConfig) {
        // The project has its config under another name (renamed to .ts to import a .ts
        // entity): a second one beside it would stop every command (one config per folder).
        entries.push({ path: ownConfig, action: "kept" });
        continue;
      }
      const source = await readFile(join(root, file.from));
      const text = adaptForProject(file.to, source.toString("utf8"), version);
      const bytes = text === source.toString("utf8") ? source : Buffer.from(text);
      entries.push({ path: file.to, action: await place(join(folder, file.to), bytes, options) });
    }
  }
  return { folder, version, entries };
}

/** The name of a config file the folder holds under another name than init's, if any. */
function existingConfig(folder: string): string | undefined {
  return CONFIG_FILE_NAMES.find(
    (name) => name !== "retail-mds.config.mjs" && existsSync(join(folder, name)),
  );
}

/** The init folder argument is unusable (a file, for example). */
export class ScaffoldError extends Error {
  override readonly name = "ScaffoldError";
}

async function place(target: string, bytes: Buffer, options: ScaffoldOptions) {
  if (existsSync(target)) {
    if ((await readFile(target)).equals(bytes)) return "unchanged";
    if (!options.force) return "kept";
    await writeFile(target, bytes);
    return "overwritten";
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, bytes);
  return "created";
}

async function filesOf(root: string, part: ScaffoldPart) {
  const source = join(root, part.from);
  if (!existsSync(source))
    throw new Error(`retail-mds: ${part.from} is missing from the package at ${root}`);
  if (!statSync(source).isDirectory()) return [{ from: part.from, to: part.to }];
  const names = (await walk(source, part.skip)).sort();
  return names.map((relative) => ({
    from: `${part.from}/${relative}`,
    to: `${part.to}/${relative}`,
  }));
}

/** Files under `dir` but the skipped ones, `/`-separated and relative to it (readdir's `recursive` needs Node 20.12). */
async function walk(dir: string, skip: RegExp | undefined, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = `${prefix}${entry.name}`;
    if (skip?.test(relative)) continue;
    if (entry.isDirectory()) out.push(...(await walk(join(dir, entry.name), skip, `${relative}/`)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}
