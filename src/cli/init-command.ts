import { relative } from "node:path";
import { CONFIG_FILE_NAMES } from "../config/load-config.js";
import {
  type ProjectVenv,
  type ScaffoldEntry,
  ScaffoldError,
  scaffoldProject,
} from "../init/index.js";
import type { Command } from "./command.js";
import { helpFor, parseCommandLine } from "./options.js";
import { UsageError } from "./usage-error.js";

/** The step that gets dbt into the folder, from what its `.venv` holds already. */
const DBT_STEP: Record<ProjectVenv, string> = {
  absent:
    "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt   # dbt, pinned (once)",
  "without-dbt":
    ".venv/bin/pip install -r requirements.txt                            # dbt, pinned, into the .venv here",
  "with-dbt":
    ".venv/bin/pip install -r requirements.txt                            # dbt is in .venv already: this sets it to the pins",
  "not-a-venv":
    "# .venv is here but is not a Python venv (no .venv/pyvenv.cfg): move it away, then\n  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt   # dbt, pinned (once)",
};

const spec = {
  force: { type: "boolean", description: "overwrite files you edited (default: keep them)" },
  help: { type: "boolean", description: "show this help", short: "h" },
} as const;

/** `retail-mds init [folder]`: a working project from the installed package. */
export const command: Command = {
  summary:
    "write a project (dbt, Airflow DAG, Azure Function, Terraform, docker-compose, CI) into a folder",
  async run(args) {
    const { values: options, positionals } = parseCommandLine("init", args, spec);
    if (options.help) {
      console.log(helpFor("init", spec, "[folder]"));
      return 0;
    }
    if (positionals.length > 1)
      throw new UsageError(`init: one folder at most; got ${positionals.join(", ")}`);
    const folder = positionals[0] ?? ".";
    let result: Awaited<ReturnType<typeof scaffoldProject>>;
    try {
      result = await scaffoldProject({ folder, force: options.force });
    } catch (error) {
      if (error instanceof ScaffoldError) throw new UsageError(`init: ${error.message}`);
      throw error;
    }
    const count = (action: ScaffoldEntry["action"]) =>
      result.entries.filter((e) => e.action === action);
    const isConfig = (e: ScaffoldEntry) =>
      (CONFIG_FILE_NAMES as readonly string[]).includes(e.path);
    const kept = count("kept").filter((e) => !isConfig(e));
    const config = count("kept").find(isConfig);
    // Generated dbt files that held the package's bytes, rendered again for the config.
    const updated = count("updated");
    console.log(
      `retail-mds ${result.version} project in ${result.folder}: ${count("created").length} files created, ${count("overwritten").length} overwritten, ${updated.length ? `${updated.length} updated, ` : ""}${count("unchanged").length} unchanged, ${kept.length} kept`,
    );
    if (config) console.log(`your config ${config.path} is kept (init never rewrites a config)`);
    if (result.generatedFor.length)
      console.log(
        `dbt files generated for the config's entities and layouts (${result.generatedFor.join(", ")}): as \`retail-mds dbt-sources\` writes them`,
      );
    if (result.configProblem)
      console.error(
        `init: ${result.configProblem.message}\ndbt's generated files are the package's (built-in entities only): fix the config, then run \`npx retail-mds dbt-sources\``,
      );
    if (kept.length)
      console.log(
        `kept (they differ from the package's; --force overwrites them):\n${kept.map((e) => `  ${e.path}`).join("\n")}`,
      );
    for (const e of kept.filter((k) => k.generated))
      console.log(
        `${e.path} is generated: until \`npx retail-mds dbt-sources\` renders it again (overwriting it), dbt may not build the config's entities and layouts`,
      );
    const cd = relative(process.cwd(), result.folder);
    console.log(
      `\nnext:\n${cd ? `  cd ${cd}\n` : ""}  ${DBT_STEP[result.venv]}\n  npx retail-mds demo                                                  # the whole local pipeline\nREADME.md says how each part runs.`,
    );
    return 0;
  },
};
