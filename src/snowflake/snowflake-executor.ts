import type { Connection, ConnectionOptions } from "snowflake-sdk";
import {
  type ConnectionSettings,
  DEFAULT_CONNECT_TIMEOUT_MS,
  SNOWFLAKE_ENV,
  secretsOf,
} from "./connection-settings.js";
import { loginFailure, loginTimeout } from "./login-failure.js";
import { SecretRedactor } from "./secret-redactor.js";

/** A row as the driver returns it: column name to value. */
export type Row = Record<string, unknown>;

/** A query failed; the message is redacted and names the statement that failed. */
export class SnowflakeQueryError extends Error {
  override readonly name = "SnowflakeQueryError";
  constructor(
    message: string,
    /** The statement that failed (redacted). */
    readonly statement: string,
    /** Snowflake error code, `002003`, when the server gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

/** Something that runs SQL: the executor, or a fake in a test. */
export interface SqlRunner {
  query(sql: string, binds?: readonly (string | number | boolean | null)[]): Promise<Row[]>;
  close(): Promise<void>;
  /** Redacts secrets from any text about to be shown. */
  redact(text: string): string;
}

/**
 * Runs SQL on Snowflake through snowflake-sdk, one statement at a time. The driver is
 * imported only when a connection is opened: it is heavy and only `--apply` needs it.
 * @example
 * const executor = await SnowflakeExecutor.connect(connectionFromEnv(process.env));
 * try { await executor.query("SELECT CURRENT_VERSION()") } finally { await executor.close() }
 */
export class SnowflakeExecutor implements SqlRunner {
  private constructor(
    private readonly connection: Connection,
    private readonly redactor: SecretRedactor,
  ) {}

  /**
   * Opens a connection. Bounded: after `settings.connectTimeoutMs` (default 30 s), the login and
   * its retries are abandoned with a `SnowflakeConnectError` naming the endpoint.
   * @throws SnowflakeConnectError whose message never holds a secret or what the server sent.
   */
  static async connect(settings: ConnectionSettings): Promise<SnowflakeExecutor> {
    const redactor = new SecretRedactor(secretsOf(settings));
    const sdk = await loadDriver();
    // The driver logs to the console by default, requests included; keep it quiet.
    sdk.configure({ logLevel: "OFF" });
    const endpoint = endpointOf(settings);
    const timeoutMs = settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const context = {
      account: settings.account,
      username: settings.username,
      endpoint,
      credentials: credentialsOf(settings),
    };
    let connection: Connection;
    try {
      connection = sdk.createConnection(driverOptions(settings, timeoutMs));
    } catch (error) {
      throw loginFailure(error, context);
    }
    const login = new Promise<void>((resolve, reject) =>
      connection.connect((error) => (error ? reject(loginFailure(error, context)) : resolve())),
    );
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(loginTimeout(context, timeoutMs)), timeoutMs);
    });
    try {
      await Promise.race([login, deadline]);
    } catch (error) {
      login.catch(() => undefined); // settled later by the driver, or never
      try {
        connection.destroy(() => undefined);
      } catch {
        // not connected yet: nothing to close
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return new SnowflakeExecutor(connection, redactor);
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  query(sql: string, binds: readonly (string | number | boolean | null)[] = []): Promise<Row[]> {
    return new Promise((resolve, reject) => {
      this.connection.execute({
        sqlText: sql,
        ...(binds.length ? { binds: [...binds] } : {}),
        complete: (error, _statement, rows) => {
          if (error) {
            const code = (error as { code?: string | number }).code;
            reject(
              new SnowflakeQueryError(
                this.redact(error.message),
                this.redact(sql),
                code === undefined ? undefined : String(code),
              ),
            );
          } else {
            resolve((rows ?? []) as Row[]);
          }
        },
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.connection.destroy(() => resolve()));
  }
}

// An optional peer: only `--apply` and the executor need it, so a missing install is explained.
async function loadDriver(): Promise<typeof import("snowflake-sdk")> {
  try {
    return (await import("snowflake-sdk")).default;
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND") {
      throw new Error("the Snowflake executor needs snowflake-sdk: npm install snowflake-sdk@^3");
    }
    throw error;
  }
}

/** Where the driver connects: the host given, or the account's own endpoint. */
function endpointOf(settings: ConnectionSettings): string {
  if (!settings.host) return `https://${settings.account}.snowflakecomputing.com`;
  return `${settings.protocol ?? "https"}://${settings.host}${settings.port ? `:${settings.port}` : ""}`;
}

/** The variables holding the credentials in use, for a failure's "what to check". */
function credentialsOf(settings: ConnectionSettings): string {
  const secret = {
    password: SNOWFLAKE_ENV.password,
    "key-pair": SNOWFLAKE_ENV.privateKeyPath,
    oauth: SNOWFLAKE_ENV.token,
  }[settings.auth.kind];
  return `${SNOWFLAKE_ENV.username} and ${secret}`;
}

// The only place the secrets meet the driver: this object is never logged, shown or kept.
function driverOptions(settings: ConnectionSettings, timeoutMs: number): ConnectionOptions {
  const a = settings.auth;
  return {
    account: settings.account,
    username: settings.username,
    application: "retail-mds",
    // One login attempt, bounded by the connect timeout, instead of the driver's retries for up
    // to five minutes: a refused connection fails at once, a silent one when the timeout ends,
    // and no retry outlives the failure (the CLI exits when it prints it). The plan is
    // idempotent: running it again is the retry.
    timeout: timeoutMs,
    sfRetryMaxLoginRetries: 0,
    ...(a.kind === "password" ? { password: a.password } : {}),
    ...(a.kind === "key-pair"
      ? {
          authenticator: "SNOWFLAKE_JWT",
          privateKeyPath: a.privateKeyPath,
          ...(a.privateKeyPassphrase ? { privateKeyPass: a.privateKeyPassphrase } : {}),
        }
      : {}),
    ...(a.kind === "oauth" ? { authenticator: "OAUTH", token: a.token } : {}),
    ...(settings.role ? { role: settings.role } : {}),
    ...(settings.warehouse ? { warehouse: settings.warehouse } : {}),
    ...(settings.database ? { database: settings.database } : {}),
    ...(settings.schema ? { schema: settings.schema } : {}),
    ...(settings.host ? { host: settings.host, accessUrl: endpointOf(settings) } : {}),
    ...(settings.port ? { port: settings.port } : {}),
    ...(settings.protocol ? { protocol: settings.protocol } : {}),
  };
}
