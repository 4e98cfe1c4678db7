import { parseArgs } from "node:util";
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
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
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
  return values as Values<S>;
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
  if (!/^-?\d+$/.test(value) || n < min || n > max) {
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
  if (!/^\d+(\.\d+)?$/.test(value) || n > max || (!zero && n === 0)) {
    const lowest = zero ? "from 0" : "greater than 0 and";
    throw new UsageError(`--${name} must be a number ${lowest} up to ${max}; got "${value}"`);
  }
  return n;
}

/** The help text of a command, from its option specs. */
export function helpFor(command: string, spec: Record<string, OptionSpec>): string {
  const lines = Object.entries(spec).map(([name, o]) => {
    const flag = `--${name}${o.type === "string" ? " <value>" : ""}`;
    const extra = [
      o.choices && `one of ${o.choices.join("|")}`,
      o.default !== undefined && `default ${o.default}`,
    ]
      .filter(Boolean)
      .join("; ");
    return `  ${flag.padEnd(28)} ${o.description}${extra ? ` (${extra})` : ""}`;
  });
  return `usage: retail-mds ${command} [options]\n${lines.join("\n")}`;
}
