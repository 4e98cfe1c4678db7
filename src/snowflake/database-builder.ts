import { DdlError } from "./ddl-error.js";
import { objectName } from "./ident.js";
import { literal } from "./literal.js";
import { layout } from "./statement-layout.js";

/** `CREATE DATABASE IF NOT EXISTS`, as data. */
export interface DatabaseNode {
  readonly kind: "database";
  readonly name: string;
  readonly comment?: string;
  readonly dataRetentionDays?: number;
}

/** Immutable builder of a database: each method returns a new builder. */
export class DatabaseBuilder {
  constructor(private readonly node: DatabaseNode) {}
  comment(text: string): DatabaseBuilder {
    return new DatabaseBuilder({ ...this.node, comment: text });
  }
  /** Time Travel retention, 0-90 days. */
  dataRetentionDays(days: number): DatabaseBuilder {
    if (!Number.isInteger(days) || days < 0 || days > 90) {
      throw new DdlError(`must be a whole number of days from 0 to 90, got ${days}`, {
        object: "database",
        name: this.node.name,
        field: "DATA_RETENTION_TIME_IN_DAYS",
      });
    }
    return new DatabaseBuilder({ ...this.node, dataRetentionDays: days });
  }
  toNode(): DatabaseNode {
    return this.node;
  }
}

/**
 * Starts a database. Created only if missing: replacing a database would drop its data.
 * @example
 * renderDatabase(createDatabase("retail").comment("Retail data").toNode())
 */
export function createDatabase(name: string): DatabaseBuilder {
  objectName(name);
  return new DatabaseBuilder({ kind: "database", name });
}

/** Renders a database node. */
export function renderDatabase(node: DatabaseNode): string {
  return layout(`CREATE DATABASE IF NOT EXISTS ${objectName(node.name)}`, [
    node.dataRetentionDays !== undefined &&
      `DATA_RETENTION_TIME_IN_DAYS = ${node.dataRetentionDays}`,
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
  ]);
}
