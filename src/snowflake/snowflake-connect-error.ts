/** Why a connection to Snowflake could not be opened. */
export type SnowflakeConnectFailure =
  /** Nothing answered within the connect timeout. */
  | "timeout"
  /** The network refused, reset or could not resolve the endpoint. */
  | "unreachable"
  /** The endpoint answered the login with an HTTP error. */
  | "http"
  /** Snowflake refused the login (wrong credentials, unknown account or role...). */
  | "login"
  /** The driver refused the settings before connecting. */
  | "settings";

/**
 * A connection to Snowflake could not be opened. The message is built only from what the
 * failure *is* (the endpoint, the account and user, a network code, an HTTP status, a
 * Snowflake error number), never from the driver's message or the login request: a server or
 * proxy echoing the request cannot put a password into it, whatever its length or characters.
 */
export class SnowflakeConnectError extends Error {
  override readonly name = "SnowflakeConnectError";
  constructor(
    message: string,
    readonly failure: SnowflakeConnectFailure,
    /** `https://myorg-myaccount.snowflakecomputing.com`, or the host, port and protocol given. */
    readonly endpoint: string,
    /** `ECONNREFUSED`, an HTTP status, or a Snowflake error number such as `390100`. */
    readonly code?: string,
  ) {
    super(message);
  }
}
