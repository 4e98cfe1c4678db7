/**
 * Checks a path relative to a store root: `/`-separated segments, none empty, `.` or `..`, no
 * backslash and no control characters, not absolute. Every store calls it before any I/O so that
 * no value, however it was built, can reach outside the root.
 * @example
 * checkStorePath("sale_line/dt=2026-11-01/x.parquet"); // returns it
 * checkStorePath("../etc/passwd"); // throws RangeError
 */
export function checkStorePath(path: string): string {
  const problem = pathProblem(path);
  if (problem) throw new RangeError(`store path ${JSON.stringify(path)} ${problem}`);
  return path;
}

function pathProblem(path: string): string | undefined {
  if (typeof path !== "string" || path.length === 0) return "is empty";
  if (path.length > 1024) return "is longer than 1024 characters";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(path)) return "contains a control character";
  if (path.includes("\\")) return "contains a backslash";
  if (path.startsWith("/") || /^[a-zA-Z]:/.test(path)) return "is absolute";
  for (const segment of path.split("/")) {
    if (segment === "") return "has an empty segment";
    if (segment === "." || segment === "..") return `has a "${segment}" segment`;
  }
  return undefined;
}
