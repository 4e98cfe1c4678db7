/**
 * Renders a string constant: single-quoted, with `\` and `'` escaped by a backslash, so any
 * text (quotes, semicolons, newlines, `$$`) stays one token.
 * @example
 * literal("it's")    // 'it\'s'
 * literal("a\\b;--") // 'a\\b;--'
 */
export function literal(value: string): string {
  if (typeof value !== "string")
    throw new TypeError(`literal() takes a string, got ${typeof value}`);
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
