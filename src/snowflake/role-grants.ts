import { DdlError } from "./ddl-error.js";
import { objectName, type QualifiedName, qualified } from "./ident.js";
import { literal } from "./literal.js";
import { schemaName } from "./schema-builder.js";
import { layout } from "./statement-layout.js";

/** `CREATE ROLE IF NOT EXISTS`, as data. */
export interface RoleNode {
  readonly kind: "role";
  readonly name: string;
  readonly comment?: string;
}

/** What a grant is on. */
export type GrantTarget =
  | { readonly type: "DATABASE"; readonly database: string }
  | { readonly type: "SCHEMA"; readonly database: string; readonly schema: string }
  | {
      readonly type: "ALL TABLES IN SCHEMA" | "FUTURE TABLES IN SCHEMA";
      readonly database: string;
      readonly schema: string;
    }
  | { readonly type: "STAGE" | "FILE FORMAT" | "PIPE" | "TABLE"; readonly name: QualifiedName }
  | { readonly type: "INTEGRATION"; readonly name: string }
  | { readonly type: "ROLE"; readonly name: string };

/** `GRANT ... TO ROLE`, as data. `ROLE` targets grant a role to a role. */
export interface GrantNode {
  readonly kind: "grant";
  readonly privileges: readonly string[];
  readonly on: GrantTarget;
  readonly to: string;
}

const PRIVILEGES: Record<GrantTarget["type"], readonly string[]> = {
  DATABASE: ["USAGE", "MONITOR", "CREATE SCHEMA"],
  SCHEMA: [
    "USAGE",
    "MONITOR",
    "CREATE TABLE",
    "CREATE VIEW",
    "CREATE STAGE",
    "CREATE PIPE",
    "CREATE FILE FORMAT",
  ],
  "ALL TABLES IN SCHEMA": ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES"],
  "FUTURE TABLES IN SCHEMA": ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES"],
  TABLE: ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES"],
  STAGE: ["USAGE", "READ"],
  "FILE FORMAT": ["USAGE"],
  PIPE: ["OPERATE", "MONITOR"],
  INTEGRATION: ["USAGE"],
  ROLE: [],
};

/**
 * A role, created if missing.
 * @example
 * renderRole(role("RETAIL_LOADER", "Runs Snowpipe loads"))
 */
export function role(name: string, comment?: string): RoleNode {
  objectName(name);
  return { kind: "role", name, ...(comment !== undefined ? { comment } : {}) };
}

/**
 * A grant to a role; the privileges are checked against what the target accepts.
 * @example
 * grant(["USAGE"], { type: "DATABASE", database: "RETAIL" }, "RETAIL_LOADER")
 */
export function grant(privileges: readonly string[], on: GrantTarget, to: string): GrantNode {
  objectName(to);
  const allowed = PRIVILEGES[on.type];
  for (const p of privileges) {
    if (!allowed.includes(p)) {
      throw new DdlError(
        `privilege ${JSON.stringify(p)} cannot be granted on ${on.type}; one of ${allowed.join(", ")}`,
        {
          object: "grant",
          name: to,
          field: "privileges",
        },
      );
    }
  }
  if (on.type !== "ROLE" && privileges.length === 0)
    throw new DdlError("a grant needs privileges", { object: "grant", name: to });
  return { kind: "grant", privileges, on, to };
}

/** Grants role `name` to role `to` (role hierarchy). */
export function grantRole(name: string, to: string): GrantNode {
  objectName(name);
  return grant([], { type: "ROLE", name }, to);
}

function target(on: GrantTarget): string {
  switch (on.type) {
    case "DATABASE":
      return `DATABASE ${objectName(on.database)}`;
    case "SCHEMA":
    case "ALL TABLES IN SCHEMA":
    case "FUTURE TABLES IN SCHEMA":
      return `${on.type} ${schemaName(on.database, on.schema)}`;
    case "INTEGRATION":
      return `INTEGRATION ${objectName(on.name)}`;
    case "ROLE":
      return `ROLE ${objectName(on.name)}`;
    default:
      return `${on.type} ${qualified(on.name)}`;
  }
}

/** Renders a role node. */
export function renderRole(node: RoleNode): string {
  return layout(`CREATE ROLE IF NOT EXISTS ${objectName(node.name)}`, [
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
  ]);
}

/** Renders a grant node; grants are idempotent, so they run on every deploy. */
export function renderGrant(node: GrantNode): string {
  if (node.on.type === "ROLE") return `GRANT ${target(node.on)} TO ROLE ${objectName(node.to)}`;
  return `GRANT ${node.privileges.join(", ")} ON ${target(node.on)} TO ROLE ${objectName(node.to)}`;
}
