import type { Entity, ValidationError } from "../entities/index.js";

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

/**
 * Checks every record of a batch against its entity schema (`entity.check` takes a compiled
 * fast path and falls back to zod, so this stays cheap on the hot path).
 * @throws GeneratedRecordError on the first invalid record.
 */
export function validateRecords(entity: Entity, records: readonly unknown[]): void {
  for (let i = 0; i < records.length; i++) {
    const result = entity.check(records[i]);
    if (!result.ok) throw new GeneratedRecordError(entity.name, i, result.error);
  }
}
