import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { databasePathProblem } from "../warehouse/database-path.js";
import { UsageError } from "./usage-error.js";

/** One option of a command: its type, default, allowed values and help text. */
export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  readonly default?: string | boolean;
  readonly choices?: readonly string[];
  readonly short?: string;
}

type Values<S extends Record<string, OptionSpec>> = {
  [K in keyof S]: S[K]["type"] extends "boolean"
    ? boolean
    : S[K] extends { default: string }
      ? string
      : string | undefined;
};

/**
 * Parses a command's arguments strictly: an unknown option or a value outside `choices`
 * throws a `UsageError` naming the option and what is allowed.
 */
export function parseOptions<S extends Record<string, OptionSpec>>(
  command: string,
  args: readonly string[],
  spec: S,
): Values<S> {
  return parseCommandLine(command, args, spec, false).values;
}

/** `parseOptions` for a command that also takes operands (`legacy check <files...>`). */
export function parseCommandLine<S extends Record<string, OptionSpec>>(
  command: string,
  args: readonly string[],
  spec: S,
  allowPositionals = true,
): { values: Values<S>; positionals: string[] } {
  let values: Record<string, unknown>;
  let positionals: string[];
  const tokens = joinOptionValues(command, args, spec);
  try {
    ({ values, positionals } = parseArgs({
      args: tokens,
      strict: true,
      allowPositionals,
      options: Object.fromEntries(
        Object.entries(spec).map(([name, o]) => [
          name,
          {
            type: o.type,
            ...(o.short ? { short: o.short } : {}),
            ...(o.default !== undefined ? { default: o.default } : {}),
          },
        ]),
      ),
    }));
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}\n\n${helpFor(command, spec)}`);
  }
  for (const [name, o] of Object.entries(spec)) {
    const value = values[name];
    if (o.choices && typeof value === "string" && !o.choices.includes(value)) {
      throw new UsageError(
        `${command}: --${name} must be one of ${o.choices.join(", ")}; got "${value}"`,
      );
    }
  }
  return { values: values as Values<S>, positionals };
}

const negativeNumber = /^-(\d|\.\d)/;

/**
 * Writes `--name <value>` as `--name=<value>` when the value is a negative number, so the
 * command's own check says what is allowed: Node's parseArgs refuses any value starting with
 * "-" as "ambiguous". Any other option-like token after a string option is a missing value.
 * @throws UsageError naming the option, what it takes, and what came instead.
 */
function joinOptionValues(
  command: string,
  args: readonly string[],
  spec: Record<string, OptionSpec>,
): string[] {
  const tokens: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const token = args[i] as string;
    if (token === "--") {
      tokens.push(...args.slice(i));
      break;
    }
    const option = token.startsWith("--") ? spec[token.slice(2)] : undefined;
    if (option?.type !== "string") {
      tokens.push(token);
      continue;
    }
    const next = args[i + 1];
    if (next === undefined || (next.startsWith("-") && !negativeNumber.test(next))) {
      const got = next === undefined ? "nothing" : `"${next}"`;
      throw new UsageError(
        `${command}: ${token} needs a value; got ${got}. ${token}: ${option.description}.` +
          (next === undefined ? "" : ` A value starting with "-" is written ${token}=<value>.`),
      );
    }
    tokens.push(`${token}=${next}`);
    i++;
  }
  return tokens;
}

/** Reads a string option as a whole number within bounds, or throws a `UsageError`. */
export function intOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(min < 0 ? /^-?\d+$/ : /^\d+$/).test(value) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}; got "${value}"`);
  }
  return n;
}

/** Reads a string option as a decimal number from 0 (or above 0) up to `max`, or throws a `UsageError`. */
export function numberOption(
  name: string,
  value: string | undefined,
  max: number,
  zero: boolean,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value) || n > max || (!zero && n === 0)) {
    const lowest = zero ? "from 0" : "greater than 0 and";
    throw new UsageError(`--${name} must be a number ${lowest} up to ${max}; got "${value}"`);
  }
  return n;
}

