/**
 * snowflake: see docs/snowflake.md.
 * @module
 */
export {};
