/**
 * generators: see docs/generators.md.
 * @module
 */
export {};
