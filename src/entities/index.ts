/**
 * Retail entities, each defined once as a zod schema plus column docs. Types, columns, JSON
 * Schema, file layouts, DDL and quality rules all derive from these definitions.
 * @module
 */
import { customer } from "./customer.js";
import type { RecordOf } from "./define-entity.js";
import { product } from "./product.js";
import { saleLine } from "./sale-line.js";
import { stockMovement } from "./stock-movement.js";
import { stockSnapshot } from "./stock-snapshot.js";
import { store } from "./store.js";

export { type Batch, isBatchOf, type TimeWindow } from "./batch.js";
export { countryCode, currencyCode, customerId, sku, storeId } from "./codes.js";
export { type Column, type ColumnDoc, columnOf, typeName } from "./column.js";
export {
  type ColumnBatch,
  type ColumnValues,
  columnBatchRecords,
  columnKindsOf,
  isColumnBatch,
} from "./column-batch.js";
export { type ColumnBatchCheck, columnBatchCheckOf } from "./column-check.js";
export { divRound, fromUnits, isDecimal, toUnits } from "./decimal.js";
export {
  type CheckResult,
  defineEntity,
  type Entity,
  type EntityDefinition,
  type Partitioning,
  type RecordOf,
} from "./define-entity.js";
export { decimal, isoDate, text, utcTimestamp } from "./field-types.js";
export {
  type DecimalBounds,
  decimalPattern,
  type FieldMeta,
  fieldTypes,
  type LogicalType,
} from "./logical-type.js";
export {
  type EntitiesOption,
  isBuiltInEntity,
  registeredEntities,
} from "./registered-entities.js";
export { type FieldIssue, type RecordLocation, ValidationError } from "./validation-error.js";
export { customer, product, saleLine, stockMovement, stockSnapshot, store };

export type Store = RecordOf<typeof store>;
export type Product = RecordOf<typeof product>;
export type Customer = RecordOf<typeof customer>;
export type SaleLine = RecordOf<typeof saleLine>;
export type StockMovement = RecordOf<typeof stockMovement>;
export type StockSnapshot = RecordOf<typeof stockSnapshot>;

/** Every built-in entity by name, in dependency order (references before facts). */
export const entities = {
  store,
  product,
  customer,
  sale_line: saleLine,
  stock_movement: stockMovement,
  stock_snapshot: stockSnapshot,
} as const;

/** Name of a built-in entity. */
export type EntityName = keyof typeof entities;
