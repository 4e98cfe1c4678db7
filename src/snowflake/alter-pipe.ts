import { DdlError } from "./ddl-error.js";
import { type QualifiedName, qualified } from "./ident.js";
import { literal } from "./literal.js";

/** `ALTER PIPE`: pause, resume or refresh, as data. */
export type AlterPipeNode =
  | {
      readonly kind: "alter-pipe";
      readonly name: QualifiedName;
      readonly action: "pause" | "resume";
    }
  | {
      readonly kind: "alter-pipe";
      readonly name: QualifiedName;
      readonly action: "refresh";
      /** Only files below this folder of the stage path. */
      readonly prefix?: string;
      /** Only files modified after this instant (ISO 8601); Snowflake looks back 7 days at most. */
      readonly modifiedAfter?: string;
    };

/**
 * `ALTER PIPE ... REFRESH`: queues the staged files the pipe has not loaded (last 7 days).
 * @example
 * renderAlterPipe(refreshPipeNode(name, { modifiedAfter: "2026-11-20T00:00:00Z" }))
 */
export function refreshPipeNode(
  name: QualifiedName,
  options: { prefix?: string; modifiedAfter?: string } = {},
): AlterPipeNode {
  qualified(name);
  if (options.modifiedAfter !== undefined && Number.isNaN(Date.parse(options.modifiedAfter))) {
    throw new DdlError(`${JSON.stringify(options.modifiedAfter)} is not an ISO instant`, {
      object: "pipe",
      name: name.name,
      field: "MODIFIED_AFTER",
    });
  }
  if (options.prefix !== undefined && !/^([A-Za-z0-9_=.-]+\/?)+$/.test(options.prefix)) {
    throw new DdlError(`${JSON.stringify(options.prefix)} is not a stage folder`, {
      object: "pipe",
      name: name.name,
      field: "PREFIX",
    });
  }
  return { kind: "alter-pipe", name, action: "refresh", ...options };
}

/** `ALTER PIPE ... SET PIPE_EXECUTION_PAUSED = TRUE|FALSE`. */
export function pausePipeNode(name: QualifiedName, pause = true): AlterPipeNode {
  qualified(name);
  return { kind: "alter-pipe", name, action: pause ? "pause" : "resume" };
}

/** Renders an ALTER PIPE node. */
export function renderAlterPipe(node: AlterPipeNode): string {
  const name = qualified(node.name);
  if (node.action === "pause")
    return `ALTER PIPE IF EXISTS ${name} SET PIPE_EXECUTION_PAUSED = TRUE`;
  if (node.action === "resume")
    return `ALTER PIPE IF EXISTS ${name} SET PIPE_EXECUTION_PAUSED = FALSE`;
  if (node.action !== "refresh") throw new TypeError(`unknown ALTER PIPE action`);
  const parts = [
    node.prefix !== undefined && `PREFIX = ${literal(node.prefix)}`,
    node.modifiedAfter !== undefined &&
      `MODIFIED_AFTER = ${literal(new Date(node.modifiedAfter).toISOString())}`,
  ].filter((p): p is string => typeof p === "string");
  return `ALTER PIPE ${name} REFRESH${parts.length ? ` ${parts.join(" ")}` : ""}`;
}
