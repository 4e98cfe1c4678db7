import { type OnError, openLocalPipe } from "../warehouse/index.js";
import type { Command } from "./command.js";
import { databaseOption, folderOption, helpFor, parseOptions } from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { unlistedLine } from "./unlisted-line.js";

const spec = {
  lake: { type: "string", description: "lake folder to scan (default: config lake.path, ./lake)" },
  database: {
    type: "string",
    description:
      "DuckDB database file (default: config warehouse.database, ./warehouse/retail.duckdb)",
  },
  "on-error": {
    type: "string",
    description:
      "what to do with a file holding bad rows (default: config warehouse.onError, skip_file)",
    choices: ["skip_file", "continue", "abort_statement"],
  },
  config: configOption,
  help: { type: "boolean", description: "show this help", short: "h" },
} as const;

/** `retail-mds load`: one scan of the lake through the local pipe (ALTER PIPE ... REFRESH). */
export const command: Command = {
  summary: "load new lake files into DuckDB RAW tables, each file once (local pipe)",
  async run(args) {
    const options = parseOptions("load", args, spec);
    if (options.help) {
      console.log(helpFor("load", spec));
      return 0;
    }
    const config = await readProjectConfig("load", options.config);
    // A flag wins over the config.
    const pipe = await openLocalPipe({
      lake: folderOption("lake", options.lake ?? config.lake.path, true),
      database: databaseOption("database", options.database ?? config.warehouse.database),
      onError: (options["on-error"] as OnError | undefined) ?? config.warehouse.onError,
      entities: config.entities,
    });
    try {
      const summary = await pipe.refresh({
        onFile: (load) => {
          if (load.alreadyLoaded) return;
          const what =
            load.status === "LOADED" || load.status === "PARTIALLY_LOADED"
              ? `${load.rowsLoaded} rows`
              : load.firstError?.message;
          console.log(`${load.status.padEnd(16)} ${load.file}${what ? `  ${what}` : ""}`);
        },
      });
      for (const entry of summary.unlisted) console.log(unlistedLine(entry));
      console.log(
        `\n${summary.loaded} loaded, ${summary.partiallyLoaded} partially loaded, ${summary.failed} failed, ` +
          `${summary.skipped} skipped, ${summary.alreadyLoaded} already loaded, ${summary.ignored.length} ignored; ` +
          `${summary.rowsLoaded} rows into ${pipe.database}`,
      );
      return summary.failed > 0 ? 1 : 0;
    } finally {
      await pipe.close();
    }
  },
};
