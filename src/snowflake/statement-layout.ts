/**
 * The one layout every statement is rendered with: the head on the first line, then one
 * clause a line indented by two spaces. Stable text, so two plans diff line by line.
 */
export function layout(
  head: string,
  clauses: readonly (string | false | undefined)[] = [],
): string {
  return [
    head,
    ...clauses.filter((c): c is string => typeof c === "string").map((c) => indent(c)),
  ].join("\n");
}

/** Indents every line of `text` by two spaces. */
export function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
}
