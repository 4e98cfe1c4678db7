/**
 * init: `retail-mds init [folder]` as a library call. `scaffoldProject` writes a working project
 * (dbt, Airflow DAG, Azure Function, Terraform, docker-compose, CI, README) from the installed
 * package. See docs/from-npm-install.md.
 * @module
 */

export { type ProjectVenv, projectVenv } from "./project-venv.js";
export {
  type GeneratedFor,
  type ScaffoldAction,
  type ScaffoldEntry,
  ScaffoldError,
  type ScaffoldOptions,
  type ScaffoldResult,
  scaffoldProject,
} from "./scaffold-project.js";
