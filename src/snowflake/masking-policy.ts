import { DdlError } from "./ddl-error.js";
import { ident, objectName, type QualifiedName, qualified, storedName } from "./ident.js";
import { literal } from "./literal.js";
import { layout } from "./statement-layout.js";

/** `CREATE MASKING POLICY IF NOT EXISTS` for one data type, as data. */
export interface MaskingPolicyNode {
  readonly kind: "masking-policy";
  readonly name: QualifiedName;
  /** The type the policy takes and returns: VARCHAR, NUMBER, DATE... */
  readonly type: string;
  /** Roles that see the real value; every other role sees the mask. */
  readonly unmaskedRoles: readonly string[];
  readonly comment?: string;
}

/** `ALTER TABLE ... MODIFY COLUMN ... SET MASKING POLICY ... FORCE`, as data. */
export interface ApplyMaskingNode {
  readonly kind: "apply-masking";
  readonly table: QualifiedName;
  readonly column: string;
  readonly policy: QualifiedName;
}

const FAMILIES = ["VARCHAR", "NUMBER", "DATE", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "BOOLEAN"];

/** The policy type for a column type: `NUMBER(12,2)` is masked by a NUMBER policy. */
export function maskingFamily(columnType: string): string {
  const family = columnType.replace(/\(.*$/, "");
  if (!FAMILIES.includes(family)) {
    throw new DdlError(`no masking policy for type ${columnType}`, {
      object: "masking policy",
      field: "type",
    });
  }
  return family;
}

/**
 * A masking policy for personal data: the listed roles see the value, others see
 * `*** masked ***` (strings) or NULL (other types). Created only if missing: a policy set on
 * columns cannot be replaced.
 * @example
 * maskingPolicy({ database: "RETAIL", schema: "RAW", name: "PII_MASK_VARCHAR" }, "VARCHAR", ["RETAIL_TRANSFORMER"])
 */
export function maskingPolicy(
  name: QualifiedName,
  type: string,
  unmaskedRoles: readonly string[],
): MaskingPolicyNode {
  qualified(name);
  for (const r of unmaskedRoles) objectName(r);
  return { kind: "masking-policy", name, type: maskingFamily(type), unmaskedRoles };
}

/**
 * Sets a policy on a column. FORCE replaces any policy already there, so it can run again.
 * @example
 * applyMasking(customerTable, "email", policyName)
 */
export function applyMasking(
  table: QualifiedName,
  column: string,
  policy: QualifiedName,
): ApplyMaskingNode {
  qualified(table);
  qualified(policy);
  ident(column, { fold: true });
  return { kind: "apply-masking", table, column, policy };
}

/** Renders a masking policy node. */
export function renderMaskingPolicy(node: MaskingPolicyNode): string {
  // CURRENT_ROLE(), not IS_ROLE_IN_SESSION(): a role that merely inherits the unmasked one
  // (SYSADMIN above every custom role) still sees the mask.
  const roles = node.unmaskedRoles.map((r) => literal(storedName(r))).join(", ");
  const masked = node.type === "VARCHAR" ? "'*** masked ***'" : "NULL";
  const body = roles
    ? `CASE WHEN CURRENT_ROLE() IN (${roles}) THEN VAL ELSE ${masked} END`
    : masked;
  return layout(`CREATE MASKING POLICY IF NOT EXISTS ${qualified(node.name)}`, [
    `AS (VAL ${node.type}) RETURNS ${node.type} ->`,
    body,
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
  ]);
}

/** Renders an apply-masking node. */
export function renderApplyMasking(node: ApplyMaskingNode): string {
  return `ALTER TABLE IF EXISTS ${qualified(node.table)} MODIFY COLUMN ${ident(node.column, { fold: true })} SET MASKING POLICY ${qualified(node.policy)} FORCE`;
}
