import { type AlterPipeNode, renderAlterPipe } from "./alter-pipe.js";
import { type CopyNode, renderCopy } from "./copy-into-builder.js";
import { type DatabaseNode, renderDatabase } from "./database-builder.js";
import { type FileFormatNode, renderFileFormat } from "./file-format-builder.js";
import {
  type ApplyMaskingNode,
  type MaskingPolicyNode,
  renderApplyMasking,
  renderMaskingPolicy,
} from "./masking-policy.js";
import { type NoteNode, renderNote } from "./note-step.js";
import {
  type NotificationIntegrationNode,
  renderNotificationIntegration,
} from "./notification-integration-builder.js";
import { type PipeNode, renderPipe } from "./pipe-builder.js";
import { renderTable, type TableNode } from "./raw-table.js";
import { type GrantNode, type RoleNode, renderGrant, renderRole } from "./role-grants.js";
import { renderSchema, type SchemaNode } from "./schema-builder.js";
import { renderStage, type StageNode } from "./stage-builder.js";
import {
  renderStorageIntegration,
  type StorageIntegrationNode,
} from "./storage-integration-builder.js";

/** Any statement (or note) a plan holds: plain data, rendered by `renderNode()`. */
export type DdlNode =
  | DatabaseNode
  | SchemaNode
  | FileFormatNode
  | StorageIntegrationNode
  | NotificationIntegrationNode
  | StageNode
  | TableNode
  | CopyNode
  | PipeNode
  | AlterPipeNode
  | RoleNode
  | GrantNode
  | MaskingPolicyNode
  | ApplyMaskingNode
  | NoteNode;

/**
 * Renders one node to SQL text, without a trailing semicolon.
 * @example
 * renderNode(createDatabase("RETAIL").toNode()) // CREATE DATABASE IF NOT EXISTS RETAIL
 */
export function renderNode(node: DdlNode): string {
  switch (node.kind) {
    case "database":
      return renderDatabase(node);
    case "schema":
      return renderSchema(node);
    case "file-format":
      return renderFileFormat(node);
    case "storage-integration":
      return renderStorageIntegration(node);
    case "notification-integration":
      return renderNotificationIntegration(node);
    case "stage":
      return renderStage(node);
    case "table":
      return renderTable(node);
    case "copy":
      return renderCopy(node);
    case "pipe":
      return renderPipe(node);
    case "alter-pipe":
      return renderAlterPipe(node);
    case "role":
      return renderRole(node);
    case "grant":
      return renderGrant(node);
    case "masking-policy":
      return renderMaskingPolicy(node);
    case "apply-masking":
      return renderApplyMasking(node);
    case "note":
      return renderNote(node);
  }
}

/** A rendered step: the SQL to send, or a note to print and never send. */
export interface RenderedStep {
  readonly kind: DdlNode["kind"];
  readonly sql: string;
  /** Notes are printed, never executed. */
  readonly executable: boolean;
}

/** Renders every node of a plan, in order. */
export function renderSteps(plan: readonly DdlNode[]): RenderedStep[] {
  return plan.map((node) => ({
    kind: node.kind,
    sql: renderNode(node),
    executable: node.kind !== "note",
  }));
}

/**
 * The plan as one script: statements end with `;` and are separated by a blank line; notes
 * are `--` comments. Deterministic, so two plans diff cleanly.
 * @example
 * console.log(renderPlan(snowpipePlan(config)))
 */
export function renderPlan(plan: readonly DdlNode[]): string {
  return `${renderSteps(plan)
    .map((s) => (s.executable ? `${s.sql};` : s.sql))
    .join("\n\n")}\n`;
}
