/**
 * A project config that cannot be used: its file, the key (dotted path) at fault and what is
 * allowed there. The CLI prints the message and exits with code 2 before writing anything.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    /** The config file, or undefined for a config passed in code. */
    readonly file: string | undefined,
    /** The key at fault, dotted: `"lake.format"`, `"entities.1"`; empty for the file itself. */
    readonly key: string,
    /** What is wrong and what is allowed. */
    readonly reason: string,
  ) {
    super(`${file ?? "config"}: ${key ? `${key}: ` : ""}${reason}`);
  }
}
