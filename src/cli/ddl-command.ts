import { DdlError } from "../snowflake/ddl-error.js";
import type { Command } from "./command.js";
import { helpFor, parseOptions } from "./options.js";
import { configOption, readProjectConfig } from "./project-config.js";
import { UsageError } from "./usage-error.js";

const spec = {
  account: {
    type: "string",
    description: "Azure storage account of the lake (config azure.account)",
  },
  container: {
    type: "string",
    description: "container (file system) of the lake (config azure.container)",
  },
  path: {
    type: "string",
    description: 'folder of the lake inside the container (config azure.path, "")',
  },
  "queue-url": {
    type: "string",
    description:
      "https://<account>.queue.core.windows.net/<queue> fed by Event Grid (config azure.queueUrl)",
  },
  tenant: { type: "string", description: "Azure AD tenant id, a GUID (config azure.tenantId)" },
  database: {
    type: "string",
    description: "Snowflake database (config snowflake.database, RETAIL)",
  },
  schema: {
    type: "string",
    description: "schema of the RAW tables (config snowflake.schema, RAW)",
  },
  format: {
    type: "string",
    description: "format of the lake's data files (config lake.format, parquet)",
    choices: ["parquet", "csv", "ndjson"],
  },
  "error-integration": {
    type: "string",
    description:
      "outbound notification integration for pipe errors (config snowflake.errorIntegration)",
  },
  "recreate-pipes": {
    type: "string",
    description: "comma-separated entities whose pipes changed (resets their load history)",
  },
  "refresh-modified-after": {
    type: "string",
    description: "after a recreate, refresh only files modified after this ISO instant",
  },
  "connect-timeout": {
    type: "string",
    description:
      "with --apply: seconds to wait for Snowflake (1-3600; else SNOWFLAKE_CONNECT_TIMEOUT, 30)",
  },
  apply: {
    type: "boolean",
    description: "run the plan on Snowflake (credentials from SNOWFLAKE_* env)",
    default: false,
  },
  config: configOption,
  help: { type: "boolean", description: "show this help", default: false, short: "h" },
} as const;

/** `retail-mds ddl`: prints the Snowpipe deployment plan, or applies it with --apply. */
export const command: Command = {
  summary: "print (or --apply) the Snowflake + Snowpipe DDL for the lake",
  async run(args) {
    const o = parseOptions("ddl", args, spec);
    if (o.help) {
      console.log(helpFor("ddl", spec));
      return 0;
    }
    const { azure, snowflake, lake, entities, layouts } = await readProjectConfig("ddl", o.config);
    // A flag wins over the config.
    const given = {
      account: o.account ?? azure.account,
      container: o.container ?? azure.container,
      "queue-url": o["queue-url"] ?? azure.queueUrl,
      tenant: o.tenant ?? azure.tenantId,
    };
    for (const [required, value] of Object.entries(given)) {
      if (!value)
        throw new UsageError(
          `ddl: --${required} is required (or azure.${CONFIG_KEY[required]} in the config)\n\n${helpFor("ddl", spec)}`,
        );
    }
    const errorIntegration = o["error-integration"] ?? snowflake.errorIntegration;
    // The builders load only now: `retail-mds --help` never pays for them.
    const { snowpipePlan } = await import("../snowflake/snowpipe-plan.js");
    let plan: ReturnType<typeof snowpipePlan>;
    try {
      plan = snowpipePlan({
        account: given.account as string,
        container: given.container as string,
        path: o.path ?? azure.path,
        queueUrl: given["queue-url"] as string,
        tenantId: given.tenant as string,
        database: o.database ?? snowflake.database,
        schema: o.schema ?? snowflake.schema,
        format: (o.format as "parquet" | "csv" | "ndjson" | undefined) ?? lake.format,
        entities: [...entities],
        layouts: [...layouts],
        ...(errorIntegration ? { errorIntegration } : {}),
        ...(o["recreate-pipes"]
          ? { recreatePipes: o["recreate-pipes"].split(",").map((s) => s.trim()) }
          : {}),
        ...(o["refresh-modified-after"]
          ? { refreshModifiedAfter: o["refresh-modified-after"] }
          : {}),
      });
    } catch (error) {
      if (error instanceof DdlError)
        throw new UsageError(`ddl: ${optionOf(error)}${error.message}`);
      throw error;
    }
    const { dryRun, applyPlan } = await import("../snowflake/apply-plan.js");
    if (!o.apply) {
      dryRun(plan, (text) => process.stdout.write(text));
      return 0;
    }
    const { connectionFromEnv, connectTimeoutSeconds } = await import(
      "../snowflake/connection-settings.js"
    );
    // snowflake-sdk's AWS SDK warns about Node 20 on stderr, nine lines about a library the
    // user did not call; the CLI's output stays its own.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const { SnowflakeExecutor } = await import("../snowflake/snowflake-executor.js");
    let settings: ReturnType<typeof connectionFromEnv>;
    try {
      const timeout = o["connect-timeout"];
      settings = {
        ...connectionFromEnv(process.env),
        ...(timeout === undefined
          ? {}
          : { connectTimeoutMs: connectTimeoutSeconds(timeout, "--connect-timeout") * 1000 }),
      };
    } catch (error) {
      if (error instanceof DdlError) throw new UsageError(`ddl --apply: ${error.message}`);
      throw error;
    }
    const executor = await SnowflakeExecutor.connect(settings);
    try {
      const done = await applyPlan(executor, plan, (step, sql) => {
        console.error(
          `${String(step.step).padStart(3)} ${step.status === "note" ? "note" : "ok  "} ${sql.split("\n")[0]}`,
        );
      });
      console.error(`applied ${done.filter((s) => s.status === "ran").length} statements`);
      return 0;
    } catch (error) {
      console.error(
        `retail-mds ddl: ${executor.redact(error instanceof Error ? error.message : String(error))}`,
      );
      return 1;
    } finally {
      await executor.close();
    }
  },
};

const CONFIG_KEY: Record<string, string> = {
  account: "account",
  container: "container",
  "queue-url": "queueUrl",
  tenant: "tenantId",
};

// Map a config field back to the option a user typed.
function optionOf(error: DdlError): string {
  const map: Record<string, string> = {
    account: "--account",
    container: "--container",
    path: "--path",
    AZURE_STORAGE_QUEUE_PRIMARY_URI: "--queue-url",
    AZURE_TENANT_ID: "--tenant",
    recreatePipes: "--recreate-pipes",
    MODIFIED_AFTER: "--refresh-modified-after",
    refreshModifiedAfter: "--refresh-modified-after",
  };
  const option = error.field ? map[error.field] : undefined;
  return option ? `${option}: ` : "";
}
