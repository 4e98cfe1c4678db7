import { customer } from "./customer.js";
import type { Entity } from "./define-entity.js";
import { product } from "./product.js";
import { saleLine } from "./sale-line.js";
import { stockMovement } from "./stock-movement.js";
import { stockSnapshot } from "./stock-snapshot.js";
import { store } from "./store.js";

const BUILT_INS: readonly Entity[] = [
  store,
  product,
  customer,
  saleLine,
  stockMovement,
  stockSnapshot,
] as Entity[];

/**
 * The `entities` option every call that takes entities shares (`openLocalPipe`, `checkLake`,
 * `snowpipePlan`, `renderDbtSources`, `renderDbtLayers`): yours are added to the built-in ones.
 */
export interface EntitiesOption {
  /**
   * Your entities, added to the six built-in ones; one with a built-in's name takes its place.
   * Listing the built-ins too (a project config's `entities` does) changes nothing.
   */
  readonly entities?: readonly Entity[];
  /** `false`: only `entities`, without the built-ins. Default `true`. */
  readonly builtIns?: boolean;
}

/**
 * The entities a call works with: the built-ins (unless `builtIns: false`), then the others
 * given, each name once, in dependency order of the built-ins then in the order given.
 * @example
 * registeredEntities({ entities: [priceChange] }).map((e) => e.name);
 * // ["store", "product", "customer", "sale_line", "stock_movement", "stock_snapshot", "price_change"]
 */
export function registeredEntities(option: EntitiesOption = {}): Entity[] {
  const byName = new Map<string, Entity>();
  if (option.builtIns !== false) for (const entity of BUILT_INS) byName.set(entity.name, entity);
  for (const entity of option.entities ?? []) byName.set(entity.name, entity);
  return [...byName.values()];
}

/** Whether an entity is one of the six built-in ones, by name. */
export function isBuiltInEntity(name: string): boolean {
  return BUILT_INS.some((entity) => entity.name === name);
}
