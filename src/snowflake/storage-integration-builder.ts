import { isWithin, parseAzureUrl } from "./azure-location.js";
import { DdlError } from "./ddl-error.js";
import { objectName } from "./ident.js";
import { literal } from "./literal.js";
import { layout } from "./statement-layout.js";

/** `CREATE STORAGE INTEGRATION IF NOT EXISTS` for Azure, as data. */
export interface StorageIntegrationNode {
  readonly kind: "storage-integration";
  readonly name: string;
  readonly tenantId: string;
  /** `azure://...` folder URLs, each ending with `/`. */
  readonly allowedLocations: readonly string[];
  readonly blockedLocations: readonly string[];
  readonly comment?: string;
}

const TENANT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks an Azure tenant id (a GUID), naming the object it is for. */
export function checkTenantId(tenantId: string, object: string, name: string): string {
  if (!TENANT.test(tenantId)) {
    throw new DdlError(
      `AZURE_TENANT_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got ${JSON.stringify(tenantId)}`,
      {
        object,
        name,
        field: "AZURE_TENANT_ID",
      },
    );
  }
  return tenantId.toLowerCase();
}

/** Immutable builder of an Azure storage integration. */
export class StorageIntegrationBuilder {
  constructor(private readonly node: StorageIntegrationNode) {}
  /** Adds a folder the integration may read (STORAGE_ALLOWED_LOCATIONS). */
  allow(url: string): StorageIntegrationBuilder {
    parseAzureUrl(url, "STORAGE_ALLOWED_LOCATIONS");
    return new StorageIntegrationBuilder({
      ...this.node,
      allowedLocations: [...this.node.allowedLocations, url],
    });
  }
  /** Adds a folder the integration must not read (STORAGE_BLOCKED_LOCATIONS). */
  block(url: string): StorageIntegrationBuilder {
    parseAzureUrl(url, "STORAGE_BLOCKED_LOCATIONS");
    return new StorageIntegrationBuilder({
      ...this.node,
      blockedLocations: [...this.node.blockedLocations, url],
    });
  }
  comment(text: string): StorageIntegrationBuilder {
    return new StorageIntegrationBuilder({ ...this.node, comment: text });
  }
  toNode(): StorageIntegrationNode {
    if (this.node.allowedLocations.length === 0) {
      throw new DdlError("needs at least one allowed location", {
        object: "storage integration",
        name: this.node.name,
        field: "STORAGE_ALLOWED_LOCATIONS",
      });
    }
    return this.node;
  }
}

/**
 * Starts an Azure storage integration. Created only if missing: replacing one issues a new
 * consent app and service principal, which breaks the Azure role assignment and every stage.
 * @example
 * storageIntegration("RETAIL_LAKE", "9a0c...")
 *   .allow("azure://retaillake.blob.core.windows.net/lake/")
 *   .toNode()
 */
export function storageIntegration(name: string, tenantId: string): StorageIntegrationBuilder {
  objectName(name);
  const tenant = checkTenantId(tenantId, "storage integration", name);
  return new StorageIntegrationBuilder({
    kind: "storage-integration",
    name,
    tenantId: tenant,
    allowedLocations: [],
    blockedLocations: [],
  });
}

/** Whether a stage URL lies inside the integration's allowed, and outside its blocked, folders. */
export function allowsLocation(node: StorageIntegrationNode, url: string): boolean {
  return (
    node.allowedLocations.some((a) => isWithin(url, a)) &&
    !node.blockedLocations.some((b) => isWithin(url, b))
  );
}

/** Renders a storage integration node. */
export function renderStorageIntegration(node: StorageIntegrationNode): string {
  return layout(`CREATE STORAGE INTEGRATION IF NOT EXISTS ${objectName(node.name)}`, [
    "TYPE = EXTERNAL_STAGE",
    "STORAGE_PROVIDER = 'AZURE'",
    "ENABLED = TRUE",
    `AZURE_TENANT_ID = ${literal(node.tenantId)}`,
    `STORAGE_ALLOWED_LOCATIONS = (${node.allowedLocations.map(literal).join(", ")})`,
    node.blockedLocations.length > 0 &&
      `STORAGE_BLOCKED_LOCATIONS = (${node.blockedLocations.map(literal).join(", ")})`,
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
  ]);
}
