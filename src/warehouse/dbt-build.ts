import { spawn } from "node:child_process";
import { mkdir, open } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DbtError } from "./dbt-error.js";
import { DBT_BIN_ENV, type DbtExecutable, dbtProjectDir, findDbt } from "./dbt-executable.js";

/** How to run `dbt build` on the DuckDB warehouse. */
export interface DbtBuildOptions {
  /** The DuckDB file; passed to the `local` profile as RETAIL_MDS_DUCKDB. */
  readonly database: string;
  /** dbt project folder (default `./dbt`); its profiles.yml is used. */
  readonly projectDir?: string;
  /** The dbt executable; found by `findDbt()` when not given (RETAIL_MDS_DBT_BIN, PATH, .venv). */
  readonly dbt?: string;
  /**
   * Folder of the logs: each build writes dbt's whole output to a file of its own in it,
   * `dbt-build-<UTC time>-<pid>.log` (never another build's), and dbt's `target/` and `logs/`
   * go to `dbt-target/` and `dbt-logs/` beside them rather than into the project.
   */
  readonly logDir: string;
  /** Called with each line dbt prints, for a progress display. */
  readonly onLine?: (line: string) => void;
  /** Stops dbt (SIGTERM); the build then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What `dbt build` did: its exit code, final summary line and log file. */
export interface DbtBuildResult {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly summary: string;
  readonly logFile: string;
  /** The executable that ran, and what named it. */
  readonly dbt: DbtExecutable;
}

/**
 * Runs `dbt build --target local` on the warehouse file. The caller must have closed every DuckDB
 * connection that writes to it: DuckDB allows one writing process per file.
 * @throws DbtError when dbt cannot run (no project, no executable, it does not start).
 * @example
 * await pipe.close();
 * const result = await runDbtBuild({ database: pipe.database, logDir: "./warehouse" });
 */
export async function runDbtBuild(options: DbtBuildOptions): Promise<DbtBuildResult> {
  const projectDir = dbtProjectDir(options.projectDir ?? "dbt");
  const dbt = findDbt({ projectDir, ...(options.dbt ? { dbt: options.dbt } : {}) });
  const logDir = resolve(options.logDir);
  const { handle: log, path: logFile } = await createLogFile(logDir);
  try {
    let summary = "";
    const exitCode = await new Promise<number>((done, fail) => {
      const child = spawn(
        dbt.path,
        [
          "build",
          ...["--project-dir", projectDir, "--profiles-dir", projectDir, "--target", "local"],
          ...["--target-path", join(logDir, "dbt-target"), "--log-path", join(logDir, "dbt-logs")],
        ],
        {
          cwd: projectDir,
          env: {
            ...process.env,
            RETAIL_MDS_DUCKDB: resolve(options.database),
            DBT_TARGET: "local",
            DO_NOT_TRACK: "1",
          },
          stdio: ["ignore", "pipe", "pipe"],
          ...(options.signal ? { signal: options.signal } : {}),
        },
      );
      let pending = "";
      const onData = (chunk: Buffer) => {
        void log.write(chunk);
        pending += chunk.toString("utf8");
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          if (/Done\. PASS=/.test(line)) summary = line.replace(/^.*?Done\./, "Done.").trim();
          options.onLine?.(line);
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      child.on("error", (error: NodeJS.ErrnoException) =>
        fail(
          error.name === "AbortError"
            ? error
            : new DbtError(
                `dbt did not start (${dbt.path}, found by ${dbt.via}): ${error.code ?? error.message}; check that it is the dbt executable, or point --dbt-bin or ${DBT_BIN_ENV} at it`,
                "start",
                { cause: error },
              ),
        ),
      );
      child.on("close", (code) => done(code ?? 1));
    });
    return { ok: exitCode === 0, exitCode, summary, logFile, dbt };
  } finally {
    await log.close();
  }
}

// A name no other build uses, even two in one process within a millisecond: created exclusively.
async function createLogFile(dir: string) {
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:.]/g, "");
  for (let n = 0; ; n++) {
    const path = join(dir, `dbt-build-${stamp}-${process.pid}${n ? `-${n}` : ""}.log`);
    try {
      return { handle: await open(path, "wx"), path };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}
