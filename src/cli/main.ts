import packageJson from "../../package.json" with { type: "json" };
import type { Command } from "./command.js";
import { debugEnabled, renderError } from "./render-error.js";
import { UsageError } from "./usage-error.js";

// Each command lives in its own file and is loaded only when called, so `ddl` never pays for
// DuckDB and `demo` never pays for the Snowflake builders.
const commands: Record<string, () => Promise<{ command: Command }>> = {
  generate: () => import("./generate-command.js"),
  quality: () => import("./quality-command.js"),
  load: () => import("./load-command.js"),
  demo: () => import("./demo-command.js"),
  init: () => import("./init-command.js"),
  ddl: () => import("./ddl-command.js"),
  "dbt-sources": () => import("./dbt-sources-command.js"),
  legacy: () => import("./legacy-command.js"),
  reconcile: () => import("./reconcile-command.js"),
};

/** `--verbose` is understood anywhere before `--`, by every command; the rest is the command's. */
function takeVerbose(argv: readonly string[]): { verbose: boolean; args: string[] } {
  const end = argv.indexOf("--");
  const options = end === -1 ? argv : argv.slice(0, end);
  const rest = end === -1 ? [] : argv.slice(end);
  return {
    verbose: options.includes("--verbose"),
    args: [...options.filter((a) => a !== "--verbose"), ...rest],
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--version" || name === "-V") {
    console.log(packageJson.version);
    return 0;
  }
  if (!name || name === "--help" || name === "-h" || name === "help") {
    const lines = await Promise.all(
      Object.entries(commands).map(
        async ([n, load]) => `  ${n.padEnd(12)} ${(await load()).command.summary}`,
      ),
    );
    console.log(
      `usage: retail-mds <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
        "retail-mds <command> --help for its options\n" +
        "--verbose (or DEBUG=retail-mds) prints the stack trace of an error; --version the version\n" +
        "exit codes: 0 done, 1 failed (or a check found a problem), 2 bad input (nothing written)",
    );
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load)
    throw new UsageError(
      `unknown command "${name}"; commands: ${Object.keys(commands).join(", ")} (or --help, --version)`,
    );
  return (await load()).command.run(args);
}

// A reader that goes away (`load | head -n 1`, `| grep -m1 LOAD_FAILED`) closes the pipe and
// the next write fails with EPIPE, which Node raises as an unhandled 'error' event: the load
// or demo would stop half-way with Node's stack trace. The output nobody reads is dropped, and
// the command goes on to its end and exits with its own code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
}

const { verbose, args } = takeVerbose(process.argv.slice(2));
main(args).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const rendered = renderError(error, verbose || debugEnabled(process.env.DEBUG));
    console.error(rendered.text);
    process.exitCode = rendered.exitCode;
  },
);
