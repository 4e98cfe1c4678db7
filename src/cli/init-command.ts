import { relative } from "node:path";
import { type ScaffoldEntry, ScaffoldError, scaffoldProject } from "../init/index.js";
import type { Command } from "./command.js";
import { helpFor, parseCommandLine } from "./options.js";
import { UsageError } from "./usage-error.js";

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
    const kept = count("kept");
    console.log(
      `retail-mds ${result.version} project in ${result.folder}: ${count("created").length} files created, ${count("overwritten").length} overwritten, ${count("unchanged").length} unchanged, ${kept.length} kept`,
    );
    if (kept.length)
      console.log(
        `kept (they differ from the package's; --force overwrites them):\n${kept.map((e) => `  ${e.path}`).join("\n")}`,
      );
    const cd = relative(process.cwd(), result.folder);
    console.log(
      `\nnext:\n${cd ? `  cd ${cd}\n` : ""}  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt   # dbt, pinned (once)\n  npx retail-mds demo                                                  # the whole local pipeline\nREADME.md says how each part runs.`,
    );
    return 0;
  },
};
