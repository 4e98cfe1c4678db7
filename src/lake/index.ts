/**
 * lake: see docs/lake.md.
 * @module
 */
export {};
