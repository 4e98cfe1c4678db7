import { ConfigError } from "../config/config-error.js";
import { loadConfig } from "../config/load-config.js";
import type { ProjectConfig } from "../config/project-config.js";
import { UsageError } from "./usage-error.js";

/** The `--config` option every command takes. */
export const configOption = {
  type: "string",
  description: "project config file (default: retail-mds.config.{ts,mts,mjs,js,json} from here up)",
} as const;

/** Reads the project config for a command; a bad config is a usage error (exit 2). */
export async function readProjectConfig(
  command: string,
  file: string | undefined,
): Promise<ProjectConfig> {
  try {
    return await loadConfig({ file });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`${command}: ${error.message}`);
    throw error;
  }
}

/** Names where a lake folder came from, for an error: the flag, or the config's `lake.path`. */
export function lakeSource(flag: string | undefined, lake: string): string {
  return flag !== undefined
    ? `--lake ${JSON.stringify(flag)}`
    : `the lake folder ${JSON.stringify(lake)} (lake.path of the config, default ./lake; or pass --lake)`;
}
