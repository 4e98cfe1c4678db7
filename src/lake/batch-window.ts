import type { Entity, TimeWindow } from "../entities/index.js";

const DAY = 86_400_000;

/**
 * A batch the lake writer refuses before buffering any of its records: its window ends before
 * it starts, or a record's event time is outside it. The window names the batch's files, and
 * windows partition time: a record outside its own would land again (or never) under another
 * split of the same period. Names the entity, the window, and the record's row and event time.
 * @example
 * try { await writer.write(batch) } catch (e) { if (e instanceof BatchWindowError) console.error(e.row) }
 */
export class BatchWindowError extends RangeError {
  override readonly name = "BatchWindowError";
  constructor(
    readonly entity: string,
    readonly window: TimeWindow,
    reason: string,
    /** The record's 1-based row in the entity's stream, and its event time. */
    readonly record?: { readonly row: number; readonly eventTime: string },
  ) {
    super(`${entity} batch of window [${window.from}, ${window.to}): ${reason}`);
  }
}

/**
 * Checks a batch's window and that each record's event time is inside it, `[from, to)`. A date
 * (a daily snapshot, dated in its store's time zone, taken at the store's close) is inside a
 * window overlapping the UTC day before, of or after it. An empty window (`from` = `to`) holds
 * no record: fine for reference data (no event time: as of that instant), refused for a record
 * with an event time. An event time that is not one is left to the schema check.
 * @param row the entity's stream row before the batch's first record (rows are 1-based)
 * @throws BatchWindowError
 */
export function checkBatchWindow(
  entity: Entity,
  window: TimeWindow,
  records: readonly unknown[],
  row: number,
): void {
  const from = Date.parse(window.from);
  const to = Date.parse(window.to);
  if (from > to)
    throw new BatchWindowError(entity.name, window, "the window ends before it starts");
  const field = entity.eventTime;
  if (!field) return;
  // Generated records carry `toISOString()` instants: compare those as text (no Date a record).
  const fromText = Number.isNaN(from) ? "" : new Date(from).toISOString();
  const toText = Number.isNaN(to) ? "" : new Date(to).toISOString();
  records.forEach((record, i) => {
    const value = (record as Record<string, unknown>)[field];
    if (typeof value !== "string" || inside(value, fromText, toText, from, to)) return;
    if (Number.isNaN(Date.parse(value))) return; // not an instant: the schema check names it
    const empty = from === to ? " (an empty window holds no record)" : "";
    throw new BatchWindowError(
      entity.name,
      window,
      `row ${row + i + 1} has ${field} ${value}, outside the window${empty}: write each record in the batch of its window`,
      { row: row + i + 1, eventTime: value },
    );
  });
}

function inside(value: string, fromText: string, toText: string, from: number, to: number) {
  if (from === to) return false;
  if (value.length === 24 && value[10] === "T" && value[23] === "Z")
    return value >= fromText && value < toText;
  if (value.length === 10) {
    const day = Date.parse(value);
    return from < day + 2 * DAY && day - DAY < to;
  }
  const t = Date.parse(value);
  return t >= from && t < to;
}
