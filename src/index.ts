/**
 * retail-mds: typed building blocks for retail data pipelines. Each capability is also a
 * subpath export (`retail-mds/entities`, `retail-mds/lake`, ...).
 * @module
 */
export * from "./config/index.js";
export * from "./dbt/index.js";
export * from "./entities/index.js";
export * from "./generators/index.js";
export * from "./lake/index.js";
export * from "./legacy/index.js";
export * from "./pipeline/index.js";
export * from "./quality/index.js";
export * from "./snowflake/index.js";
export * from "./warehouse/index.js";
