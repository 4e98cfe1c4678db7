import type { Entity } from "../entities/index.js";

/** The lake formats a pipe can load (legacy feeds are always CSV). */
export type LakeDataFormat = "parquet" | "csv" | "ndjson";

const EXTENSION: Record<LakeDataFormat, string> = {
  parquet: "parquet",
  csv: "csv([.]gz)?",
  ndjson: "ndjson([.]gz)?",
};
const PARTITION: Record<Entity["partition"], string> = {
  none: "",
  day: "dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/",
  hour: "dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/",
};

/**
 * The PATTERN of an entity's pipe: the lake writer's own file names (`lakePath`, with or
 * without the store group a lake written with `storeGroups` > 1 names), and nothing else (no other entity or feed, no quarantine, manifest or `.tmp` file).
 *
 * The CREATE PIPE usage notes say Snowpipe trims the stage URL *and the FROM clause's path*
 * before applying the pattern, while the page's first sentence reads as if only the stage URL
 * were trimmed. So the folders of the FROM path (`legacy/store/`) are optional here: the pattern
 * fully matches `store/store-...parquet` (stage trimmed) and `store-...parquet` (FROM trimmed
 * too). It is anchored, so it holds whether PATTERN is applied as a full match or a search.
 * @see https://docs.snowflake.com/en/sql-reference/sql/create-pipe#usage-notes
 * @example
 * entityFilePattern(store, "data", "parquet")
 * // ^(store/)?store-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]parquet$
 */
export function entityFilePattern(
  entity: Pick<Entity, "name" | "partition">,
  feed: "data" | "legacy",
  format: LakeDataFormat,
): string {
  const from = `${feed === "legacy" ? "legacy/" : ""}${entity.name}/`;
  const extension = EXTENSION[feed === "legacy" ? "csv" : format];
  return `^(${from})?${PARTITION[entity.partition]}${entity.name}-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]${extension}$`;
}
