/**
 * quality: typed rules derived from the entities, evaluated in-stream over batches (with
 * quarantine and reconciled counts) and compiled to SQL and dbt tests. See docs/quality.md.
 * @module
 */

export {
  type CheckLakeOptions,
  type CheckLakeResult,
  checkLake,
  type UnreadableFile,
} from "./check-lake.js";
export { type CompiledSql, ruleSetToSql, ruleToSql, type SqlOptions } from "./compile-sql.js";
export {
  type DbtModelTests,
  type DbtTest,
  type DbtTestOptions,
  dbtTestsOf,
  toDbtTests,
} from "./dbt-tests.js";
export { defaultRules } from "./default-rules.js";
export { entityRules, legacyFeedRules, qualityRules } from "./entity-rules.js";
export {
  type BatchSource,
  createEvaluator,
  type EvaluatorOptions,
  evaluateBatches,
  QualityEvaluator,
  type RuleFailure,
  type SplitResult,
} from "./evaluator.js";
export {
  type LakeQuarantine,
  type LakeQuarantineOptions,
  lakeQuarantine,
  type QuarantineLine,
} from "./lake-quarantine.js";
export { QualityError, ReconciliationError, RuleDefinitionError } from "./quality-error.js";
export {
  type FailureSample,
  formatReport,
  type QualityReport,
  type RuleReport,
  reconcile,
} from "./quality-report.js";
export { referenceKeys } from "./reference-keys.js";
export {
  type AnyRecord,
  type Bound,
  type FreshnessReference,
  Rule,
  type RuleKind,
  type RuleSpec,
  type Severity,
  type SqlTwin,
} from "./rule.js";
export {
  acceptedValues,
  type ExpressionDefinition,
  expressionIsTrue,
  type FreshnessOptions,
  inRange,
  isFresh,
  isUnique,
  matchesRegex,
  notNull,
  type RangeBounds,
  referencesKeyOf,
  rowCountBetween,
} from "./rule-builders.js";
export { RuleSet, ruleSet } from "./rule-set.js";
export type { SqlDialect } from "./sql-dialect.js";
