/**
 * dbt cannot run: no dbt project where it was asked for, no dbt executable where it is looked
 * for, or an executable that does not start. The message says what was looked at and how to
 * fix it. (A dbt build that runs and fails is not an error: see `DbtBuildResult.ok`.)
 */
export class DbtError extends Error {
  override readonly name = "DbtError";
  constructor(
    message: string,
    /** What went wrong: `project` (no dbt_project.yml), `executable` (not found), `start`. */
    readonly reason: "project" | "executable" | "start",
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
