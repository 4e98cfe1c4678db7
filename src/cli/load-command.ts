import { existsSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { parseLakePath } from "../lake/index.js";
import { parseLegacyRawPath } from "../legacy/index.js";
import { type FileLoad, type OnError, openLocalPipe } from "../warehouse/index.js";
import type { Command } from "./command.js";
import { databaseOption, folderOption, helpFor, parseOptions, settingLabel } from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { unlistedLine } from "./unlisted-line.js";
import { unregisteredLayoutLine, unregisteredLine } from "./unregistered-line.js";
import { UsageError } from "./usage-error.js";

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
  reload: {
    type: "string",
    description:
      "replace the rows of this file (path relative to the lake) with its current bytes, then scan",
  },
  "modified-after": {
    type: "string",
    description:
      "only files last modified at or after this ISO 8601 instant (REFRESH's MODIFIED_AFTER)",
  },
  help: { type: "boolean", description: "show this help", short: "h" },
} as const;

/** One line per file that did something or still needs the operator. */
function fileLine(load: FileLoad): string | undefined {
  if (load.alreadyLoaded && load.status !== "LOAD_FAILED" && load.status !== "CONFLICT")
    return undefined;
  const status = load.replaced ? "RELOADED" : load.status;
  const what =
    load.status === "LOADED" || load.status === "PARTIALLY_LOADED"
      ? `${load.rowsLoaded} rows${load.replaced ? ` (replacing ${load.rowsReplaced})` : ""}`
      : `${load.firstError?.message ?? ""}${load.alreadyLoaded ? " (unchanged since)" : ""}`;
  return `${status.padEnd(16)} ${load.file}${what ? `  ${what}` : ""}`;
}

/** The lake-relative path `--reload` names, checked before anything is opened or written. */
function reloadPath(lake: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const parsed = parseLakePath(path);
  if ((!parsed || parsed.feed === "quarantine") && !parseLegacyRawPath(path)) {
    throw new UsageError(
      `load: --reload ${JSON.stringify(path)} is not a data file path: give the path relative to the lake, as \`load\` prints it (e.g. sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet, or legacy_raw/<layout>/<file>)`,
    );
  }
  const full = join(lake, ...path.split("/"));
  if (!existsSync(full) || !statSync(full).isFile()) {
    throw new UsageError(
      `load: --reload ${JSON.stringify(path)}: no such file in the lake "${lake}"`,
    );
  }
  return path;
}

/** `--modified-after`: an ISO 8601 date or instant, as Snowflake's MODIFIED_AFTER takes. */
function modifiedAfter(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
  const date = new Date(value);
  if (!iso.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `load: --modified-after must be an ISO 8601 date or instant with its offset (2026-11-20 or 2026-11-20T08:00:00Z); got ${JSON.stringify(value)}`,
    );
  }
  return date;
}

/**
 * `retail-mds load`: one scan of the lake through the local pipe (ALTER PIPE ... REFRESH).
 * Exit 1 while a file is failed or in conflict (changed after it was loaded), 0 otherwise.
 */
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
    const lake = folderOption(
      "lake",
      options.lake ?? config.lake.path,
      true,
      settingLabel("lake", options.lake, "lake.path"),
    );
    const database = databaseOption(
      "database",
      options.database ?? config.warehouse.database,
      settingLabel("database", options.database, "warehouse.database"),
    );
    const reload = reloadPath(lake, options.reload);
    const after = modifiedAfter(options["modified-after"]);
    const pipe = await openLocalPipe({
      lake,
      database,
      onError: (options["on-error"] as OnError | undefined) ?? config.warehouse.onError,
      entities: config.entities,
      layouts: config.layouts,
    });
    try {
      let reloadFailed = false;
      let reloaded = 0;
      let reloadedRows = 0;
      // The scan after a reload finds the reloaded file already loaded: count it once, as reloaded.
      let rescanned = 0;
      if (reload) {
        const result = await pipe.reload(reload);
        reloadFailed = result.status === "LOAD_FAILED";
        if (result.replaced) {
          reloaded++;
          reloadedRows = result.rowsLoaded;
        }
        console.log(fileLine(result));
      }
      const summary = await pipe.refresh({
        ...(after ? { modifiedAfter: after } : {}),
        onFile: (load) => {
          if (reloaded && load.file === reload && load.alreadyLoaded && load.status !== "CONFLICT")
            rescanned++;
          const line = fileLine(load);
          if (line) console.log(line);
        },
      });
      for (const entry of summary.unlisted) console.log(unlistedLine(entry));
      for (const entity of summary.unregistered) console.log(unregisteredLine(entity));
      for (const layout of summary.unregisteredLayouts) console.log(unregisteredLayoutLine(layout));
      for (const path of summary.ignored.filter(strayFile)) console.log(ignoredLine(path));
      console.log(
        `\n${summary.loaded} loaded, ${summary.partiallyLoaded} partially loaded, ${summary.failed} failed, ` +
          `${summary.skipped} skipped, ${summary.conflicts} conflict(s), ${summary.replaced + reloaded} reloaded, ` +
          `${summary.alreadyLoaded - rescanned} already loaded, ${summary.ignored.length} ignored; ` +
          `${summary.rowsLoaded + reloadedRows} rows into ${pipe.database}`,
      );
      if (summary.notQueued.length > 0) {
        console.log(
          `${summary.notQueued.length} file(s) last modified before --modified-after left out`,
        );
      }
      if (summary.snowflakeWouldSkip.length > 0) {
        console.log(
          `note: ${summary.snowflakeWouldSkip.length} of the files loaded were staged more than 7 days ago; ALTER PIPE ... REFRESH on Snowflake would not load them (use a one-off COPY INTO): ${summary.snowflakeWouldSkip.slice(0, 3).join(", ")}${summary.snowflakeWouldSkip.length > 3 ? ", ..." : ""}`,
        );
      }
      if (summary.conflicts > 0) {
        console.log(
          "conflict: a file changed after it was loaded is not loaded again (the path is its identity, as on Snowpipe); put its loaded bytes back, or replace its rows: retail-mds load --reload <path>",
        );
      }
      if (summary.failed > 0) {
        console.log(
          "failed: a failed file stays failed until its bytes change; fix it and run load again",
        );
      }
      return summary.failed > 0 ||
        summary.conflicts > 0 ||
        summary.unregistered.length > 0 ||
        summary.unregisteredLayouts.length > 0 ||
        reloadFailed
        ? 1
        : 0;
    } finally {
      await pipe.close();
    }
  },
};

/** An ignored file a user put there: not the lake's bookkeeping (`_manifests/`...) nor a publish's temporary (dot-named) file. */
function strayFile(path: string): boolean {
  return !path.startsWith("_") && !basename(path).startsWith(".");
}

// Snowpipe ignores such a file as silently; a user who copied it in wants to know.
function ignoredLine(path: string): string {
  return `not loaded   ${path}: not a lake file name (<entity>/[dt=.../[hour=.../]]<entity>-<window>-<seq>.<ext>, or legacy_raw/<layout>/<file>), so no pipe loads it`;
}
