import { existsSync, statSync } from "node:fs";
import { localStore } from "../lake/local-store.js";
import { checkLake } from "../quality/check-lake.js";
import { formatReport } from "../quality/quality-report.js";
import type { Command } from "./command.js";
import { helpFor, intOption, parseOptions, refuseUrl } from "./options.js";
import { configOption, lakeSource, readProjectConfig } from "./project-config.js";
import { unlistedLine } from "./unlisted-line.js";
import { unregisteredLine } from "./unregistered-line.js";
import { UsageError } from "./usage-error.js";

const spec = {
  lake: { type: "string", description: "lake folder to check (default: config lake.path)" },
  entity: { type: "string", description: "only this entity (a built-in or one of the config's)" },
  quarantine: {
    type: "boolean",
    description:
      "move failing records to _quarantine/ (rewrites data files; `load` then replaces their rows)",
    default: false,
  },
  json: { type: "boolean", description: "print the reports as JSON", default: false },
  "sample-size": { type: "string", description: "failing records sampled per rule (default 10)" },
  config: configOption,
  help: { type: "boolean", short: "h", description: "show this help", default: false },
} as const;

/**
 * `retail-mds quality --lake ./lake [--entity sale_line] [--quarantine] [--json]`: checks the
 * lake's data files against the quality rules. Exit 0 when every error rule holds, 1 when one
 * fails or a data file cannot be read (each is named; the others are still checked), 2 on bad
 * options.
 */
export const command: Command = {
  summary: "check the lake's data files against the quality rules (exit 1 on an error rule)",
  async run(args) {
    const options = parseOptions("quality", args, spec);
    if (options.help) {
      console.log(helpFor("quality", spec));
      return 0;
    }
    const config = await readProjectConfig("quality", options.config);
    const lake = options.lake ?? config.lake.path;
    refuseUrl(
      `quality: ${options.lake !== undefined ? "--lake" : "lake.path of the config"}`,
      lake,
    );
    if (!existsSync(lake) || !statSync(lake).isDirectory()) {
      throw new UsageError(`quality: ${lakeSource(options.lake, lake)} is not a folder`);
    }
    const names = config.entities.map((e) => e.name);
    if (options.entity !== undefined && !names.includes(options.entity)) {
      throw new UsageError(
        `quality: --entity must be one of ${names.join(", ")}; got "${options.entity}"`,
      );
    }
    const sampleSize = intOption("sample-size", options["sample-size"], 0, 1000);
    const result = await checkLake(localStore(lake), {
      ...(options.entity ? { entity: options.entity } : {}),
      entities: config.entities,
      quarantine: options.quarantine,
      ...(sampleSize !== undefined ? { sampleSize } : {}),
    });
    if (options.json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      if (result.reports.length === 0 && result.unregistered.length === 0)
        console.log("no data files found");
      for (const report of result.reports) console.log(`${formatReport(report)}\n`);
      for (const s of result.skipped) console.log(`skipped ${s.rule}: ${s.reason}`);
      for (const u of result.unreadable) console.log(`unreadable   ${u.message}`);
      for (const entry of result.unlisted) console.log(unlistedLine(entry));
      for (const entity of result.unregistered) console.log(unregisteredLine(entity));
      const q = result.quarantine;
      if (q) {
        console.log(
          `quarantined ${q.records} record(s) into ${q.files.length} file(s); rewrote ${q.rewritten.length} data file(s) (${q.emptied.length} left with no records)${q.rewritten.length > 0 ? "; the next `load` replaces their rows in the warehouse" : ""}`,
        );
      }
    }
    return result.ok ? 0 : 1;
  },
};
