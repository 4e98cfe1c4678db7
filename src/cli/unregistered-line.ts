import { type UnregisteredEntity, unregisteredMessage } from "../lake/index.js";

/** How `load` and `quality` print the files of an entity nobody registered: the same words. */
export function unregisteredLine(unregistered: UnregisteredEntity): string {
  return `not registered ${unregisteredMessage(unregistered)}`;
}
