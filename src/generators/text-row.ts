import type { Entity } from "../entities/index.js";

/** A record as a flat file carries it: every value as text, `null` for an empty field. */
export type TextRow = Record<string, string | null>;

/**
 * Renders a record as legacy flat-file text: ints and booleans as their literals, decimals,
 * dates and timestamps as their canonical text, null as `null` (an empty CSV field).
 * @example
 * toTextRow(saleLine, line).quantity; // "2"
 */
export function toTextRow(entity: Entity, record: Readonly<Record<string, unknown>>): TextRow {
  const row: TextRow = {};
  for (const column of entity.columns) {
    const value = record[column.name];
    row[column.name] = value === null || value === undefined ? null : String(value);
  }
  return row;
}

const INT = /^-?(0|[1-9]\d*)$/;

/**
 * Strictly reads a text row back into a record candidate for `entity.check` to judge: an int
 * column becomes a number only when it is an integer literal, a boolean only from
 * `true`/`false`, an empty field becomes null; anything else stays text so the schema reports
 * it. A clean row round-trips to the record it came from exactly.
 * @example
 * saleLine.check(parseTextRow(saleLine, row)).ok;
 */
export function parseTextRow(
  entity: Entity,
  row: Readonly<Record<string, string | null>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, text] of Object.entries(row)) {
    const column = entity.columns.find((c) => c.name === name);
    if (text === null || text === "") {
      out[name] = null;
      continue;
    }
    switch (column?.type.kind) {
      case "int":
        out[name] = INT.test(text) ? Number(text) : text;
        break;
      case "boolean":
        out[name] = text === "true" ? true : text === "false" ? false : text;
        break;
      default:
        out[name] = text;
    }
  }
  return out;
}
