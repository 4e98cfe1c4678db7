// Runs the real dbt (the project's .venv) on a temp DuckDB file, with its own target and log
// folders so test files running side by side never share dbt state.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const projectDir = resolve("dbt");
export const dbtBin = resolve(".venv/bin/dbt");

export interface DbtRun {
  readonly code: number;
  readonly output: string;
}

export interface RunResult {
  readonly unique_id: string;
  readonly status: string;
  readonly failures: number | null;
  readonly message: string | null;
}

/** A scratch workspace: a DuckDB path and dbt target/log folders of its own. */
export interface Workspace {
  readonly dir: string;
  readonly database: string;
  readonly targetPath: string;
  readonly logPath: string;
}

export function workspace(name: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `retail-mds-dbt-${name}-`));
  return {
    dir,
    database: join(dir, "retail.duckdb"),
    targetPath: join(dir, "target"),
    logPath: join(dir, "logs"),
  };
}

export function runDbt(
  ws: Workspace,
  args: readonly string[],
  env: Record<string, string> = {},
  project = projectDir,
): Promise<DbtRun> {
  return new Promise((done, fail) => {
    const child = spawn(
      dbtBin,
      [
        ...args,
        "--project-dir",
        project,
        "--profiles-dir",
        project,
        "--target-path",
        ws.targetPath,
        "--log-path",
        ws.logPath,
      ],
      {
        cwd: ws.dir,
        env: {
          ...process.env,
          RETAIL_MDS_DUCKDB: ws.database,
          DBT_SEND_ANONYMOUS_USAGE_STATS: "false",
          DO_NOT_TRACK: "1",
          DBT_USE_COLORS: "false",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? -1, output }));
  });
}

/** The results of the last dbt command run in `ws`. */
export function runResults(ws: Workspace): RunResult[] {
  const parsed = JSON.parse(readFileSync(join(ws.targetPath, "run_results.json"), "utf8")) as {
    results: RunResult[];
  };
  return parsed.results;
}

/** Node ids whose status is not one of `ok` (default: success and pass). */
export function notOk(
  results: readonly RunResult[],
  ok: readonly string[] = ["success", "pass"],
): string[] {
  return results
    .filter((r) => !ok.includes(r.status))
    .map((r) => `${r.unique_id}: ${r.status} ${r.message ?? ""}`);
}
