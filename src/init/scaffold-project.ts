import { existsSync, statSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { ConfigError } from "../config/config-error.js";
import { CONFIG_FILE_NAMES, loadConfig } from "../config/load-config.js";
import { renderDbtProjectFiles } from "../dbt/render-dbt-project-files.js";
import type { Entity } from "../entities/define-entity.js";
import { isBuiltInEntity } from "../entities/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import { adaptForProject } from "./adapt.js";
import { packageRoot } from "./package-root.js";
import { type ProjectVenv, projectVenv } from "./project-venv.js";
import { SCAFFOLD_PARTS, type ScaffoldPart } from "./scaffold-parts.js";

/** What `scaffoldProject` did with one file. */
/**
 * What `scaffoldProject` did with one file: `updated` is a file `dbt-sources` generates that
 * still held the package's bytes (nobody edited it), rendered again for the folder's config.
 */
export type ScaffoldAction = "created" | "unchanged" | "kept" | "overwritten" | "updated";

export interface ScaffoldEntry {
  /** Path in the project, `/`-separated. */
  readonly path: string;
  readonly action: ScaffoldAction;
  /** One of the dbt files `retail-mds dbt-sources` renders for the config. */
  readonly generated?: true;
}

export interface ScaffoldOptions {
  /** The project folder (created if missing). */
  readonly folder: string;
  /** Overwrite files that differ from the package's (a user's edits); default false: keep them. */
  readonly force?: boolean;
  /**
   * The entities and legacy layouts the dbt files `retail-mds dbt-sources` generates are
   * rendered for (sources, layer YAML, each custom entity's and layout's models). Default: those
   * of the folder's own config, so a re-run (even with `force`) leaves a project that builds; the
   * built-ins in a new folder.
   */
  readonly project?: GeneratedFor;
}

/** What a project's generated dbt files are rendered for: its config's entities and layouts. */
export interface GeneratedFor {
  readonly entities?: readonly Entity[];
  readonly layouts?: readonly LegacyLayout[];
}

export interface ScaffoldResult {
  readonly folder: string;
  /** The package version the files come from. */
  readonly version: string;
  readonly entries: readonly ScaffoldEntry[];
  /** The custom entities and the layouts the generated dbt files were rendered for. */
  readonly generatedFor: readonly string[];
  /** The folder's config could not be read: the generated dbt files are the package's. */
  readonly configProblem?: ConfigError;
  /** What the folder's `.venv` holds (init writes none): what is left to install dbt. */
  readonly venv: ProjectVenv;
}

/**
 * Writes a working project from the installed package: the dbt project, the Airflow DAG and its
 * support code, the Azure Function app, Terraform, docker-compose and the Airflow image, a CI
 * workflow, a `.gitignore`, the pinned dbt requirements and a README. The same files as the
 * repository's reference deployment (the package ships them). Re-running is safe: a file
 * identical to the package's is left alone, and a file that differs (edited by the user) is
 * kept unless `force`. The config is written only where the folder has none (of any extension),
 * never overwritten.
 * The dbt files `retail-mds dbt-sources` generates are written for the folder's config's
 * entities and layouts, not copied: with `force` too, a project with its own still builds.
 * @example
 * const { entries } = await scaffoldProject({ folder: "./shop" });
 * for (const e of entries) if (e.action === "kept") console.log(`kept ${e.path}`);
 */
export async function scaffoldProject(options: ScaffoldOptions): Promise<ScaffoldResult> {
  const folder = resolve(options.folder);
  if (existsSync(folder) && !statSync(folder).isDirectory())
    throw new ScaffoldError(`${folder} exists and is not a folder`);
  const { root, version } = packageRoot();
  const { project, configProblem } = options.project
    ? { project: options.project, configProblem: undefined }
    : await configProject(folder);
  const generated = generatedDbtFiles(project);
  const entries: ScaffoldEntry[] = [];
  for (const part of SCAFFOLD_PARTS) {
    for (const file of await filesOf(root, part)) {
      const source = await readFile(join(root, file.from));
      const rendered = generated.get(file.to);
      const text = rendered ?? adaptForProject(file.to, source.toString("utf8"), version);
      generated.delete(file.to);
      const bytes = text === source.toString("utf8") ? source : Buffer.from(text);
      const ownConfig = file.to === "retail-mds.config.mjs" && existingConfig(folder);
      if (ownConfig) {
        // The project's config is the user's, whatever `force` says: it lists their entities,
        // and one under another name (.ts, to import a .ts entity) beside a second would stop
        // every command (one config per folder).
        const same =
          ownConfig === file.to && (await readFile(join(folder, ownConfig))).equals(bytes);
        entries.push({ path: ownConfig, action: same ? "unchanged" : "kept" });
        continue;
      }
      // A generated file still holding the package's bytes was written by an earlier init for
      // the built-ins, not edited: keeping it would leave the config's entities' models reading
      // a source the YAML does not declare.
      const pristine = rendered === undefined ? undefined : source;
      const action = await place(join(folder, file.to), bytes, options, pristine);
      entries.push({
        path: file.to,
        action,
        ...(rendered === undefined ? {} : { generated: true }),
      });
    }
  }
  // Models of the config's own entities and layouts the package lacks, as `dbt-sources` writes them.
  for (const [path, text] of generated)
    entries.push({
      path,
      action: await place(join(folder, path), Buffer.from(text), options),
      generated: true,
    });
  const generatedFor = [
    ...(project?.entities ?? []).filter((e) => !isBuiltInEntity(e.name)).map((e) => e.name),
    ...(project?.layouts ?? []).map((l) => l.name),
  ];
  return {
    folder,
    version,
    entries,
    generatedFor,
    venv: projectVenv(folder),
    ...(configProblem ? { configProblem } : {}),
  };
}

/**
 * The dbt files `dbt-sources` renders, keyed by project path. The package's copies are those of
 * the built-ins; a project whose config adds entities has its own, and writing the package's
 * would leave that entity's models reading a source that no longer exists.
 */
function generatedDbtFiles(project: GeneratedFor | undefined): Map<string, string> {
  const files = renderDbtProjectFiles(
    "dbt/models/_sources.yml",
    project?.entities,
    project?.layouts,
  );
  return new Map(Object.entries(files).map(([path, text]) => [path.split(sep).join("/"), text]));
}

/** The entities and layouts of the folder's own config (never a parent folder's); none without one. */
async function configProject(
  folder: string,
): Promise<{ project?: GeneratedFor; configProblem?: ConfigError }> {
  if (!existingConfig(folder)) return {};
  try {
    const { entities, layouts } = await loadConfig({ cwd: folder });
    return { project: { entities, layouts } };
  } catch (error) {
    // init repairs a project: a config that does not read yet must not stop it.
    if (error instanceof ConfigError) return { configProblem: error };
    throw error;
  }
}

/** The name of the config file the folder holds, if any. */
function existingConfig(folder: string): string | undefined {
  return CONFIG_FILE_NAMES.find((name) => existsSync(join(folder, name)));
}

/** The init folder argument is unusable (a file, for example). */
export class ScaffoldError extends Error {
  override readonly name = "ScaffoldError";
}

/** Writes `bytes` at `target` unless a file there differs (kept, unless `force` or still `pristine`). */
async function place(
  target: string,
  bytes: Buffer,
  options: ScaffoldOptions,
  pristine?: Buffer,
): Promise<ScaffoldAction> {
  if (existsSync(target)) {
    const current = await readFile(target);
    if (current.equals(bytes)) return "unchanged";
    if (pristine?.equals(current)) {
      await writeFile(target, bytes);
      return "updated";
    }
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
