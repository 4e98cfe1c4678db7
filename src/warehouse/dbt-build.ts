import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { open } from "node:fs/promises";
import { join, resolve } from "node:path";

/** How to run `dbt build` on the DuckDB warehouse. */
export interface DbtBuildOptions {
  /** The DuckDB file; passed to the `local` profile as RETAIL_MDS_DUCKDB. */
  readonly database: string;
  /** dbt project folder (default `./dbt`); its profiles.yml is used. */
  readonly projectDir?: string;
  /** The dbt executable (default `.venv/bin/dbt`). */
  readonly dbt?: string;
  /** File receiving dbt's full output. */
  readonly logFile: string;
  /** Called with each line dbt prints, for a progress display. */
  readonly onLine?: (line: string) => void;
  /** Stops dbt (SIGTERM); the build then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What `dbt build` did: skipped (and why), or its exit code and final summary line. */
export type DbtBuildResult =
  | { readonly ran: false; readonly reason: string }
  | {
      readonly ran: true;
      readonly ok: boolean;
      readonly exitCode: number;
      readonly summary: string;
      readonly logFile: string;
    };

/**
 * Runs `dbt build --target local` on the warehouse file. The caller must have closed every DuckDB
 * connection that writes to it: DuckDB allows one writing process per file.
 * @example
 * await pipe.close();
 * const result = await runDbtBuild({ database: pipe.database, logFile: "./warehouse/dbt-build.log" });
 */
export async function runDbtBuild(options: DbtBuildOptions): Promise<DbtBuildResult> {
  const projectDir = resolve(options.projectDir ?? "dbt");
  const dbt = resolve(options.dbt ?? join(".venv", "bin", "dbt"));
  if (!existsSync(join(projectDir, "dbt_project.yml"))) {
    return { ran: false, reason: `no dbt project at ${projectDir} (dbt_project.yml missing)` };
  }
  if (!existsSync(dbt))
    return { ran: false, reason: `dbt is not installed at ${dbt} (run \`make setup\`)` };
  const log = await open(options.logFile, "w");
  try {
    let summary = "";
    const exitCode = await new Promise<number>((done, fail) => {
      const child = spawn(
        dbt,
        ["build", "--project-dir", projectDir, "--profiles-dir", projectDir, "--target", "local"],
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
      child.on("error", fail);
      child.on("close", (code) => done(code ?? 1));
    });
    return { ran: true, ok: exitCode === 0, exitCode, summary, logFile: options.logFile };
  } finally {
    await log.close();
  }
}
