/** A rule was defined wrongly: an unknown column, a bound of the wrong type, a bad name. */
export class RuleDefinitionError extends Error {
  override readonly name = "RuleDefinitionError";
  constructor(
    readonly entity: string,
    readonly rule: string,
    detail: string,
  ) {
    super(`rule "${rule}" on ${entity}: ${detail}`);
  }
}

/**
 * An error-severity rule failed (`assertOk()`), a rule could not be judged (freshness against a
 * batch window with no window given) or compiled. Names the rule, entity, and row and file when
 * there is one.
 */
export class QualityError extends Error {
  override readonly name = "QualityError";
  constructor(
    readonly entity: string,
    readonly rule: string,
    message: string,
    readonly row?: number,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** Counts that must add up did not: `input = passed + quarantined`, or a sink lost records. */
export class ReconciliationError extends Error {
  override readonly name = "ReconciliationError";
  constructor(
    readonly entity: string,
    readonly counts: Readonly<Record<string, number>>,
    detail: string,
  ) {
    super(`${entity}: counts do not reconcile: ${detail} (${formatCounts(counts)})`);
  }
}

function formatCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}
