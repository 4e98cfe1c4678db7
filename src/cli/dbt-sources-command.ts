import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { renderDbtProjectFiles } from "../dbt/render-dbt-project-files.js";
import type { Command } from "./command.js";
import { layoutOptionValue } from "./layout-option.js";
import { fileOption, helpFor, parseOptions } from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { shellWord } from "./shell-word.js";

const spec = {
  out: {
    type: "string",
    description:
      "Sources YAML to write; bronze/_bronze.yml and silver/_silver.yml go beside it (default: <config dbt.project>/models/_sources.yml)",
  },
  check: {
    type: "boolean",
    description: "Write nothing; exit 1 if a file differs from what the entities render",
    default: false,
  },
  layout: {
    type: "string",
    description:
      "also render the dbt models of this legacy layout (file or config name), besides the config's layouts",
  },
  config: configOption,
  help: { type: "boolean", description: "Show this help", default: false },
} as const;

/**
 * `retail-mds dbt-sources [--out dbt/models/_sources.yml] [--layout <file>] [--check]`: the
 * entities' sources and layer YAML, and the models of every legacy layout of the config
 * (`layouts`) under models/legacy/<layout>/.
 */
export const command: Command = {
  summary: "render the dbt sources, layer YAML and legacy layout models (--check to verify)",
  async run(args) {
    const options = parseOptions("dbt-sources", args, spec);
    if (options.help) {
      console.log(helpFor("dbt-sources", spec));
      return 0;
    }
    const config = await readProjectConfig("dbt-sources", options.config);
    const out =
      options.out ?? relative(process.cwd(), join(config.dbt.project, "models", "_sources.yml"));
    const extra = options.layout
      ? [await layoutOptionValue("dbt-sources", options.layout, options.config)]
      : [];
    const layouts = [
      ...config.layouts,
      ...extra.filter((l) => !config.layouts.some((c) => c.name === l.name)),
    ];
    const files = renderDbtProjectFiles(
      fileOption("out", out, "a YAML file"),
      config.entities,
      layouts,
    );
    if (options.check) {
      const stale: string[] = [];
      for (const [path, text] of Object.entries(files)) {
        const current = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return undefined;
          throw error;
        });
        if (current !== text)
          stale.push(`${path} is ${current === undefined ? "missing" : "out of date"}`);
      }
      if (stale.length === 0) {
        console.log(`${Object.keys(files).join(", ")}: up to date`);
        return 0;
      }
      // The same options again, so the files it writes are the ones checked here.
      const again = [
        `--out ${shellWord(out)}`,
        ...(options.layout ? [`--layout ${shellWord(options.layout)}`] : []),
        ...(options.config ? [`--config ${shellWord(options.config)}`] : []),
      ].join(" ");
      console.error(
        `${stale.join("\n")}\nrun \`retail-mds dbt-sources ${again}\` and commit the result`,
      );
      return 1;
    }
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      console.log(`wrote ${path}`);
    }
    return 0;
  },
};
