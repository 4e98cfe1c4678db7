import { existsSync, readFileSync, statSync } from "node:fs";
import { localStore } from "../lake/local-store.js";
import { formatLegacyCheck, rejectsByReason } from "../legacy/check-report.js";
import { formatDefectScore, scoreDefects } from "../legacy/defect-score.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import { landLegacyFile, legacyRawNameProblem, legacyRawPath } from "../legacy/land-legacy-file.js";
import type { LayoutDefect } from "../legacy/layout-feed.js";
import { readLegacyFile } from "../legacy/read-legacy-file.js";
import { sniffLegacyFile } from "../legacy/sniff-legacy-file.js";
import type { Command } from "./command.js";
import { layoutOption, layoutOptionValue } from "./layout-option.js";
import { folderOption, helpFor, parseCommandLine } from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { UsageError } from "./usage-error.js";

const jsonOption = { type: "boolean", description: "print JSON", default: false } as const;
const helpOption = {
  type: "boolean",
  short: "h",
  description: "show this help",
  default: false,
} as const;

const specs = {
  check: {
    layout: layoutOption,
    manifest: {
      type: "string",
      description:
        "a layout-defects manifest of generate --legacy-layout: score recall and precision per defect kind",
    },
    json: jsonOption,
    config: configOption,
    help: helpOption,
  },
  land: {
    layout: layoutOption,
    lake: { type: "string", description: "lake folder (default: lake.path of the config)" },
    config: configOption,
    help: helpOption,
  },
  sniff: {
    entity: { type: "string", description: "map the header names onto this entity's columns" },
    name: { type: "string", description: "layout name (default: from the file name)" },
    config: configOption,
    help: helpOption,
  },
} as const;

const usage = `usage: retail-mds legacy <check|land|sniff> ...
  check --layout <file|name> <inputs...>      rows read, mapped, rejected by reason, control totals (exit 1 on a rejected file)
  land --layout <file|name> [--lake <dir>] <inputs...>   check, then land the raw files under legacy_raw/<layout>/
  sniff [--entity <name>] <file>              propose a starting layout (TypeScript) on stdout`;

