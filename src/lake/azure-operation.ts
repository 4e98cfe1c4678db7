import { LakeWriteError } from "./lake-write-error.js";
import { redact } from "./redact.js";
import {
  AttemptTimeoutError,
  RetriesExhaustedError,
  type RetryOptions,
  type RetryPolicy,
  withRetry,
} from "./retry.js";

/**
 * One line about an Azure SDK error: HTTP status, Azure error code and the first line of the
 * message, redacted. Never the request itself (its headers hold the Shared Key signature).
 * @example
 * describeAzureError(e); // "404 BlobNotFound: The specified blob does not exist."
 */
export function describeAzureError(error: unknown): string {
  if (error instanceof RetriesExhaustedError)
    return `${error.message}, last: ${describeAzureError(error.lastError)}`;
  if (error instanceof AttemptTimeoutError) return error.message;
  const e = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    details?: { errorCode?: unknown };
  };
  const status = typeof e.statusCode === "number" ? String(e.statusCode) : "";
  const code =
    typeof e.details?.errorCode === "string"
      ? e.details.errorCode
      : typeof e.code === "string"
        ? e.code
        : "";
  const message =
    typeof e.message === "string" ? (e.message.split("\n")[0] ?? "").trim() : String(error);
  const head = [status, code].filter(Boolean).join(" ");
  return redact(
    head && !message.startsWith(head) ? `${head}: ${message || "(no message)"}` : message || head,
  );
}

/** The HTTP status of an SDK error, looking through `RetriesExhaustedError`. */
export function statusOf(error: unknown): number | undefined {
  const e = error instanceof RetriesExhaustedError ? error.lastError : error;
  const status = (e as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/**
 * True when a create-only request (`If-None-Match: *`) was refused because something exists at
 * its destination: 409 (BlobAlreadyExists, PathAlreadyExists) or 412 (ConditionNotMet), the two
 * answers "Specifying conditional headers for Blob service operations" documents.
 */
export function refusedAsExisting(error: unknown): boolean {
  const status = statusOf(error);
  return status === 409 || status === 412;
}

/**
 * Wraps an SDK error into the lake's `LakeWriteError`, naming the store, the path and the
 * operation. The SDK error is not kept as `cause`: its request object carries headers that an
 * inspecting logger would print; the redacted description, status and code are enough.
 */
export function azureFailure(
  store: string,
  path: string,
  operation: string,
  error: unknown,
): LakeWriteError {
  const failure = new LakeWriteError(store, path, `${operation}: ${describeAzureError(error)}`);
  Object.defineProperty(failure, "statusCode", { value: statusOf(error), enumerable: true });
  return failure;
}

/** Retry settings an Azure store accepts: the policy, plus the clock and randomness for tests. */
export type AzureRetryOptions = RetryPolicy & Pick<RetryOptions, "random" | "sleep">;

/** Where an Azure store operation runs, for retries, logs and errors. */
export interface AzureOperationContext {
  /** Credential-free URL of the store root. */
  readonly storeUrl: string;
  readonly kind: string;
  readonly retry?: AzureRetryOptions;
  /** Receives one redacted line per retry. */
  readonly log?: (line: string) => void;
}

/**
 * Runs one SDK call under the retry policy; a permanent failure, or retries running out, becomes
 * a `LakeWriteError` naming the store, the path and the operation.
 */
export async function runAzure<T>(
  context: AzureOperationContext,
  operation: string,
  path: string,
  call: (abortSignal: AbortSignal, attempt: number) => Promise<T>,
): Promise<T> {
  try {
    return await withRetry(call, {
      ...context.retry,
      onRetry: ({ attempt, delayMs, error }) =>
        context.log?.(
          redact(
            `${context.kind} store ${context.storeUrl}: ${operation} "${path}" attempt ${attempt} failed (${describeAzureError(error)}); retrying in ${delayMs} ms`,
          ),
        ),
    });
  } catch (error) {
    throw azureFailure(context.storeUrl, path, operation, error);
  }
}

/**
 * A create-if-missing call (container, file system, queue) run once, on first use, under the
 * retry policy; a failure is not cached, so the next use tries again.
 */
export function ensureOnce(
  context: AzureOperationContext,
  operation: string,
  create: (abortSignal: AbortSignal) => Promise<unknown>,
): (path: string) => Promise<unknown> {
  let ready: Promise<unknown> | undefined;
  return (path) => {
    ready ??= runAzure(context, operation, path, create).catch((e) => {
      ready = undefined;
      throw e;
    });
    return ready;
  };
}
