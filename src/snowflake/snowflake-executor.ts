import type { Connection, ConnectionOptions } from "snowflake-sdk";
import type { ConnectionSettings } from "./connection-settings.js";
import { secretsOf } from "./connection-settings.js";
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

  static async connect(settings: ConnectionSettings): Promise<SnowflakeExecutor> {
    const redactor = new SecretRedactor(secretsOf(settings));
    const sdk = await loadDriver();
    // The driver logs to the console by default, requests included; keep it quiet.
    sdk.configure({ logLevel: "OFF" });
    const a = settings.auth;
    const options: ConnectionOptions = {
      account: settings.account,
      username: settings.username,
      application: "retail-mds",
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
      ...(settings.host
        ? {
            host: settings.host,
            accessUrl: `${settings.protocol ?? "https"}://${settings.host}${settings.port ? `:${settings.port}` : ""}`,
          }
        : {}),
      ...(settings.port ? { port: settings.port } : {}),
      ...(settings.protocol ? { protocol: settings.protocol } : {}),
    };
    const connection = sdk.createConnection(options);
    await new Promise<void>((resolve, reject) =>
      connection.connect((error) =>
        error
          ? reject(
              new Error(
                `cannot connect to Snowflake account ${settings.account}: ${redactor.redact(error.message)}`,
              ),
            )
          : resolve(),
      ),
    );
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