/** The defects of a manifest file, matched to inputs by file name. */
function manifestOf(file: string): LayoutDefect[] {
  let body: { defects?: LayoutDefect[] };
  try {
    body = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(
      `legacy check: --manifest ${JSON.stringify(file)} is not a JSON manifest: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(body.defects)) {
    throw new UsageError(`legacy check: --manifest ${JSON.stringify(file)} has no "defects" list`);
  }
  return body.defects;
}

function inputsOf(command: string, inputs: readonly string[]): string[] {
  if (!inputs.length) throw new UsageError(`${command}: name at least one input file`);
  for (const input of inputs) {
    if (!existsSync(input) || !statSync(input).isFile()) {
      throw new UsageError(`${command}: input ${JSON.stringify(input)} is not a file`);
    }
  }
  return [...inputs];
}

const subcommands: Record<string, (args: readonly string[]) => Promise<number>> = {
  async check(args) {
    const { values, positionals } = parseCommandLine("legacy check", args, specs.check);
    if (values.help) return help("legacy check", specs.check, "<inputs...>");
    const layout = await layoutOptionValue("legacy check", values.layout, values.config);
    const results = inputsOf("legacy check", positionals).map((file) =>
      readLegacyFile(layout, readFileSync(file), file),
    );
    const score = values.manifest ? scoreDefects(manifestOf(values.manifest), results) : undefined;
    if (values.json) {
      console.log(
        JSON.stringify(
          results.map(({ records: _, ...r }) => ({
            ...r,
            rejectsByReason: rejectsByReason(r as never),
          })),
          null,
          2,
        ),
      );
      if (score) console.log(JSON.stringify({ score }, null, 2));
    } else {
      for (const r of results) console.log(formatLegacyCheck(r));
      if (score) console.log(`defects against ${values.manifest}:\n${formatDefectScore(score)}`);
    }
    return results.every((r) => r.accepted) ? 0 : 1;
  },
  async land(args) {
    const { values, positionals } = parseCommandLine("legacy land", args, specs.land);
    if (values.help) return help("legacy land", specs.land, "<inputs...>");
    const layout = await layoutOptionValue("legacy land", values.layout, values.config);
    const lake = folderOption(
      "lake",
      values.lake ?? (await readProjectConfig("legacy land", values.config)).lake.path,
    );
    const files = inputsOf("legacy land", positionals);
    for (const file of files) {
      const problem = legacyRawNameProblem(layout, file);
      if (problem) throw new UsageError(`legacy land: ${JSON.stringify(file)}: ${problem}`);
    }
    const bytes = sameNameInputs(layout, files);
    const store = localStore(lake);
    let ok = true;
    for (const file of files) {
      const landed = await landLegacyFile(store, layout, file, bytes.get(file) as Buffer);
      const why =
        landed.status === "rejected"
          ? `: ${landed.check.rejection?.reason}: ${landed.check.rejection?.detail}`
          : landed.status === "conflict"
            ? ": other bytes already landed under that name; rename the file or remove the landed one"
            : "";
      console.log(`${landed.status.padEnd(9)} ${file} -> ${landed.path}${why}`);
      if (landed.status === "rejected" || landed.status === "conflict") ok = false;
    }
    return ok ? 0 : 1;
  },
  async sniff(args) {
    const { values, positionals } = parseCommandLine("legacy sniff", args, specs.sniff);
    if (values.help) return help("legacy sniff", specs.sniff, "<file>");
    const [file, ...extra] = inputsOf("legacy sniff", positionals);
    if (extra.length) throw new UsageError("legacy sniff: name one file");
    const { entities } = await readProjectConfig("legacy sniff", values.config);
    if (values.entity !== undefined && !entities.some((e) => e.name === values.entity))
      throw new UsageError(
        `legacy sniff: --entity must be one of ${entities.map((e) => e.name).join(", ")}; got ${JSON.stringify(values.entity)}`,
      );
    let source: string;
    try {
      ({ source } = sniffLegacyFile(readFileSync(file as string), {
        file: file as string,
        entity: values.entity,
        name: values.name,
        entities: Object.fromEntries(entities.map((e) => [e.name, e])),
      }));
    } catch (error) {
      // A file with no line: bad input, before anything is printed.
      if (error instanceof RangeError) throw new UsageError(`legacy sniff: ${error.message}`);
      throw error;
    }
    console.log(source);
    return 0;
  },
};

function help(command: string, spec: Parameters<typeof helpFor>[1], operands: string): number {
  console.log(helpFor(command, spec, operands));
  return 0;
}

/**
 * Each input's bytes, once no two inputs would land under one name with other bytes: which one
 * the lake kept would depend on the argument order (bad input, known before anything lands).
 */
function sameNameInputs(layout: LegacyLayout, files: readonly string[]): Map<string, Buffer> {
  const bytes = new Map<string, Buffer>();
  const byTarget = new Map<string, string>();
  for (const file of files) {
    const body = bytes.get(file) ?? readFileSync(file);
    bytes.set(file, body);
    const target = legacyRawPath(layout, file);
    const first = byTarget.get(target);
    if (first === undefined) byTarget.set(target, file);
    else if (!(bytes.get(first) as Buffer).equals(body))
      throw new UsageError(
        `legacy land: ${JSON.stringify(first)} and ${JSON.stringify(file)} would both land as ${target}, with other bytes: rename one of them`,
      );
  }
  return bytes;
}

/**
 * `retail-mds legacy check|land|sniff`: onboard a legacy flat file with a layout. Exit 0 when
 * every file stands, 1 when one is rejected whole (or cannot land), 2 on a bad layout or option.
 */
export const command: Command = {
  summary: "onboard legacy flat files: check against a layout, land raw files, sniff a layout",
  async run(args) {
    const [sub, ...rest] = args;
    if (!sub || sub === "--help" || sub === "-h") {
      console.log(usage);
      return sub ? 0 : 2;
    }
    const run = subcommands[sub];
    if (!run)
      throw new UsageError(
        `legacy: unknown subcommand "${sub}"; one of check, land, sniff\n\n${usage}`,
      );
    return run(rest);
  },
};
