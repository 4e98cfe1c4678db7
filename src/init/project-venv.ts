import { existsSync } from "node:fs";
import { join } from "node:path";
import { DbtError } from "../warehouse/dbt-error.js";
import { findDbt } from "../warehouse/dbt-executable.js";

/**
 * What the project folder's `.venv` holds: `absent`, `not-a-venv` (something else by that name),
 * `without-dbt` (a Python venv dbt is not installed in) or `with-dbt` (where `demo` finds dbt).
 */
export type ProjectVenv = "absent" | "not-a-venv" | "without-dbt" | "with-dbt";

/** So `init` says what is left to do in this folder, not the steps of an empty one. */
export function projectVenv(folder: string): ProjectVenv {
  if (!existsSync(join(folder, ".venv"))) return "absent";
  if (!existsSync(join(folder, ".venv", "pyvenv.cfg"))) return "not-a-venv";
  try {
    // No PATH and no RETAIL_MDS_DBT_BIN: only the folder's .venv, where `demo` looks last.
    findDbt({ projectDir: join(folder, "dbt"), cwd: folder, env: {} });
    return "with-dbt";
  } catch (error) {
    if (error instanceof DbtError) return "without-dbt";
    throw error;
  }
}
