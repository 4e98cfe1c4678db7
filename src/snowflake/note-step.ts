/** A step of a plan that is only said, never run: a warning or an explanation, as data. */
export interface NoteNode {
  readonly kind: "note";
  readonly level: "info" | "warning";
  readonly text: string;
}

/** A note for a plan. */
export function note(text: string, level: NoteNode["level"] = "info"): NoteNode {
  return { kind: "note", level, text };
}

/** Renders a note as SQL comment lines, so a printed plan still runs as a script. */
export function renderNote(node: NoteNode): string {
  const prefix = node.level === "warning" ? "-- WARNING: " : "-- ";
  return node.text
    .split("\n")
    .map((line, i) => `${i === 0 ? prefix : "-- "}${line}`.trimEnd())
    .join("\n");
}