/** The help text of a command, from its option specs; `operands` follow `[options]` in the usage line. */
export function helpFor(command: string, spec: Record<string, OptionSpec>, operands = ""): string {
  const flags = Object.entries(spec).map(([name, o]) => ({
    flag: `--${name}${o.type === "string" ? " <value>" : ""}`,
    o,
  }));
  // One column for every description, wide enough for the longest flag.
  const width = Math.max(28, ...flags.map(({ flag }) => flag.length));
  const lines = flags.map(({ flag, o }) => {
    const extra = [
      o.choices && `one of ${o.choices.join("|")}`,
      // A switch is off unless given: "(default false)" says nothing a user needs.
      o.type === "string" && o.default !== undefined && `default ${o.default}`,
      o.type === "boolean" && o.default === true && "on by default",
    ]
      .filter(Boolean)
      .join("; ");
    return `  ${flag.padEnd(width)} ${o.description}${extra ? ` (${extra})` : ""}`;
  });
  const verbose = `  ${"--verbose".padEnd(width)} on an error, print its stack trace too (or set DEBUG=retail-mds)`;
  return `usage: retail-mds ${command} [options]${operands ? ` ${operands}` : ""}\n${[...lines, verbose].join("\n")}`;
}

/**
 * How a message names a setting: the flag when it was given, else the config key it came from
 * (a user who passed no `--database` looks for the value in the config).
 */
export function settingLabel(flag: string, given: string | undefined, configKey: string): string {
  return given !== undefined ? `--${flag}` : `${configKey} of the config (or pass --${flag})`;
}

/** What is at a path: the path itself, or the nearest ancestor that exists. */
function nearestExisting(path: string): { at: string; self: boolean; folder: boolean } | undefined {
  let at = resolve(path);
  for (;;) {
    try {
      return { at, self: at === resolve(path), folder: statSync(at).isDirectory() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw error;
    }
    const parent = dirname(at);
    if (parent === at) return undefined;
    at = parent;
  }
}

/**
 * Reads a folder option: not empty, and a folder (or a path that can become one: its nearest
 * existing ancestor is a folder). With `mustExist`, the folder must be there already.
 * @throws UsageError naming the option, checked before anything is written.
 */
export function folderOption(
  name: string,
  value: string,
  mustExist = false,
  label = `--${name}`,
): string {
  if (!value.trim()) throw new UsageError(`${label} must name a folder; got "${value}"`);
  refuseUrl(label, value);
  const found = nearestExisting(value);
  if (found?.self && !found.folder)
    throw new UsageError(`${label} must be a folder; "${value}" is a file`);
  if (found && !found.self && !found.folder)
    throw new UsageError(`${label} must be a folder; "${value}" is inside "${found.at}", a file`);
  if (mustExist && !found?.self)
    throw new UsageError(`${label} must be an existing folder; "${value}" does not exist`);
  return value;
}

/**
 * A lake in Azure given by its URL would otherwise be a local folder named "https:".
 * @throws UsageError saying the CLI takes a local folder, and what handles a remote lake.
 */
export function refuseUrl(label: string, value: string): void {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value))
    throw new UsageError(
      `${label} must be a local folder; got the URL "${value}": the CLI reads and writes a lake on this machine; a lake in Blob storage or ADLS Gen2 is written by the library's createLakeWriter (or the Azure Function) and loaded by openLocalPipe with blobStore or adlsStore (docs/lake-azure.md), or by Snowpipe`,
    );
}

/**
 * Reads an option naming a file to write (`what`: "a DuckDB file"): not empty, not a folder,
 * and inside a folder (or a path that can become one).
 * @throws UsageError naming the option, checked before anything is written.
 */
export function fileOption(name: string, value: string, what: string, label = `--${name}`): string {
  if (!value.trim()) throw new UsageError(`${label} must name ${what}; got "${value}"`);
  const found = nearestExisting(value);
  if (found?.self && found.folder)
    throw new UsageError(`${label} must name ${what}; "${value}" is a folder`);
  if (found && !found.self && !found.folder)
    throw new UsageError(`${label} must name ${what}; "${value}" is inside "${found.at}", a file`);
  return value;
}

/** Reads a DuckDB database option: a file path, never DuckDB's `:memory:` (lost on exit). */
export function databaseOption(name: string, value: string, label = `--${name}`): string {
  if (value.startsWith(":memory:"))
    throw new UsageError(
      `${label} must name a DuckDB file; "${value}" is DuckDB's in-memory database, lost when the command ends`,
    );
  const file = fileOption(name, value, "a DuckDB file", label);
  const problem = databasePathProblem(file);
  if (problem) throw new UsageError(`${label}: ${problem}`);
  return file;
}
