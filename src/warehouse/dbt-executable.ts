import { accessSync, constants, existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { DbtError } from "./dbt-error.js";

/** The environment variable naming the dbt executable, as `--dbt-bin` does. */
export const DBT_BIN_ENV = "RETAIL_MDS_DBT_BIN";

/** Where to look for dbt; see `findDbt()`. */
export interface FindDbtOptions {
  /** The dbt project folder; its parent's `.venv` is a project venv. */
  readonly projectDir: string;
  /** An explicit executable (`--dbt-bin`): used as given, never searched past. */
  readonly dbt?: string;
  /** Defaults to `process.env`: RETAIL_MDS_DBT_BIN and PATH are read from it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to `process.cwd()`: its `.venv` is a project venv. */
  readonly cwd?: string;
}

/** The dbt executable found, and what named it. */
export interface DbtExecutable {
  readonly path: string;
  readonly via: "--dbt-bin" | typeof DBT_BIN_ENV | "PATH" | "the project's .venv";
}

const windows = process.platform === "win32";
const names = windows ? ["dbt.exe", "dbt.cmd", "dbt"] : ["dbt"];

function runnable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the dbt executable the way users expect: the `dbt` option (`--dbt-bin`), else
 * RETAIL_MDS_DBT_BIN, else `dbt` on PATH, else the project's virtualenv (`.venv/bin/dbt` in the
 * working folder or beside the dbt project). An executable given by the option or the variable
 * must be there: it is never silently replaced by another one.
 * @throws DbtError (`executable`) saying where it looked and how to install or point at dbt.
 * @example
 * findDbt({ projectDir: "./dbt" }) // { path: "/usr/local/bin/dbt", via: "PATH" }
 */
export function findDbt(options: FindDbtOptions): DbtExecutable {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const given: [string | undefined, DbtExecutable["via"]][] = [
    [options.dbt, "--dbt-bin"],
    [env[DBT_BIN_ENV], DBT_BIN_ENV],
  ];
  for (const [value, via] of given) {
    if (!value) continue;
    const path = resolve(cwd, value);
    if (runnable(path)) return { path, via };
    throw new DbtError(
      `dbt ${existsSync(path) ? "is not an executable file" : "not found"} at ${path} (given by ${via}): point it at dbt (the dbt-duckdb install), or run with --skip-dbt`,
      "executable",
    );
  }
  for (const folder of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of names) {
      const path = resolve(cwd, folder, name);
      if (runnable(path)) return { path, via: "PATH" };
    }
  }
  const venvs = [...new Set([cwd, dirname(resolve(cwd, options.projectDir))])].map((root) =>
    join(root, ".venv", windows ? "Scripts" : "bin"),
  );
  for (const venv of venvs) {
    for (const name of names) {
      const path = join(venv, name);
      if (runnable(path)) return { path, via: "the project's .venv" };
    }
  }
  throw new DbtError(
    `dbt not found: not on PATH, no ${DBT_BIN_ENV}, nor in ${venvs.join(" or ")}; install it${installHint([...new Set([cwd, dirname(resolve(cwd, options.projectDir))])])}, or point --dbt-bin or ${DBT_BIN_ENV} at it, or run with --skip-dbt`,
    "executable",
  );
}

/**
 * How to install dbt where it is looked for: a project written by `retail-mds init` has a
 * requirements.txt of dbt's pins (and no Makefile); this repository has `make setup`.
 */
function installHint(roots: readonly string[]): string {
  for (const root of roots) {
    const requirements = join(root, "requirements.txt");
    if (existsSync(join(root, "Makefile")) || !existsSync(requirements)) continue;
    if (/^dbt-duckdb==/m.test(readFileSync(requirements, "utf8")))
      return `: cd ${root} && python3 -m venv .venv && .venv/bin/pip install -r requirements.txt (the pinned dbt)`;
  }
  return " (`make setup` in this repository, or `pip install dbt-duckdb`)";
}

/**
 * The dbt project folder, absolute, once it is known to hold a `dbt_project.yml`.
 * @throws DbtError (`project`) naming the folder.
 */
export function dbtProjectDir(projectDir: string, cwd = process.cwd()): string {
  const dir = resolve(cwd, projectDir);
  if (!existsSync(join(dir, "dbt_project.yml")))
    throw new DbtError(
      `no dbt project at ${dir} (no dbt_project.yml): pass --dbt <the folder holding dbt_project.yml>, or run with --skip-dbt`,
      "project",
    );
  return dir;
}
