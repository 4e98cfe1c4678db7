import { DdlError } from "./ddl-error.js";

/** How the executor authenticates: exactly one of password, key pair, or OAuth token. */
export type SnowflakeAuth =
  | { readonly kind: "password"; readonly password: string }
  | {
      readonly kind: "key-pair";
      readonly privateKeyPath: string;
      readonly privateKeyPassphrase?: string;
    }
  | { readonly kind: "oauth"; readonly token: string };

/** What the executor needs to connect. */
export interface ConnectionSettings {
  /** Account identifier, `myorg-myaccount` (or a locator). */
  readonly account: string;
  readonly username: string;
  readonly auth: SnowflakeAuth;
  readonly role?: string;
  readonly warehouse?: string;
  readonly database?: string;
  readonly schema?: string;
  /** Overrides for an emulator or a private link: `host`, `port`, `protocol`. */
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: "http" | "https";
  /**
   * How long opening the connection (login, retries included) may take before it fails with a
   * `SnowflakeConnectError` naming the endpoint; default `DEFAULT_CONNECT_TIMEOUT_MS` (30 s).
   */
  readonly connectTimeoutMs?: number;
}

/** How long `SnowflakeExecutor.connect()` waits by default: 30 s. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** The environment variables read by `connectionFromEnv()`. */
export const SNOWFLAKE_ENV = {
  account: "SNOWFLAKE_ACCOUNT",
  username: "SNOWFLAKE_USER",
  password: "SNOWFLAKE_PASSWORD",
  privateKeyPath: "SNOWFLAKE_PRIVATE_KEY_PATH",
  privateKeyPassphrase: "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE",
  token: "SNOWFLAKE_OAUTH_TOKEN",
  role: "SNOWFLAKE_ROLE",
  warehouse: "SNOWFLAKE_WAREHOUSE",
  database: "SNOWFLAKE_DATABASE",
  schema: "SNOWFLAKE_SCHEMA",
  host: "SNOWFLAKE_HOST",
  port: "SNOWFLAKE_PORT",
  protocol: "SNOWFLAKE_PROTOCOL",
  connectTimeout: "SNOWFLAKE_CONNECT_TIMEOUT",
} as const;

/**
 * Reads connection settings from environment variables (see `SNOWFLAKE_ENV`). Exactly one
 * way to authenticate must be set: SNOWFLAKE_PASSWORD, SNOWFLAKE_PRIVATE_KEY_PATH (with
 * SNOWFLAKE_PRIVATE_KEY_PASSPHRASE if the key is encrypted) or SNOWFLAKE_OAUTH_TOKEN.
 * @throws DdlError naming the missing or conflicting variables (never their values).
 * @example
 * const settings = connectionFromEnv(process.env);
 */
export function connectionFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): ConnectionSettings {
  const get = (key: keyof typeof SNOWFLAKE_ENV) => {
    const v = env[SNOWFLAKE_ENV[key]];
    return v === undefined || v === "" ? undefined : v;
  };
  const account = get("account");
  const username = get("username");
  const missing = [
    !account && SNOWFLAKE_ENV.account,
    !username && get("token") === undefined && SNOWFLAKE_ENV.username,
  ].filter(Boolean);
  if (missing.length)
    throw new DdlError(`set ${missing.join(" and ")}`, {
      object: "connection",
      field: missing.join(", "),
    });
  const password = get("password");
  const keyPath = get("privateKeyPath");
  const token = get("token");
  const given: string[] = [];
  if (password) given.push(SNOWFLAKE_ENV.password);
  if (keyPath) given.push(SNOWFLAKE_ENV.privateKeyPath);
  if (token) given.push(SNOWFLAKE_ENV.token);
  if (given.length !== 1) {
    throw new DdlError(
      given.length === 0
        ? `set one of ${SNOWFLAKE_ENV.password}, ${SNOWFLAKE_ENV.privateKeyPath} or ${SNOWFLAKE_ENV.token}`
        : `set only one way to authenticate; found ${given.join(", ")}`,
      { object: "connection", field: "auth" },
    );
  }
  const passphrase = get("privateKeyPassphrase");
  const auth = unprintable<SnowflakeAuth>(
    password
      ? { kind: "password", password }
      : keyPath
        ? {
            kind: "key-pair",
            privateKeyPath: keyPath,
            ...(passphrase ? { privateKeyPassphrase: passphrase } : {}),
          }
        : { kind: "oauth", token: token as string },
  );
  const port = get("port");
  if (port !== undefined && !/^\d{1,5}$/.test(port)) {
    throw new DdlError(`must be a port number, got ${JSON.stringify(port)}`, {
      object: "connection",
      field: SNOWFLAKE_ENV.port,
    });
  }
  const protocol = get("protocol");
  if (protocol !== undefined && protocol !== "http" && protocol !== "https") {
    throw new DdlError(`must be http or https`, {
      object: "connection",
      field: SNOWFLAKE_ENV.protocol,
    });
  }
  const timeout = get("connectTimeout");
  const connectTimeoutMs =
    timeout === undefined
      ? undefined
      : connectTimeoutSeconds(timeout, SNOWFLAKE_ENV.connectTimeout) * 1000;
  const optional = {
    connectTimeoutMs,
    role: get("role"),
    warehouse: get("warehouse"),
    database: get("database"),
    schema: get("schema"),
    host: get("host"),
    port: port === undefined ? undefined : Number(port),
    protocol,
  };
  return {
    account: account as string,
    username: username ?? "",
    auth,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Reads a connect timeout in whole seconds, 1 to 3600.
 * @throws DdlError naming `field` (the variable or option it came from).
 */
export function connectTimeoutSeconds(value: string, field: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > 3600)
    throw new DdlError(
      `must be a whole number of seconds from 1 to 3600, got ${JSON.stringify(value)}`,
      {
        object: "connection",
        field,
      },
    );
  return Number(value);
}

const SECRET_FIELDS = new Set(["password", "token", "privateKeyPassphrase"]);

/**
 * The auth with its secret fields masked wherever it is printed: `console.log`, `util.inspect`,
 * `JSON.stringify` (and so any log line or error message built from the settings object). The
 * fields themselves stay readable: the executor hands them to the driver.
 */
function unprintable<T extends SnowflakeAuth>(auth: T): T {
  const masked = () =>
    Object.fromEntries(Object.entries(auth).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? "***" : v]));
  Object.defineProperty(auth, "toJSON", { value: masked, enumerable: false });
  Object.defineProperty(auth, Symbol.for("nodejs.util.inspect.custom"), {
    value: (_depth: number, options: object, show: (v: unknown, o: object) => string) =>
      show(masked(), options),
    enumerable: false,
  });
  return auth;
}

/** The secret values of settings, for a `SecretRedactor`. */
export function secretsOf(settings: ConnectionSettings): string[] {
  const a = settings.auth;
  return a.kind === "password"
    ? [a.password]
    : a.kind === "oauth"
      ? [a.token]
      : a.privateKeyPassphrase
        ? [a.privateKeyPassphrase]
        : [];
}
