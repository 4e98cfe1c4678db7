import { readFile, writeFile } from "node:fs/promises";
import { renderDbtSources } from "../dbt/render-dbt-sources.js";
import type { Command } from "./command.js";
import { helpFor, parseOptions } from "./options.js";

const spec = {
  out: {
    type: "string",
    description: "File to write the dbt sources YAML to",
    default: "dbt/models/_sources.yml",
  },
  check: {
    type: "boolean",
    description: "Write nothing; exit 1 if the file differs from what the entities render",
    default: false,
  },
  help: { type: "boolean", description: "Show this help", default: false },
} as const;

/** `retail-mds dbt-sources [--out dbt/models/_sources.yml] [--check]` */
export const command: Command = {
  summary: "render dbt/models/_sources.yml from the entities (--check to verify it)",
  async run(args) {
    const options = parseOptions("dbt-sources", args, spec);
    if (options.help) {
      console.log(helpFor("dbt-sources", spec));
      return 0;
    }
    const rendered = renderDbtSources();
    if (options.check) {
      const current = await readFile(options.out, "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return undefined;
        throw error;
      });
      if (current === rendered) {
        console.log(`${options.out} is up to date`);
        return 0;
      }
      console.error(
        `${options.out} is ${current === undefined ? "missing" : "out of date"}: run \`retail-mds dbt-sources --out ${options.out}\``,
      );
      return 1;
    }
    await writeFile(options.out, rendered);
    console.log(`wrote ${options.out}`);
    return 0;
  },
};
