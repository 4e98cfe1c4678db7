// Written here rather than left to the Azure SDK's own retry (StorageRetryPolicy in
// @azure/storage-common, which the clients are built with and which `SDK_OPTIONS` turns off):
// - it retries only HTTP 500 and 503 and network errors, not 408, 429, 502 or 504, and never
//   reads `Retry-After` (the throttling policy of @azure/core-rest-pipeline is not in the storage
//   pipeline), so a throttled account is hammered at a fixed pace;
// - its back-off is exponential without jitter ((2^(n-1) - 1) x retryDelayInMs), so writers hit
//   by one outage retry in lockstep; here it is full jitter;
// - its `tryTimeoutInMs` is a server-side `timeout` URL parameter, not a client abort: a stalled
//   connection is not cut; here each attempt has its own AbortSignal;
// - it retries a request, unaware of the operation: a retried ADLS rename whose first response
//   was lost fails with 404 (the source is gone), while `withRetry` hands the attempt number to
//   the operation, which checks whether the file already moved (adls-store.ts);
// - one policy for Blob, DFS and Queue, with a redacted line per retry and a typed
//   `RetriesExhaustedError`, tested with an injected clock and random source.
/** How a store retries a request that failed for a transient reason. */
export interface RetryPolicy {
  /** Total attempts, the first one included. Default 5. */
  readonly attempts?: number;
  /** Ceiling of the first back-off; doubles at each retry. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** No back-off (nor `Retry-After`) waits longer than this. Default 10 s. */
  readonly maxDelayMs?: number;
  /** An attempt still running after this is aborted and counted as transient. Default 120 s. */
  readonly attemptTimeoutMs?: number;
}

/** What `withRetry` reports before each retry (for logs: `reason` is already redacted by the caller's `describe`). */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface RetryOptions extends RetryPolicy {
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  readonly random?: () => number;
  /** Injectable clock; the default is an abortable `setTimeout`. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly onRetry?: (event: RetryEvent) => void;
  /** Classifies errors; default `isTransient`. */
  readonly isTransient?: (error: unknown) => boolean;
  /** Cancels the whole operation: an abort is never retried. */
  readonly signal?: AbortSignal;
}

export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = {
  attempts: 5,
  baseDelayMs: 200,
  maxDelayMs: 10_000,
  attemptTimeoutMs: 120_000,
};

/** An attempt ran past `attemptTimeoutMs`; transient by definition. */
export class AttemptTimeoutError extends Error {
  override readonly name = "AttemptTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`attempt timed out after ${timeoutMs} ms`);
  }
}

/** Every attempt failed for a transient reason; `lastError` is the final one. */
export class RetriesExhaustedError extends Error {
  override readonly name = "RetriesExhaustedError";
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`gave up after ${attempts} attempts`);
  }
}

const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set([
  "ECONNRESET",
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "EAI_AGAIN",
  "ESOCKETTIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  // @azure/core-rest-pipeline's code for a request that never got a response.
  "REQUEST_SEND_ERROR",
]);

/**
 * True for faults worth retrying: HTTP 408, 429, 500, 502, 503, 504, connection resets, refused
 * or timed-out sockets and attempt timeouts. Anything else (403, 404, 409, a bad argument, a
 * caller's abort) is permanent and fails at once.
 * @example
 * isTransient({ statusCode: 503 }); // true
 * isTransient({ statusCode: 403 }); // false
 */
export function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 4; depth++) {
    const { name, statusCode, status, code } = e as {
      name?: unknown;
      statusCode?: unknown;
      status?: unknown;
      code?: unknown;
    };
    if (name === "AttemptTimeoutError") return true;
    const http =
      typeof statusCode === "number" ? statusCode : typeof status === "number" ? status : undefined;
    if (http !== undefined) return TRANSIENT_STATUS.has(http);
    if (typeof code === "string" && TRANSIENT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Exponential back-off with full jitter: uniform in [0, min(max, base * 2^(attempt-1))).
 * Full jitter spreads retries of many writers hit by the same outage.
 * @example
 * backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 1000 }, () => 0.5); // 200
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy = {},
  random: () => number = Math.random,
): number {
  const base = policy.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs;
  const max = policy.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** The server's `Retry-After` in ms (seconds or an HTTP date), when it sent one. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined } } })
    ?.response?.headers;
  const value = typeof headers?.get === "function" ? headers.get("retry-after") : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Runs `operation`, retrying transient failures with exponential back-off and full jitter,
 * bounded by `attempts` and `maxDelayMs`; a `Retry-After` from the server is honoured up to
 * `maxDelayMs`. Each attempt gets its own abort signal, fired at `attemptTimeoutMs`.
 * Permanent errors are rethrown as they are; exhausted retries throw `RetriesExhaustedError`.
 * @example
 * const props = await withRetry((signal) => blob.getProperties({ abortSignal: signal }), { attempts: 3 });
 */
export async function withRetry<T>(
  operation: (signal: AbortSignal, attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? DEFAULT_RETRY_POLICY.attempts);
  const timeoutMs = options.attemptTimeoutMs ?? DEFAULT_RETRY_POLICY.attemptTimeoutMs;
  const maxDelay = options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const transient = options.isTransient ?? isTransient;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    let error: unknown;
    try {
      return await attemptWithTimeout(operation, attempt, timeoutMs, options.signal);
    } catch (e) {
      error = e;
    }
    if (options.signal?.aborted || !transient(error)) throw error;
    if (attempt >= attempts) throw new RetriesExhaustedError(attempt, error);
    const jittered = backoffDelay(attempt, options, random);
    const delayMs = Math.min(maxDelay, Math.max(jittered, retryAfterMs(error) ?? 0));
    options.onRetry?.({ attempt, delayMs, error });
    await sleep(delayMs, options.signal);
  }
}

async function attemptWithTimeout<T>(
  operation: (signal: AbortSignal, attempt: number) => Promise<T>,
  attempt: number,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<T> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new AttemptTimeoutError(timeoutMs));
  }, timeoutMs);
  try {
    return await operation(controller.signal, attempt);
  } catch (e) {
    // The SDK reports our abort as its own AbortError; say what really happened.
    throw timedOut ? new AttemptTimeoutError(timeoutMs) : e;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
