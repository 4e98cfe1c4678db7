/**
 * config: the project config, `retail-mds.config.{ts,mjs,json}`, written with `defineConfig`.
 * Every command reads it; flags override it. See docs/config.md.
 * @module
 */
export { ConfigError } from "./config-error.js";
export { type ConfigInput, type ConfigOutput, configSchema } from "./config-schema.js";
export { defineConfig } from "./define-config.js";
export {
  CONFIG_FILE_NAMES,
  findConfigFile,
  type LoadConfigOptions,
  loadConfig,
} from "./load-config.js";
export { type ProjectConfig, resolveConfig } from "./project-config.js";
