import { LakeWriteError, ObjectExistsError } from "./lake-write-error.js";

/** An error as it crosses between threads: what the CLI renders and a caller tests for. */
export interface ThreadErrorData {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string;
  /** A `LakeWriteError`'s store URL and path. */
  readonly store?: string;
  readonly path?: string;
  /** Set when the error was thrown by the other thread's store: the id it keeps it under. */
  readonly origin?: number;
}

const ORIGIN = Symbol("retail-mds thread error origin");

/**
 * What an error says, for `postMessage`: a structured clone keeps neither a class of ours nor
 * `code`, and both decide how the CLI renders it (renderError) and what a caller can catch.
 */
export function describeError(error: unknown): ThreadErrorData {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const { code } = error as { code?: unknown };
  let origin: number | undefined;
  for (let e: unknown = error; e instanceof Error && origin === undefined; e = e.cause)
    origin = (e as { [ORIGIN]?: number })[ORIGIN];
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(typeof code === "string" ? { code } : {}),
    ...(error instanceof LakeWriteError ? { store: error.store, path: error.path } : {}),
    ...(origin !== undefined ? { origin } : {}),
  };
}

/**
 * The error again, on this side: a `LakeWriteError` (and `ObjectExistsError`, which
 * `publishOnce` tells apart) as itself, anything else an `Error` with the same name, message,
 * code and stack. `origin`, if given, is kept so the error can be traced back to its original.
 */
export function reviveError(data: ThreadErrorData, origin?: number): Error {
  const lake = data.store !== undefined && data.path !== undefined;
  const error =
    lake && data.name === "ObjectExistsError"
      ? new ObjectExistsError(data.store as string, data.path as string)
      : lake
        ? new LakeWriteError(data.store as string, data.path as string, "")
        : new Error(data.message);
  error.message = data.message;
  if (error.name !== data.name) Object.defineProperty(error, "name", { value: data.name });
  if (data.code !== undefined) Object.assign(error, { code: data.code });
  if (data.stack !== undefined) error.stack = data.stack;
  const from = origin ?? data.origin;
  if (from !== undefined) Object.defineProperty(error, ORIGIN, { value: from });
  return error;
}
