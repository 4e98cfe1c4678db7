import { z } from "zod";
import { parseNcrontab } from "./ncrontab.js";

/** The function's app settings (environment), checked once at start-up. */
export const settingsSchema = z.object({
  /** NCRONTAB of the timer; each run generates the windows between its occurrences. */
  RETAIL_MDS_TICK_SCHEDULE: z.string().default("0 */5 * * * *"),
  /** `adls` (hierarchical namespace, FlushWithClose events) or `blob`. */
  RETAIL_MDS_STORE_KIND: z.enum(["adls", "blob"]).default("adls"),
  /** When set, used instead of the managed identity (Azurite, local runs). Never logged. */
  RETAIL_MDS_CONNECTION_STRING: z.string().min(1).optional(),
  /** `https://<account>.dfs.core.windows.net` (or `.blob.`), for the managed identity. */
  RETAIL_MDS_ACCOUNT_URL: z.url().optional(),
  RETAIL_MDS_CONTAINER: z
    .string()
    .regex(
      /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/,
      "must be a container name (3-63 lowercase letters, digits, single hyphens)",
    )
    .default("landing"),
  RETAIL_MDS_PREFIX: z.string().default(""),
  /**
   * Only without Event Grid (Azurite, local runs): the function sends its own BlobCreated events
   * to this queue. Leave unset in Azure, where Event Grid sends them.
   */
  RETAIL_MDS_EVENT_QUEUE: z
    .string()
    .regex(
      /^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/,
      "must be a queue name (3-63 lowercase letters, digits, single hyphens)",
    )
    .optional(),
  RETAIL_MDS_FORMAT: z.enum(["parquet", "csv", "ndjson"]).default("parquet"),
  RETAIL_MDS_SEED: z.coerce.number().int().min(0).default(42),
  /** First business day of the simulated period; ticks outside the period produce nothing. */
  RETAIL_MDS_SIM_FROM: z.iso.date().default("2026-01-01"),
  RETAIL_MDS_SIM_DAYS: z.coerce.number().int().min(1).max(3660).default(3650),
  RETAIL_MDS_STORES: z.coerce.number().int().min(1).default(20),
  RETAIL_MDS_PRODUCTS: z.coerce.number().int().min(1).default(2000),
  RETAIL_MDS_TRAFFIC: z.coerce.number().positive().default(1),
  /**
   * Every tick saves a checkpoint of the simulation at its end (a cold start then begins at its
   * window), replaced by the next one; one is kept for good whenever a store's business day
   * moves on and this many minutes after the last kept, for windows further back (a retried or
   * backfilled window resumes from the latest at or before its start). Fewer minutes, more files.
   */
  RETAIL_MDS_CHECKPOINT_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  /**
   * `i/n` (1-based): this function app generates only shard i of n, the stores S00k with
   * (k - 1) mod n = i - 1, into files of store group i. n apps with 1/n .. n/n together write
   * what one app with RETAIL_MDS_STORE_GROUPS=n writes.
   */
  RETAIL_MDS_SHARD: z
    .string()
    .regex(/^\d{1,3}\/\d{1,3}$/, "must be i/n with 1 <= i <= n, e.g. 2/3")
    .transform((text) => {
      const [index, count] = text.split("/").map(Number) as [number, number];
      return { index, count };
    })
    .refine((s) => s.index >= 1 && s.index <= s.count, "must be i/n with 1 <= i <= n, e.g. 2/3")
    .optional(),
  /** Split each event file by store group (1-999, default 1; with RETAIL_MDS_SHARD: its n). */
  RETAIL_MDS_STORE_GROUPS: z.coerce.number().int().min(1).max(999).optional(),
  /**
   * Windows are computed in UTC; a function app with another WEBSITE_TIME_ZONE would shift the
   * timer against them, so only UTC is accepted.
   */
  WEBSITE_TIME_ZONE: z.enum(["UTC", "Etc/UTC", "Coordinated Universal Time"]).optional(),
});

export type Settings = z.output<typeof settingsSchema>;

/** An app setting is missing or wrong; the message names the setting. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`app setting ${setting} ${reason}`);
  }
}

/**
 * Reads and checks the app settings.
 * @throws SettingsError naming the first bad setting.
 * @example
 * const settings = readSettings(process.env);
 */
export function readSettings(env: Record<string, string | undefined>): Settings {
  // An empty app setting means "not set", as in the portal.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SettingsError(String(issue?.path[0] ?? "?"), issue?.message ?? "is invalid");
  }
  const settings = parsed.data;
  if (!settings.RETAIL_MDS_CONNECTION_STRING && !settings.RETAIL_MDS_ACCOUNT_URL) {
    throw new SettingsError(
      "RETAIL_MDS_ACCOUNT_URL",
      "must be set (the managed identity signs in to it) when RETAIL_MDS_CONNECTION_STRING is not",
    );
  }
  const shard = settings.RETAIL_MDS_SHARD;
  if (shard && shard.count > settings.RETAIL_MDS_STORES) {
    throw new SettingsError(
      "RETAIL_MDS_SHARD",
      `must have n at most RETAIL_MDS_STORES (${settings.RETAIL_MDS_STORES}): a shard needs a store`,
    );
  }
  if (shard && settings.RETAIL_MDS_STORE_GROUPS !== undefined) {
    if (settings.RETAIL_MDS_STORE_GROUPS !== shard.count)
      throw new SettingsError(
        "RETAIL_MDS_STORE_GROUPS",
        `must be the shard count (${shard.count}) with RETAIL_MDS_SHARD, or unset`,
      );
  }
  try {
    parseNcrontab(settings.RETAIL_MDS_TICK_SCHEDULE);
  } catch (error) {
    throw new SettingsError(
      "RETAIL_MDS_TICK_SCHEDULE",
      `is not a valid schedule: ${(error as Error).message}`,
    );
  }
  return settings;
}
