import { type UnregisteredEntity, unregisteredMessage } from "../lake/index.js";
import { type UnregisteredLayout, unregisteredLayoutMessage } from "../legacy/index.js";

/** How `load` and `quality` print the files of an entity nobody registered: the same words. */
export function unregisteredLine(unregistered: UnregisteredEntity): string {
  return `not registered ${unregisteredMessage(unregistered)}`;
}

/** The same for the files of a legacy layout nobody registered. */
export function unregisteredLayoutLine(unregistered: UnregisteredLayout): string {
  return `not registered ${unregisteredLayoutMessage(unregistered)}`;
}
