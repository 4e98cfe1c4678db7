import { z } from "zod";
import { type Entity, registeredEntities } from "../entities/index.js";
import { accountNamePrefix } from "./account-name-prefix.js";
import { pausePipeNode, refreshPipeNode } from "./alter-pipe.js";
import { azureUrl } from "./azure-location.js";
import { entityCopy } from "./copy-into-builder.js";
import { createDatabase } from "./database-builder.js";
import { DdlError } from "./ddl-error.js";
import type { DdlNode } from "./ddl-node.js";
import { csvFileFormat, jsonFileFormat, parquetFileFormat } from "./file-format-builder.js";
import { type QualifiedName, storedName } from "./ident.js";
import {
  legacyLayoutCopy,
  legacyLayoutFileFormat,
  legacyLayoutFolder,
  type SnowflakeLayout,
  snowflakeLegacyLayoutTable,
} from "./legacy-layout-ddl.js";
import { applyMasking, maskingFamily, maskingPolicy } from "./masking-policy.js";
import { note } from "./note-step.js";
import {
  assertOneIntegrationPerQueue,
  notificationIntegration,
} from "./notification-integration-builder.js";
import { createPipe } from "./pipe-builder.js";
import { rawTableName, snowflakeRawTable } from "./raw-table.js";
import { grant, grantRole, role } from "./role-grants.js";
import { createSchema } from "./schema-builder.js";
import { snowflakeType } from "./snowflake-type.js";
import { createStage } from "./stage-builder.js";
import { storageIntegration } from "./storage-integration-builder.js";

const name = z.string().min(1).max(255);

/** Everything a Snowpipe deployment needs; validated with zod, so a bad field is named. */
export const snowpipeConfigSchema = z.object({
  /** Azure storage account of the lake. */
  account: z.string(),
  /** Container (file system) of the lake. */
  container: z.string(),
  /** Folder of the lake inside the container; empty for its root. */
  path: z.string().default(""),
  /** `https://<account>.queue.core.windows.net/<queue>`, fed by an Event Grid subscription. */
  queueUrl: z.string(),
  /** Azure AD tenant of the storage account. */
  tenantId: z.string(),
  database: name.default("RETAIL"),
  schema: name.default("RAW"),
  /** Format of the lake's data files; legacy feeds are always CSV. */
  format: z.enum(["parquet", "csv", "ndjson"]).default("parquet"),
  /** Your entities, each with a RAW table and a pipe, added to the built-in ones. */
  entities: z
    .array(z.custom<Entity>((e) => typeof e === "object" && e !== null && "columns" in e))
    .optional(),
  /** `false`: tables and pipes for `entities` only, not the built-ins. Default `true`. */
  builtIns: z.boolean().default(true),
  /** Entities that also have a legacy flat-file feed under `legacy/<entity>/`; all by default. */
  legacyFeeds: z.array(z.string()).optional(),
  /**
   * Legacy layouts (`defineLegacyLayout`, the config's `layouts`): each gets a file format, a RAW
   * table `LEGACY_<LAYOUT>` of raw lines and a pipe on `legacy_raw/<layout>/`.
   */
  layouts: z
    .array(
      z.custom<SnowflakeLayout>(
        (l) =>
          typeof l === "object" && l !== null && "name" in l && "encoding" in l && "target" in l,
        { error: "expected a layout made with defineLegacyLayout" },
      ),
    )
    .default([]),
  /** Account-level names; defaults derive from the database (`RETAIL_LAKE`...). */
  storageIntegration: name.optional(),
  notificationIntegration: name.optional(),
  /** An outbound notification integration that receives pipe load errors. */
  errorIntegration: name.optional(),
  stage: name.default("LAKE"),
  roles: z
    .object({ loader: name.optional(), transformer: name.optional(), reporter: name.optional() })
    .default({}),
  /** Roles that see personal data unmasked; the transformer (dbt pseudonymises in silver) by default. */
  unmaskedRoles: z.array(name).optional(),
  /**
   * Entities whose pipe definition changed: their pipes are recreated (CREATE OR REPLACE), which
   * resets load history, then refreshed. `true` recreates every pipe.
   */
  recreatePipes: z.union([z.boolean(), z.array(z.string())]).default(false),
  /** After a recreate, refresh only files modified after this instant (ISO 8601). */
  refreshModifiedAfter: z.string().optional(),
});

