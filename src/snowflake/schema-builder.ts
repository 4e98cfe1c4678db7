import { objectName } from "./ident.js";
import { literal } from "./literal.js";
import { layout } from "./statement-layout.js";

/** `CREATE SCHEMA IF NOT EXISTS`, as data. */
export interface SchemaNode {
  readonly kind: "schema";
  readonly database: string;
  readonly name: string;
  readonly managedAccess: boolean;
  readonly comment?: string;
}

/** Immutable builder of a schema. */
export class SchemaBuilder {
  constructor(private readonly node: SchemaNode) {}
  comment(text: string): SchemaBuilder {
    return new SchemaBuilder({ ...this.node, comment: text });
  }
  /** Managed access: only the schema owner grants on its objects, never an object's owner. */
  managedAccess(on = true): SchemaBuilder {
    return new SchemaBuilder({ ...this.node, managedAccess: on });
  }
  toNode(): SchemaNode {
    return this.node;
  }
}

/**
 * Starts a schema in a database; created only if missing.
 * @example
 * renderSchema(createSchema("RETAIL", "RAW").managedAccess().toNode())
 */
export function createSchema(database: string, name: string): SchemaBuilder {
  objectName(database);
  objectName(name);
  return new SchemaBuilder({ kind: "schema", database, name, managedAccess: false });
}

/** `DATABASE.SCHEMA` of a schema node. */
export function schemaName(database: string, schema: string): string {
  return `${objectName(database)}.${objectName(schema)}`;
}

/** Renders a schema node. */
export function renderSchema(node: SchemaNode): string {
  return layout(
    `CREATE SCHEMA IF NOT EXISTS ${schemaName(node.database, node.name)}${node.managedAccess ? " WITH MANAGED ACCESS" : ""}`,
    [node.comment !== undefined && `COMMENT = ${literal(node.comment)}`],
  );
}
