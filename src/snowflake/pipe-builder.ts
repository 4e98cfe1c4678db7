import { type CopyNode, renderCopy } from "./copy-into-builder.js";
import { DdlError } from "./ddl-error.js";
import { objectName, type QualifiedName, qualified, storedName } from "./ident.js";
import { literal } from "./literal.js";
import type { NotificationIntegrationNode } from "./notification-integration-builder.js";
import { indent, layout } from "./statement-layout.js";

/** `CREATE PIPE` with auto-ingest from an Azure storage queue, as data. */
export interface PipeNode {
  readonly kind: "pipe";
  readonly name: QualifiedName;
  /** `if-not-exists` keeps a pipe and its load history; `replace` recreates it and loses them. */
  readonly mode: "if-not-exists" | "replace";
  readonly integration: string;
  readonly errorIntegration?: string;
  readonly copy: CopyNode;
  readonly comment?: string;
}

// Why each is refused, so the error tells what to do instead.
const REFUSED: readonly [keyof CopyNode["options"], (o: CopyNode["options"]) => boolean, string][] =
  [
    [
      "purge",
      (o) => o.purge !== undefined,
      "PURGE: Snowpipe never deletes staged files; use a lifecycle rule on the container",
    ],
    [
      "files",
      (o) => o.files !== undefined,
      "FILES: a pipe loads the files its notifications name; use ALTER PIPE ... REFRESH or a one-off COPY",
    ],
    [
      "validationMode",
      (o) => o.validationMode !== undefined,
      "VALIDATION_MODE: a pipe cannot dry-run; check loads with VALIDATE_PIPE_LOAD or COPY_HISTORY",
    ],
    [
      "onError",
      (o) => o.onError === "ABORT_STATEMENT",
      "ON_ERROR = ABORT_STATEMENT: a pipe loads file by file; use SKIP_FILE (the default) or CONTINUE",
    ],
    ["sizeLimit", (o) => o.sizeLimit !== undefined, "SIZE_LIMIT: not supported by Snowpipe"],
    [
      "returnFailedOnly",
      (o) => o.returnFailedOnly !== undefined,
      "RETURN_FAILED_ONLY: not supported by Snowpipe",
    ],
    [
      "force",
      (o) => o.force !== undefined,
      "FORCE: not supported by Snowpipe, which loads each file once by design",
    ],
  ];

/** Immutable builder of an auto-ingest pipe. */
export class PipeBuilder {
  constructor(
    private readonly node: Omit<PipeNode, "integration" | "copy"> &
      Partial<Pick<PipeNode, "integration" | "copy">>,
  ) {}
  /** The notification integration whose queue announces new files. */
  integration(integration: NotificationIntegrationNode): PipeBuilder {
    return new PipeBuilder({ ...this.node, integration: integration.name });
  }
  /** A notification integration (outbound) that receives load errors. */
  errorIntegration(name: string): PipeBuilder {
    objectName(name);
    return new PipeBuilder({ ...this.node, errorIntegration: name });
  }
  copy(copy: CopyNode): PipeBuilder {
    return new PipeBuilder({ ...this.node, copy });
  }
  /** CREATE OR REPLACE: needed to change a pipe's COPY; it resets the pipe's load history. */
  replace(on = true): PipeBuilder {
    return new PipeBuilder({ ...this.node, mode: on ? "replace" : "if-not-exists" });
  }
  comment(text: string): PipeBuilder {
    return new PipeBuilder({ ...this.node, comment: text });
  }
  toNode(): PipeNode {
    const at = { object: "pipe", name: this.node.name.name };
    const { integration, copy } = this.node;
    if (integration === undefined)
      throw new DdlError("AUTO_INGEST needs a notification integration", {
        ...at,
        field: "INTEGRATION",
      });
    if (copy === undefined)
      throw new DdlError("needs a COPY INTO statement", { ...at, field: "AS" });
    for (const [field, present, why] of REFUSED) {
      if (present(copy.options))
        throw new DdlError(`copy option not accepted by a pipe: ${why}`, { ...at, field });
    }
    return { ...this.node, integration, copy };
  }
}

/**
 * Starts an auto-ingest pipe (AUTO_INGEST = TRUE).
 * @example
 * createPipe({ database: "RETAIL", schema: "RAW", name: "SALE_LINE_PIPE" }).integration(events).copy(copyNode).toNode()
 */
export function createPipe(name: QualifiedName): PipeBuilder {
  qualified(name);
  return new PipeBuilder({ kind: "pipe", name, mode: "if-not-exists" });
}

/** Renders a pipe node. */
export function renderPipe(node: PipeNode): string {
  const head =
    node.mode === "replace"
      ? `CREATE OR REPLACE PIPE ${qualified(node.name)}`
      : `CREATE PIPE IF NOT EXISTS ${qualified(node.name)}`;
  return layout(head, [
    "AUTO_INGEST = TRUE",
    `INTEGRATION = ${literal(storedName(node.integration))}`,
    node.errorIntegration !== undefined &&
      `ERROR_INTEGRATION = ${objectName(node.errorIntegration)}`,
    node.comment !== undefined && `COMMENT = ${literal(node.comment)}`,
    `AS\n${indent(renderCopy(node.copy))}`,
  ]);
}
