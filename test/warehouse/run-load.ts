import { command as load } from "../../src/cli/load-command.js";

/**
 * `retail-mds load <args>` in this process (a spawned CLI costs seconds a run): its exit code and
 * what it printed. A bad option rejects with the `UsageError` that the CLI turns into exit 2.
 */
export async function runLoad(args: readonly string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await load.run([...args]), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}
