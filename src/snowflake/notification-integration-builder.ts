import { DdlError } from "./ddl-error.js";
import { objectName, storedName } from "./ident.js";
import { literal } from "./literal.js";
import { layout } from "./statement-layout.js";
import { checkTenantId } from "./storage-integration-builder.js";

/** `CREATE NOTIFICATION INTEGRATION IF NOT EXISTS` on an Azure storage queue, as data. */
export interface NotificationIntegrationNode {
  readonly kind: "notification-integration";
  readonly name: string;
  /** `https://<account>.queue.core.windows.net/<queue>`: where Event Grid posts BlobCreated. */
  readonly queueUri: string;
  readonly tenantId: string;
  readonly comment?: string;
}

const QUEUE_URI =
  /^https:\/\/[a-z0-9]{3,24}\.queue\.core\.windows\.net\/[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

/** Immutable builder of an Azure storage queue notification integration. */
export class NotificationIntegrationBuilder {
  constructor(private readonly node: NotificationIntegrationNode) {}
  comment(text: string): NotificationIntegrationBuilder {
    return new NotificationIntegrationBuilder({ ...this.node, comment: text });
  }
  toNode(): NotificationIntegrationNode {
    return this.node;
  }
}

/**
 * Starts a notification integration on one storage queue. Created only if missing: a new
 * integration has a new consent app, and pipes bound to the old one stop receiving events.
 * @example
 * notificationIntegration("RETAIL_LAKE_EVENTS", "https://retaillake.queue.core.windows.net/snowpipe", tenant).toNode()
 */
export function notificationIntegration(
  name: string,
  queueUri: string,
  tenantId: string,
): NotificationIntegrationBuilder {
  objectName(name);
  if (!QUEUE_URI.test(queueUri)) {
    throw new DdlError(
      `expected https://<account>.queue.core.windows.net/<queue> (queue: 3-63 lower-case letters, digits, single dashes), got ${JSON.stringify(queueUri)}`,
      { object: "notification integration", name, field: "AZURE_STORAGE_QUEUE_PRIMARY_URI" },
    );
  }
  const tenant = checkTenantId(tenantId, "notification integration", name);
  return new NotificationIntegrationBuilder({
    kind: "notification-integration",
    name,
    queueUri,
    tenantId: tenant,
  });
}

/**
 * Snowflake lets one storage queue feed one notification integration only: a second one on the
 * same queue would steal its messages. Throws a DdlError naming both.
 */
export function assertOneIntegrationPerQueue(nodes: readonly NotificationIntegrationNode[]): void {
  const byQueue = new Map<string, string>();
  const names = new Set<string>();
  for (const node of nodes) {
    const queue = node.queueUri.toLowerCase();
    const other = byQueue.get(queue);
    if (other !== undefined) {
      throw new DdlError(
        `queue ${node.queueUri} already feeds notification integration "${other}"; one integration per queue`,
        {
          object: "notification integration",
          name: node.name,
          field: "AZURE_STORAGE_QUEUE_PRIMARY_URI",
        },
      );
    }
    if (names.has(storedName(node.name))) {
      throw new DdlError("two notification integrations have this name", {
        object: "notification integration",
        name: node.name,
      });
    }
    byQueue.set(queue, node.name);
    names.add(storedName(node.name));
  }
}

/** Renders a notification integration node. */
export function renderNotificationIntegration(node: NotificationIntegrationNode): string {
  return layout(`CREATE NOTIFICATION INTEGRATION IF NOT EXISTS ${objectName(node.name)}`, [
    "ENABLED = TRUE",
    "TYPE = QUEUE",
    "NOTIFICATION_PROVIDER = AZURE_STORAGE_QUEUE",
    `AZURE_STORAGE_QUEUE_PRIMARY_URI = ${literal(node.queueUri)}`,
    `AZURE_TENANT_ID = ${literal(node.tenantId)}`,
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
  ]);
}
