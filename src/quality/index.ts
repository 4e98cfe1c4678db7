/**
 * quality: see docs/quality.md.
 * @module
 */
export {};
