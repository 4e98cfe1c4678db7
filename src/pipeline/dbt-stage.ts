import { runDbtBuild } from "../warehouse/index.js";
import type { DbtOutcome, PipelineRunControl } from "./pipeline-event.js";

// dbt prints one line per finished node: "12:00:01  3 of 40 OK created sql view model ... [OK in 0.1s]".
const NODE_LINE = / (OK|PASS|WARN|ERROR|FAIL|SKIP) /;
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping dbt's colour codes
const COLOUR = /\x1b\[[0-9;]*m/g;

/**
 * `dbt build --target local` on the warehouse file, once every connection to it is closed
 * (DuckDB allows one writing process per file). Each finished node is a `dbt-node` event.
 */
export async function dbtStage(
  input: {
    readonly database: string;
    readonly warehouse: string;
    readonly projectDir: string;
    readonly dbtBin: string | undefined;
    readonly skip: boolean;
  },
  { signal, onProgress }: PipelineRunControl,
): Promise<DbtOutcome> {
  if (input.skip) return { result: undefined, text: "skipped on request (skipDbt, --skip-dbt)" };
  let nodes = 0;
  const result = await runDbtBuild({
    database: input.database,
    projectDir: input.projectDir,
    ...(input.dbtBin ? { dbt: input.dbtBin } : {}),
    ...(signal ? { signal } : {}),
    logDir: input.warehouse,
    onLine: (raw) => {
      const line = raw.replace(COLOUR, "");
      if (NODE_LINE.test(line) && line.includes("["))
        onProgress?.({
          type: "dbt-node",
          stage: "dbt",
          nodes: ++nodes,
          line: line.replace(/^\S+\s+/, ""),
        });
    },
  });
  const text = `${result.ok ? "ok" : "FAILED"}: ${result.summary || `exit ${result.exitCode}`} (log: ${result.logFile})`;
  return { result, text };
}
