import { SnowflakeConnectError } from "./snowflake-connect-error.js";

/** What a login failure is about: never the login request, never the driver's text. */
export interface LoginContext {
  readonly account: string;
  readonly username: string;
  readonly endpoint: string;
  /** The variables to check, for the "what to do" part: `SNOWFLAKE_USER and SNOWFLAKE_PASSWORD`. */
  readonly credentials: string;
}

// Documented login errors (Snowflake's error reference); any other number is shown bare.
const LOGIN_ERRORS: Record<string, string> = {
  "390100": "incorrect username or password",
  "390144": "the key-pair JWT is invalid",
  "390318": "the OAuth access token has expired",
};

const NETWORK: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
};

const check =
  "check SNOWFLAKE_ACCOUNT (or SNOWFLAKE_HOST, SNOWFLAKE_PORT) and that this machine reaches it";

/** The login did not finish within the connect timeout. */
export function loginTimeout(at: LoginContext, timeoutMs: number): SnowflakeConnectError {
  return new SnowflakeConnectError(
    `cannot connect to Snowflake at ${at.endpoint} (account ${at.account}): no answer within ${timeoutMs / 1000} s; ` +
      `${check}, or allow longer with --connect-timeout <seconds> (SNOWFLAKE_CONNECT_TIMEOUT)`,
    "timeout",
    at.endpoint,
  );
}

/**
 * Turns the driver's connect error into a `SnowflakeConnectError`. Reads only structured,
 * pattern-checked fields of the error (a system error code, an HTTP status, a six-digit
 * Snowflake error number), so nothing the server sent back can reach the message.
 */
export function loginFailure(error: unknown, at: LoginContext): SnowflakeConnectError {
  const e = (error ?? {}) as {
    code?: unknown;
    cause?: { code?: unknown; response?: { status?: unknown } };
    response?: { status?: unknown };
  };
  const where = `Snowflake at ${at.endpoint} (account ${at.account})`;
  const system = [e.cause?.code, e.code].find(
    (c): c is string => typeof c === "string" && /^E[A-Z_]{2,30}$/.test(c),
  );
  if (system)
    return new SnowflakeConnectError(
      `cannot reach ${where}: ${NETWORK[system] ?? "network error"} (${system}); ${check}`,
      "unreachable",
      at.endpoint,
      system,
    );
  const status = [e.response?.status, e.cause?.response?.status].find((s): s is number =>
    Number.isInteger(s),
  );
  if (status !== undefined)
    return new SnowflakeConnectError(
      `${where} answered the login with HTTP ${status}; ${check}`,
      "http",
      at.endpoint,
      String(status),
    );
  const code = String(e.code ?? "");
  if (/^\d{6}$/.test(code) && !code.startsWith("40"))
    return new SnowflakeConnectError(
      `Snowflake refused the login of user ${JSON.stringify(at.username)} at ${at.endpoint} (account ${at.account}): error ${code}${LOGIN_ERRORS[code] ? ` (${LOGIN_ERRORS[code]})` : ""}; check ${at.credentials}`,
      "login",
      at.endpoint,
      code,
    );
  return new SnowflakeConnectError(
    `cannot connect to ${where}: the driver failed${/^\d{6}$/.test(code) ? ` with error ${code}` : ""}; ${check}`,
    code.startsWith("4040") ? "settings" : "unreachable",
    at.endpoint,
    /^\d{6}$/.test(code) ? code : undefined,
  );
}
