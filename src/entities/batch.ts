import type { Entity, RecordOf } from "./define-entity.js";

/** A half-open window of event time `[from, to)`, as ISO instants in UTC. */
export interface TimeWindow {
  readonly from: string;
  readonly to: string;
}

/**
 * Whether a batch holds records of `entity` (by name): narrows `batch.records` to its type.
 * @example
 * for (const batch of sim.generate()) {
 *   if (isBatchOf(batch, saleLine)) batch.records[0]?.net_amount; // string
 * }
 */
export function isBatchOf<E extends Entity>(
  batch: { readonly entity: { readonly name: string } },
  entity: E,
): batch is Batch<E> {
  return batch.entity.name === entity.name;
}

/**
 * The unit of data flow: records of one entity from one window. Validation, encoding and
 * back-pressure all work per batch, never per record.
 */
export interface Batch<E extends Entity = Entity> {
  readonly entity: E;
  readonly records: readonly RecordOf<E>[];
  /** The generation window the records belong to; it names the files they land in. */
  readonly window: TimeWindow;
}
