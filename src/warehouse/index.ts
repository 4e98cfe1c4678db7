/**
 * warehouse: see docs/warehouse.md.
 * @module
 */
export {};
