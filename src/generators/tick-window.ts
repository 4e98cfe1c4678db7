/** A `tick()` window was not two instants in order. */
export class TickWindowError extends Error {
  override readonly name = "TickWindowError";
  constructor(
    /** `"from"` or `"to"` (`"at"` for a checkpoint's instant). */
    readonly field: "from" | "to" | "at",
    readonly value: unknown,
    reason: string,
  ) {
    super(`tick window: "${field}" ${reason} (got ${JSON.stringify(value)})`);
  }
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Reads an ISO instant as epoch ms. */
export function parseInstant(field: TickWindowError["field"], value: string): number {
  const ms = typeof value === "string" && INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new TickWindowError(field, value, 'must be an ISO instant like "2026-11-01T08:00:00Z"');
  }
  return ms;
}

/** Reads the bounds of a half-open window `[from, to)` as epoch ms. */
export function parseTickWindow(from: string, to: string): { from: number; to: number } {
  const window = { from: parseInstant("from", from), to: parseInstant("to", to) };
  if (window.to <= window.from)
    throw new TickWindowError("to", to, `must be after "from" (${from})`);
  return window;
}
