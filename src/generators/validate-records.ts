import type { Entity, ValidationError } from "../entities/index.js";
import { compileRecordCheck, type RecordCheck } from "./record-check.js";

/** A generated record failed its own entity schema: a bug in the generator, never in the data. */
export class GeneratedRecordError extends Error {
  override readonly name = "GeneratedRecordError";
  constructor(
    readonly entity: string,
    /** 0-based position of the record in its batch. */
    readonly index: number,
    override readonly cause: ValidationError,
  ) {
    super(
      `generator produced an invalid ${entity} record (batch position ${index}): ${cause.message}`,
    );
  }
}

const compiled = new WeakMap<Entity, RecordCheck>();

/**
 * Checks every record of a batch against its entity schema. Event entities (the hot path) go
 * through a check compiled from the column model, never looser than zod; zod's own
 * `entity.check` runs on reference entities, on the first record of every batch (so any drift
 * between the two shows at once), and on any record the compiled check refuses.
 * @throws GeneratedRecordError on the first invalid record.
 */
export function validateRecords(entity: Entity, records: readonly unknown[]): void {
  let fast = compiled.get(entity);
  if (!fast && entity.partition !== "none") {
    fast = compileRecordCheck(entity);
    compiled.set(entity, fast);
  }
  for (let i = 0; i < records.length; i++) {
    if (fast && i > 0 && fast(records[i])) continue;
    const result = entity.check(records[i]);
    if (!result.ok) throw new GeneratedRecordError(entity.name, i, result.error);
  }
}
