import type { Batch, TimeWindow } from "./batch.js";
import { isoDateOfDay } from "./civil-date.js";
import { fromUnits } from "./decimal.js";
import type { Entity, RecordOf } from "./define-entity.js";
import type { LogicalType } from "./logical-type.js";

/**
 * One column of a `ColumnBatch`, in the physical form a generator holds it in: numbers in typed
 * arrays, strings either one per row or as codes into a list of distinct values. A null is `-1`
 * in `codes`, `null` in `values` of a string column, 2 in a boolean column, and a 1 in `nulls`
 * for the numeric kinds (its value slot is then ignored).
 */
export type ColumnValues =
  /** An `int` column. */
  | { readonly kind: "int"; readonly values: Int32Array; readonly nulls?: Uint8Array }
  /** A `boolean` column: 0 false, 1 true, 2 null. */
  | { readonly kind: "boolean"; readonly values: Uint8Array }
  /** A `decimal(p,s)` column: whole numbers of 10^-s units, exact while |units| <= 2^53 - 1. */
  | { readonly kind: "decimal"; readonly values: Float64Array; readonly nulls?: Uint8Array }
  /** A `date` column: days since 1970-01-01. */
  | { readonly kind: "date"; readonly values: Int32Array; readonly nulls?: Uint8Array }
  /** A `timestamp` column: whole milliseconds since the epoch, UTC. */
  | { readonly kind: "timestamp"; readonly values: Float64Array; readonly nulls?: Uint8Array }
  /** A `string` column, a value per row. */
  | { readonly kind: "string"; readonly values: readonly (string | null)[] }
  /**
   * A `string` column of few distinct values (store, SKU, enums): `dictionary[codes[i]]`, `-1`
   * for null. The dictionary may hold values no row uses (every SKU of the assortment, say).
   */
  | {
      readonly kind: "dictionary";
      readonly dictionary: readonly string[];
      readonly codes: Int32Array;
    };

/**
 * A batch as columns: what a generator that builds its rows by construction hands the lake
 * writer without making a record object per row. `columns[c]` is the entity's column `c`, in
 * the entity's order, each `length` rows long. It means exactly the batch of records
 * `columnBatchRecords` gives, and the lake writes the same files from either. The lake writer
 * keeps the arrays (not copies) until the files holding the batch's rows close: once handed to
 * `write`, a batch is never written into again (build the next one in new arrays).
 */
export interface ColumnBatch<E extends Entity = Entity> {
  readonly entity: E;
  readonly window: TimeWindow;
  readonly length: number;
  readonly columns: readonly ColumnValues[];
}

/** Whether a batch is a `ColumnBatch` (else a `Batch` of records). */
export function isColumnBatch(batch: Batch | ColumnBatch): batch is ColumnBatch {
  return "columns" in batch;
}

/** The column kinds that may carry a column of each logical type. */
export function columnKindsOf(type: LogicalType): readonly ColumnValues["kind"][] {
  return type.kind === "string" ? ["string", "dictionary"] : [type.kind];
}

/**
 * The records a column batch means, in canonical form (decimals, dates and timestamps as the
 * text the entity's schema takes): the slow, obviously right reading of a `ColumnBatch`, for
 * consumers that want records and for tests of the columnar path.
 */
export function columnBatchRecords<E extends Entity>(
  batch: ColumnBatch<E>,
  /** Only these rows, in this order (default every row). */
  rows?: ArrayLike<number>,
): RecordOf<E>[] {
  const { entity } = batch;
  const length = rows ? rows.length : batch.length;
  const records = Array.from({ length }, () => ({}) as Record<string, unknown>);
  entity.columns.forEach((column, c) => {
    const values = batch.columns[c];
    if (!values || !columnKindsOf(column.type).includes(values.kind))
      throw new TypeError(
        `${entity.name}.${column.name}: a ${column.type.kind} column cannot be given as ${values?.kind ?? "nothing"}`,
      );
    const value = valueReader(column.type, values);
    for (let i = 0; i < length; i++)
      (records[i] as Record<string, unknown>)[column.name] = value(rows ? (rows[i] as number) : i);
  });
  return records as RecordOf<E>[];
}

function valueReader(type: LogicalType, column: ColumnValues): (i: number) => unknown {
  switch (column.kind) {
    case "boolean":
      return (i) => (column.values[i] === 2 ? null : column.values[i] === 1);
    case "string":
      return (i) => column.values[i] ?? null;
    case "dictionary":
      return (i) => {
        const code = column.codes[i] as number;
        return code < 0 ? null : (column.dictionary[code] as string);
      };
    default: {
      const { values, nulls } = column;
      const text = canonicalOf(type, column.kind);
      return (i) => (nulls?.[i] ? null : text(values[i] as number));
    }
  }
}

function canonicalOf(type: LogicalType, kind: ColumnValues["kind"]): (n: number) => unknown {
  if (kind === "decimal") return (n) => fromUnits(n, type.kind === "decimal" ? type.scale : 0);
  if (kind === "date") return (n) => isoDateOfDay(n);
  if (kind === "timestamp") return (n) => new Date(n).toISOString();
  return (n) => n;
}
