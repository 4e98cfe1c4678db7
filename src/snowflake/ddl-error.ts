/** Where a DDL problem is: the object being built, and the option or column at fault. */
export interface DdlLocation {
  /** Kind of object: `pipe`, `stage`, `identifier`... */
  readonly object?: string;
  /** Name of the object, as given. */
  readonly name?: string;
  /** The option, column or config field at fault. */
  readonly field?: string;
}

/**
 * A statement that must not be built: an unsafe identifier, a stage outside its integration's
 * allowed locations, a copy option Snowpipe does not accept... Thrown while building, so no
 * half-right SQL is ever rendered or sent.
 */
export class DdlError extends Error {
  override readonly name = "DdlError";
  readonly object: string | undefined;
  readonly objectName: string | undefined;
  readonly field: string | undefined;

  constructor(message: string, at: DdlLocation = {}) {
    const where = [at.object, at.name && JSON.stringify(at.name)].filter(Boolean).join(" ");
    const field = at.field ? `${where ? " " : ""}(${at.field})` : "";
    super(`${where}${field}${where || field ? ": " : ""}${message}`);
    this.object = at.object;
    this.objectName = at.name;
    this.field = at.field;
  }
}
