import type { Command } from "./command.js";
import { UsageError } from "./usage-error.js";

// Each command lives in its own file and is loaded only when called, so `ddl` never pays for
// DuckDB and `demo` never pays for the Snowflake builders.
const commands: Record<string, () => Promise<{ command: Command }>> = {
  generate: () => import("./generate-command.js"),
  quality: () => import("./quality-command.js"),
  load: () => import("./load-command.js"),
  demo: () => import("./demo-command.js"),
  ddl: () => import("./ddl-command.js"),
  "dbt-sources": () => import("./dbt-sources-command.js"),
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const lines = await Promise.all(
      Object.entries(commands).map(
        async ([n, load]) => `  ${n.padEnd(12)} ${(await load()).command.summary}`,
      ),
    );
    console.log(
      `usage: retail-mds <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nretail-mds <command> --help for its options`,
    );
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load)
    throw new UsageError(
      `unknown command "${name}"; commands: ${Object.keys(commands).join(", ")}`,
    );
  return (await load()).command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`retail-mds: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(error instanceof Error ? `retail-mds: ${error.stack ?? error.message}` : error);
    process.exitCode = 1;
  },
);