/** The input of `snowpipePlan()`. */
export type SnowpipeConfig = z.input<typeof snowpipeConfigSchema>;

/**
 * The ordered, idempotent statements of a whole Snowpipe deployment on Azure: roles, database,
 * schema, file formats, integrations, stage, RAW tables (data and legacy feeds), masking of
 * personal data, one auto-ingest pipe per feed, and grants.
 *
 * Everything is `CREATE ... IF NOT EXISTS` (replacing a table, stage, integration or policy
 * would lose data, consent or bindings), and grants are idempotent, so the plan runs again
 * safely. The exception is a pipe named in `recreatePipes`: `CREATE OR REPLACE PIPE`, preceded
 * by a warning and a pause, followed by `ALTER PIPE ... REFRESH`.
 * @throws DdlError naming the config field or object at fault.
 * @example
 * const plan = snowpipePlan({ account: "retaillake", container: "lake", queueUrl, tenantId });
 * console.log(renderPlan(plan));
 */
export function snowpipePlan(input: SnowpipeConfig): DdlNode[] {
  const parsed = snowpipeConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DdlError(issue?.message ?? "invalid", {
      object: "snowpipe config",
      field: issue?.path.join(".") || "(root)",
    });
  }
  const c = parsed.data;
  const db = c.database;
  const schema = c.schema;
  const entities = registeredEntities(c);
  const legacy = new Set(c.legacyFeeds ?? entities.map((e) => e.name));
  for (const feed of legacy) {
    if (!entities.some((e) => e.name === feed)) {
      throw new DdlError(`"${feed}" is not one of the entities loaded`, {
        object: "snowpipe config",
        field: "legacyFeeds",
      });
    }
  }
  const recreate = new Set(
    c.recreatePipes === true
      ? entities.map((e) => e.name)
      : c.recreatePipes === false
        ? []
        : c.recreatePipes,
  );
  for (const r of recreate) {
    if (!entities.some((e) => e.name === r)) {
      throw new DdlError(`"${r}" is not one of the entities loaded`, {
        object: "snowpipe config",
        field: "recreatePipes",
      });
    }
  }
  // MODIFIED_AFTER belongs to the REFRESH that follows a recreated pipe: alone it would be
  // dropped, and a user expecting recent files refreshed would get nothing.
  if (c.refreshModifiedAfter !== undefined && recreate.size === 0) {
    throw new DdlError(
      "only the REFRESH after a recreated pipe takes MODIFIED_AFTER: recreate one too (--recreate-pipes <entities>, recreatePipes)",
      { object: "snowpipe config", field: "refreshModifiedAfter" },
    );
  }
  assertLayoutTablesFree(c.layouts, entities);
  const prefix = accountNamePrefix(db);
  const loader = c.roles.loader ?? `${prefix}_LOADER`;
  const transformer = c.roles.transformer ?? `${prefix}_TRANSFORMER`;
  const reporter = c.roles.reporter ?? `${prefix}_REPORTER`;
  const at = (n: string): QualifiedName => ({ database: db, schema, name: n });
  const lakeUrl = azureUrl({ account: c.account, container: c.container, path: c.path });

  const plan: DdlNode[] = [];
  plan.push(
    role(loader, "Owns nothing; reads the RAW tables, operates and monitors the pipes."),
    role(
      transformer,
      "dbt: reads RAW (personal data unmasked) and builds the bronze, silver and gold schemas.",
    ),
    role(reporter, "Reads the gold marts; granted SELECT by dbt grants on gold models."),
    grantRole(loader, "SYSADMIN"),
    grantRole(transformer, "SYSADMIN"),
    grantRole(reporter, "SYSADMIN"),
  );
  plan.push(
    createDatabase(db)
      .comment("retail-mds warehouse: RAW landed by Snowpipe, then dbt bronze, silver and gold.")
      .toNode(),
    createSchema(db, schema)
      .comment("Files from the lake as loaded by Snowpipe, one table per entity and feed.")
      .toNode(),
  );
  const dataFormat =
    c.format === "parquet"
      ? parquetFileFormat(at("LAKE_PARQUET"))
          .comment("Parquet files written by the retail-mds lake writer.")
          .toNode()
      : c.format === "ndjson"
        ? jsonFileFormat(at("LAKE_JSON"))
            .comment("NDJSON files written by the retail-mds lake writer: one object a line.")
            .toNode()
        : csvFileFormat(at("LAKE_CSV"))
            .comment(
              "CSV files written by the retail-mds lake writer: header, comma, double quotes.",
            )
            .toNode();
  const legacyFormat = csvFileFormat(at("LEGACY_CSV"))
    .comment("Legacy flat-file feeds: header, comma, double quotes, every field read as text.")
    .toNode();
  plan.push(dataFormat);
  if (legacy.size > 0) plan.push(legacyFormat);
  const raw = { database: db, schema };
  const layouts = c.layouts.map((layout) => ({
    layout,
    format: legacyLayoutFileFormat(layout, raw),
    table: snowflakeLegacyLayoutTable(layout, raw).toNode(),
  }));
  plan.push(...layouts.map((l) => l.format));

  const storage = storageIntegration(c.storageIntegration ?? `${prefix}_LAKE`, c.tenantId)
    .allow(lakeUrl)
    .comment("Read access to the retail-mds lake container.")
    .toNode();
  const events = notificationIntegration(
    c.notificationIntegration ?? `${prefix}_LAKE_EVENTS`,
    c.queueUrl,
    c.tenantId,
  )
    .comment("BlobCreated events of the lake, from Event Grid through a storage queue.")
    .toNode();
  assertOneIntegrationPerQueue([events]);
  plan.push(
    storage,
    events,
    note(
      `First deployment: DESC STORAGE INTEGRATION ${storedName(storage.name)} and DESC NOTIFICATION INTEGRATION ${storedName(events.name)},\n` +
        "open each AZURE_CONSENT_URL, then grant the apps they name Storage Blob Data Reader on the container\n" +
        "and Storage Queue Data Contributor on the queue. Until then CREATE PIPE fails to bind to the queue.\n" +
        "Apply the plan again afterwards: every statement is idempotent.",
    ),
  );
  const stage = createStage(at(c.stage), lakeUrl)
    .integration(storage)
    .comment("The retail-mds lake.")
    .toNode();
  plan.push(stage);

  const feeds = entities.flatMap((entity) => [
    { entity, feed: "data" as const },
    ...(legacy.has(entity.name) ? [{ entity, feed: "legacy" as const }] : []),
  ]);
  for (const { entity, feed } of feeds)
    plan.push(snowflakeRawTable(entity, { database: db, schema }, feed).toNode());
  plan.push(...layouts.map((l) => l.table));

  const unmasked = c.unmaskedRoles ?? [transformer];
  const piiColumns = [
    ...feeds.flatMap(({ entity, feed }) =>
      entity.columns
        .filter((col) => col.pii)
        .map((col) => ({
          table: rawTableName(entity, { database: db, schema }, feed),
          column: col.name,
          family: maskingFamily(feed === "legacy" ? "VARCHAR" : snowflakeType(col.type)),
        })),
    ),
    // A raw line holds every field of its record: masked whole when the entity has personal data.
    ...layouts.flatMap(({ table: t }) =>
      t.columns
        .filter((col) => col.pii)
        .map((col) => ({ table: t.name, column: col.name, family: maskingFamily(col.type) })),
    ),
  ];
  for (const family of [...new Set(piiColumns.map((p) => p.family))]) {
    plan.push({
      ...maskingPolicy(at(`PII_MASK_${family}`), family, unmasked),
      comment: "Personal data: only the listed roles see the value.",
    });
  }
  for (const p of piiColumns)
    plan.push(applyMasking(p.table, p.column, at(`PII_MASK_${p.family}`)));

  for (const { entity, feed } of feeds) {
    const table = rawTableName(entity, { database: db, schema }, feed);
    const pipeName = at(`${table.name}_pipe`);
    const copy = entityCopy(entity, {
      database: db,
      schema,
      feed,
      format: feed === "legacy" ? "csv" : c.format,
      stage: stage.name,
      fileFormat: feed === "legacy" ? legacyFormat.name : dataFormat.name,
    }).toNode();
    let pipe = createPipe(pipeName)
      .integration(events)
      .copy(copy)
      .comment(
        `Auto-ingest of ${feed === "legacy" ? "legacy/" : ""}${entity.name}/ into ${table.name.toUpperCase()}.`,
      );
    if (c.errorIntegration) pipe = pipe.errorIntegration(c.errorIntegration);
    if (recreate.has(entity.name)) {
      plan.push(
        note(
          `recreating pipe ${pipeName.name.toUpperCase()} resets its load history: files it loaded before can be loaded again.\nThe REFRESH below queues files staged in the last 7 days${c.refreshModifiedAfter ? ` and modified after ${c.refreshModifiedAfter}` : ""}; silver de-duplicates on the natural key.`,
          "warning",
        ),
        pausePipeNode(pipeName),
        pipe.replace().toNode(),
        refreshPipeNode(
          pipeName,
          c.refreshModifiedAfter ? { modifiedAfter: c.refreshModifiedAfter } : {},
        ),
      );
    } else {
      plan.push(pipe.toNode());
    }
  }

  const layoutPipes = layouts.map(({ layout, format, table }) => {
    const copy = legacyLayoutCopy(layout, { ...raw, stage: stage.name, fileFormat: format.name });
    let pipe = createPipe(at(`${table.name.name}_pipe`))
      .integration(events)
      .copy(copy.toNode())
      .comment(
        `Auto-ingest of ${legacyLayoutFolder(layout)} (legacy layout ${layout.name}) into ${table.name.name.toUpperCase()}.`,
      );
    if (c.errorIntegration) pipe = pipe.errorIntegration(c.errorIntegration);
    return pipe.toNode();
  });
  plan.push(...layoutPipes);

  const dbTarget = { type: "DATABASE", database: db } as const;
  const schemaTarget = { database: db, schema };
  plan.push(
    grant(["USAGE"], dbTarget, loader),
    grant(["USAGE"], { type: "SCHEMA", ...schemaTarget }, loader),
    grant(["SELECT"], { type: "ALL TABLES IN SCHEMA", ...schemaTarget }, loader),
    grant(["SELECT"], { type: "FUTURE TABLES IN SCHEMA", ...schemaTarget }, loader),
    grant(["USAGE"], { type: "STAGE", name: stage.name }, loader),
    grant(["USAGE"], { type: "FILE FORMAT", name: dataFormat.name }, loader),
    ...(legacy.size > 0
      ? [grant(["USAGE"], { type: "FILE FORMAT", name: legacyFormat.name }, loader)]
      : []),
    ...layouts.map(({ format }) =>
      grant(["USAGE"], { type: "FILE FORMAT", name: format.name }, loader),
    ),
    ...feeds.map(({ entity, feed }) =>
      grant(
        ["OPERATE", "MONITOR"],
        {
          type: "PIPE",
          name: at(`${rawTableName(entity, { database: db, schema }, feed).name}_pipe`),
        },
        loader,
      ),
    ),
    ...layoutPipes.map((p) =>
      grant(["OPERATE", "MONITOR"], { type: "PIPE", name: p.name }, loader),
    ),
    grant(["USAGE", "CREATE SCHEMA"], dbTarget, transformer),
    grant(["USAGE"], { type: "SCHEMA", ...schemaTarget }, transformer),
    grant(["SELECT"], { type: "ALL TABLES IN SCHEMA", ...schemaTarget }, transformer),
    grant(["SELECT"], { type: "FUTURE TABLES IN SCHEMA", ...schemaTarget }, transformer),
    grant(["USAGE"], dbTarget, reporter),
  );
  return plan;
}

/**
 * A layout's RAW table must not be an entity's (`<entity>` or `<entity>_legacy`), nor another
 * layout's: two feeds in one table would mix their rows. Names compare as Snowflake folds them.
 */
function assertLayoutTablesFree(layouts: readonly SnowflakeLayout[], entities: readonly Entity[]) {
  const taken = new Map<string, string>();
  for (const e of entities) {
    taken.set(e.name.toUpperCase(), `the RAW table of entity "${e.name}"`);
    taken.set(`${e.name}_legacy`.toUpperCase(), `the legacy-feed RAW table of entity "${e.name}"`);
  }
  for (const l of layouts) {
    const table = `legacy_${l.name}`;
    const owner = taken.get(table.toUpperCase());
    if (owner) {
      throw new DdlError(
        `layout "${l.name}" would load into ${table.toUpperCase()}, which is already ${owner}; rename the layout`,
        { object: "snowpipe config", field: "layouts" },
      );
    }
    taken.set(table.toUpperCase(), `the RAW table of layout "${l.name}"`);
  }
}
