import { existsSync, statSync } from "node:fs";
import { type LegacyLayout, LegacyLayoutError } from "../legacy/define-legacy-layout.js";
import { loadLegacyLayout } from "../legacy/load-legacy-layout.js";
import { readProjectConfig } from "./project-config.js";
import { UsageError } from "./usage-error.js";

/** The option naming a legacy layout: a file, or a layout of the project config by name. */
export const layoutOption = {
  type: "string",
  description: "layout file (.ts, .mts, .js, .mjs, .json) or the name of a layout in the config",
} as const;

/**
 * Reads a layout option (`--layout` or `--legacy-layout`): a layout of the config by name, else
 * a layout file. A bad or missing layout is a usage error naming the key (exit 2).
 */
export async function layoutOptionValue(
  command: string,
  value: string | undefined,
  config: string | undefined,
  flag = "layout",
): Promise<LegacyLayout> {
  if (!value) throw new UsageError(`${command}: --${flag} is required`);
  const project = await readProjectConfig(command, config);
  const entities = Object.fromEntries(project.entities.map((e) => [e.name, e]));
  const named = project.layouts.find((l) => l.name === value);
  if (named) return named;
  if (!existsSync(value) || !statSync(value).isFile()) {
    const known = project.layouts.map((l) => l.name);
    throw new UsageError(
      `${command}: --${flag} ${JSON.stringify(value)} is neither a file nor a layout of the config${known.length ? ` (${known.join(", ")})` : ""}`,
    );
  }
  try {
    return await loadLegacyLayout(value, { entities });
  } catch (error) {
    if (error instanceof LegacyLayoutError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}
