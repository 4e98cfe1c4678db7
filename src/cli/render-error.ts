import { UsageError } from "./usage-error.js";

/** What the CLI prints for an error, and the exit code. */
export interface RenderedError {
  readonly exitCode: 1 | 2;
  readonly text: string;
}

// Errors the library throws on purpose carry a message that says what failed, on what, and
// what to do; anything else is unexpected and the stack trace is where to look.
const UNEXPECTED = new Set(["Error", "TypeError", "RangeError", "ReferenceError", "SyntaxError"]);

/**
 * The one way the CLI renders an error. Bad input (`UsageError`) exits 2 with its message;
 * any other error exits 1 on one line, `retail-mds: <what failed, on what, what to do>`. The
 * stack trace, with its causes, is printed only when `verbose` (`--verbose` or DEBUG).
 */
export function renderError(error: unknown, verbose: boolean): RenderedError {
  if (error instanceof UsageError) return { exitCode: 2, text: `retail-mds: ${error.message}` };
  if (!(error instanceof Error)) return { exitCode: 1, text: `retail-mds: ${String(error)}` };
  const line = `retail-mds: ${error.message.replace(/\s*\n\s*/g, " ")}`;
  if (verbose) return { exitCode: 1, text: `${line}\n${stackOf(error)}` };
  const unexpected = UNEXPECTED.has(error.name) && !("code" in error);
  return {
    exitCode: 1,
    text: unexpected ? `${line} (run again with --verbose for the stack trace)` : line,
  };
}

/** The stack frames of an error and of each of its causes. */
function stackOf(error: Error): string {
  const frames = (e: Error) => (e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l));
  const parts = [frames(error).join("\n")];
  let cause = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++, cause = cause.cause)
    parts.push(`caused by ${cause.name}: ${cause.message}\n${frames(cause).join("\n")}`);
  return parts.join("\n");
}

/**
 * Whether DEBUG asks for detail, in the convention of the `debug` package: a list of
 * namespaces, `*` wildcards, `-` to exclude (`DEBUG=retail-mds`, `DEBUG=*`, `DEBUG=1`).
 */
export function debugEnabled(value: string | undefined): boolean {
  const names = (value ?? "").split(/[\s,]+/).filter(Boolean);
  if (names.some((n) => n === "-retail-mds" || n === "-retail-mds:*")) return false;
  return names.some((n) => n === "1" || n === "true" || n === "*" || /^retail-mds(:.*)?$/.test(n));
}
