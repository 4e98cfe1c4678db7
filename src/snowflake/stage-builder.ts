import { parseAzureUrl } from "./azure-location.js";
import { DdlError } from "./ddl-error.js";
import { objectName, type QualifiedName, qualified } from "./ident.js";
import { literal } from "./literal.js";
import { layout } from "./statement-layout.js";
import { allowsLocation, type StorageIntegrationNode } from "./storage-integration-builder.js";

/** `CREATE STAGE IF NOT EXISTS` on an Azure folder, as data. */
export interface StageNode {
  readonly kind: "stage";
  readonly name: QualifiedName;
  readonly url: string;
  readonly integration: string;
  readonly fileFormat?: QualifiedName;
  readonly comment?: string;
}

/** Immutable builder of an external stage. */
export class StageBuilder {
  constructor(
    private readonly node: Omit<StageNode, "integration"> & {
      readonly integration?: StorageIntegrationNode;
    },
  ) {}
  /** The storage integration the stage reads through; the URL must be inside its allowed locations. */
  integration(integration: StorageIntegrationNode): StageBuilder {
    return new StageBuilder({ ...this.node, integration });
  }
  fileFormat(name: QualifiedName): StageBuilder {
    qualified(name);
    return new StageBuilder({ ...this.node, fileFormat: name });
  }
  comment(text: string): StageBuilder {
    return new StageBuilder({ ...this.node, comment: text });
  }
  toNode(): StageNode {
    const { integration, ...rest } = this.node;
    const at = { object: "stage", name: this.node.name.name };
    if (!integration)
      throw new DdlError("needs a storage integration", { ...at, field: "STORAGE_INTEGRATION" });
    if (!allowsLocation(integration, this.node.url)) {
      throw new DdlError(
        `URL ${this.node.url} is outside the allowed locations of storage integration "${integration.name}" (${integration.allowedLocations.join(", ")})`,
        { ...at, field: "URL" },
      );
    }
    return { ...rest, integration: integration.name };
  }
}

/**
 * Starts an external stage on an `azure://` folder.
 * @example
 * createStage({ database: "RETAIL", schema: "RAW", name: "LAKE" }, "azure://retaillake.blob.core.windows.net/lake/")
 *   .integration(integrationNode)
 *   .toNode()
 */
export function createStage(name: QualifiedName, url: string): StageBuilder {
  qualified(name);
  parseAzureUrl(url, "URL");
  return new StageBuilder({ kind: "stage", name, url });
}

/** Renders a stage node. */
export function renderStage(node: StageNode): string {
  return layout(`CREATE STAGE IF NOT EXISTS ${qualified(node.name)}`, [
    `URL = ${literal(node.url)}`,
    `STORAGE_INTEGRATION = ${objectName(node.integration)}`,
    node.fileFormat && `FILE_FORMAT = (FORMAT_NAME = ${literal(qualified(node.fileFormat))})`,
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
  ]);
}
