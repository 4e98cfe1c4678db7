import type { Entity } from "../entities/index.js";
import type { Rule } from "./rule.js";
import { acceptedValues, inRange, isUnique, matchesRegex, notNull } from "./rule-builders.js";
import { RuleSet } from "./rule-set.js";

/**
 * The rules an entity's definition implies: its key unique and not null, every non-nullable
 * column not null, enums accepted, column bounds as ranges and string patterns as regexes.
 * @example
 * defaultRules(saleLine).rules.map((r) => r.name); // ["unique_sale_line_transaction_id__line_no", ...]
 */
export function defaultRules<E extends Entity>(entity: E): RuleSet<E> {
  type C = Extract<keyof E["docs"], string>;
  const rules: Rule[] = [isUnique(entity, entity.key as unknown as C[])];
  const keyColumns = new Set<string>(entity.key);
  for (const column of entity.columns) {
    const name = column.name as C;
    if (!column.nullable || keyColumns.has(column.name)) rules.push(notNull(entity, name));
    if (column.values) rules.push(acceptedValues(entity, name, column.values));
    if (column.min !== undefined || column.max !== undefined) {
      rules.push(
        inRange(entity, name, {
          ...(column.min !== undefined ? { min: column.min } : {}),
          ...(column.max !== undefined ? { max: column.max } : {}),
        }),
      );
    }
    (column.patterns ?? []).forEach((pattern, i) => {
      const rule = matchesRegex(entity, name, pattern);
      rules.push(i === 0 ? rule : rule.named(`${rule.name}_${i + 1}`));
    });
  }
  return new RuleSet(entity, rules);
}
