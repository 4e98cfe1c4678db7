import { z } from "zod";
import type { Entity } from "../entities/define-entity.js";
import type { EntityGenerator } from "../generators/define-generator.js";
import { simulationConfigSchema } from "../generators/simulation-config.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import { isLegacyLayout } from "../legacy/load-legacy-layout.js";

// Structural, not `instanceof`: the CLI bundle and the package the config file imports are two
// copies of the code, so an entity defined in the config is never the CLI's own class instance.
const entitySchema = z.custom<Entity>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    typeof (value as Entity).name === "string" &&
    Array.isArray((value as Entity).columns) &&
    typeof (value as Entity).check === "function",
  { error: "expected an entity made with defineEntity (from retail-mds/entities)" },
);

// Structural too: a generator the config made with its own copy of the library.
const generatorSchema = z.custom<EntityGenerator>(
  (value) =>
    typeof value === "object" &&
    value !== null &&
    entitySchema.safeParse((value as EntityGenerator).entity).success &&
    typeof (value as EntityGenerator).generate === "function",
  { error: "expected a generator made with defineGenerator (from retail-mds/generators)" },
);

// Structural too, for the same reason: a layout the config made with its own copy of the library.
const layoutSchema = z.custom<LegacyLayout>(isLegacyLayout, {
  error: "expected a layout made with defineLegacyLayout (from retail-mds/legacy)",
});

const path = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `expected the path of ${what} (relative to the config file)` });

/**
 * The schema of `retail-mds.config.*`. Every key is optional; paths are relative to the
 * config file's folder. Command-line flags override what the config says.
 */
export const configSchema = z.strictObject({
  /** Your own entities, added to the built-in ones (store, product, ... stock_snapshot). */
  entities: z.array(entitySchema).readonly().default([]),
  /** Generators of your entities (`defineGenerator`): `generate` runs them with the simulation. */
  generators: z.array(generatorSchema).readonly().default([]),
  /** Legacy flat-file layouts (`defineLegacyLayout`), each mapped onto one entity. */
  layouts: z.array(layoutSchema).readonly().default([]),
  lake: z
    .strictObject({
      /** The lake folder. */
      path: path("the lake folder").default("./lake"),
      /** Format of the data files written. */
      format: z.enum(["parquet", "csv", "ndjson"]).default("parquet"),
    })
    .prefault({}),
  warehouse: z
    .strictObject({
      /** The DuckDB database file; the demo's report goes beside it. */
      database: path("the DuckDB file").default("./warehouse/retail.duckdb"),
      /** ON_ERROR of the local pipe for a file holding bad rows. */
      onError: z.enum(["skip_file", "continue", "abort_statement"]).default("skip_file"),
    })
    .prefault({}),
  dbt: z
    .strictObject({
      /** The dbt project folder. */
      project: path("the dbt project folder").default("./dbt"),
    })
    .prefault({}),
  /** Where the lake lives in Azure, for `ddl`. */
  azure: z
    .strictObject({
      account: z.string().optional(),
      container: z.string().optional(),
      /** Folder of the lake inside the container. */
      path: z.string().default(""),
      /** `https://<account>.queue.core.windows.net/<queue>`, fed by Event Grid. */
      queueUrl: z.string().optional(),
      tenantId: z.string().optional(),
    })
    .prefault({}),
  /** Snowflake names for `ddl`. */
  snowflake: z
    .strictObject({
      database: z.string().default("RETAIL"),
      schema: z.string().default("RAW"),
      /** Outbound notification integration for pipe errors. */
      errorIntegration: z.string().optional(),
    })
    .prefault({}),
  /** The demo's parallel run (`demo`, and `runLocalPipeline` through `configPipelineOptions`). */
  demo: z
    .strictObject({
      /**
       * The legacy feed: a layout (`defineLegacyLayout`), the name of one in `layouts`,
       * `pos_fr_sale_line` (the shipped French POS layout, the default) or `legacy-csv` (the
       * canonical CSV feed of every built-in entity). Setting it turns the parallel run on.
       */
      legacyLayout: z.union([z.string().trim().min(1), layoutSchema]).optional(),
      /** Share of legacy rows (and files) with defects, 0-1; setting it turns the parallel run on. */
      legacyDefects: z.number().min(0).max(1).optional(),
    })
    .prefault({}),
  /** Defaults of `generate` and `demo`; each command has its own when this is silent. */
  simulation: simulationConfigSchema
    // A shard is one machine's part of a run, not a project default: `generate --shard`.
    .omit({ shard: true })
    .partial()
    .extend({ batchSize: z.int().min(1).max(1_000_000).optional() })
    .prefault({}),
});

/** What a `retail-mds.config.*` file exports (every key optional). */
export type ConfigInput = z.input<typeof configSchema>;
/** A config after its schema: defaults filled in, paths not yet resolved. */
export type ConfigOutput = z.output<typeof configSchema>;
