import type { Batch } from "../entities/index.js";

/**
 * The natural keys of reference data, by entity name, in the shape `createEvaluator`'s
 * `references` option takes. Gathers every batch: reference data may span several per entity.
 * @example
 * const evaluator = createEvaluator(qualityRules(saleLine), { references: referenceKeys(sim.reference()) });
 */
export function referenceKeys(batches: Iterable<Batch>): Record<string, Set<string>> {
  const keys: Record<string, Set<string>> = {};
  for (const { entity, records } of batches) {
    const set = keys[entity.name] ?? new Set<string>();
    keys[entity.name] = set;
    for (const record of records) set.add(entity.keyOf(record));
  }
  return keys;
}
