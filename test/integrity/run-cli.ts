import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const root = join(import.meta.dirname, "../..");
const tsx = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

/** A fresh empty folder; its real path, so messages can be compared with it. */
export function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `${prefix}-`)));
}

/**
 * Runs `retail-mds <args>` from the sources, in `cwd` (default: the repository), with DEBUG
 * unset unless given. stderr has `dir` replaced by `<tmp>`, so messages can be snapshotted.
 */
export function cli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; dir?: string } = {},
) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", ...options.env };
  if (!options.env?.DEBUG) delete env.DEBUG;
  const run = spawnSync(
    process.execPath,
    ["--import", tsx, join(root, "src/cli/main.ts"), ...args],
    { cwd: options.cwd ?? root, encoding: "utf8", env, timeout: 120_000 },
  );
  const clean = (text: string) =>
    (options.dir ? text.replaceAll(options.dir, "<tmp>") : text).trim();
  return { code: run.status, stdout: clean(run.stdout), stderr: clean(run.stderr) };
}
