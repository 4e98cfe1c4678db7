import type { Entity } from "../entities/index.js";
import { RuleDefinitionError } from "./quality-error.js";
import type { Rule } from "./rule.js";

/**
 * The rules of one entity, in order, with unique names. Immutable: `with` and `without` return
 * new sets, so a user extends the defaults without touching them.
 */
export class RuleSet<E extends Entity = Entity> {
  readonly entity: E;
  readonly rules: readonly Rule[];

  constructor(entity: E, rules: readonly Rule[] = []) {
    const names = new Set<string>();
    for (const rule of rules) {
      if (rule.entity.name !== entity.name) {
        throw new RuleDefinitionError(
          entity.name,
          rule.name,
          `is a rule of ${rule.entity.name}, not of ${entity.name}`,
        );
      }
      if (names.has(rule.name)) {
        throw new RuleDefinitionError(
          entity.name,
          rule.name,
          "appears twice; rename one with .named()",
        );
      }
      names.add(rule.name);
    }
    this.entity = entity;
    this.rules = Object.freeze([...rules]);
    Object.freeze(this);
  }

  /** A set with `rules` added; a rule whose name is already there replaces the old one in place. */
  with(...rules: readonly Rule[]): RuleSet<E> {
    const byName = new Map(this.rules.map((r) => [r.name, r] as const));
    const added: Rule[] = [];
    for (const rule of rules) {
      if (byName.has(rule.name)) byName.set(rule.name, rule);
      else added.push(rule);
    }
    return new RuleSet(this.entity, [...byName.values(), ...added]);
  }

  /** A set without the rules named; naming a rule that is not there is an error (a typo). */
  without(...names: readonly string[]): RuleSet<E> {
    for (const name of names) {
      if (!this.rules.some((r) => r.name === name)) {
        throw new RuleDefinitionError(
          this.entity.name,
          name,
          `is not in the set; rules: ${this.rules.map((r) => r.name).join(", ")}`,
        );
      }
    }
    return new RuleSet(
      this.entity,
      this.rules.filter((r) => !names.includes(r.name)),
    );
  }

  /** The rule of that name, if any. */
  get(name: string): Rule | undefined {
    return this.rules.find((r) => r.name === name);
  }
}

/**
 * A rule set from rules of one entity.
 * @example
 * const rules = ruleSet(saleLine, notNull(saleLine, "sku"), unique(saleLine, ["transaction_id", "line_no"]));
 */
export function ruleSet<E extends Entity>(entity: E, ...rules: readonly Rule[]): RuleSet<E> {
  return new RuleSet(entity, rules);
}
