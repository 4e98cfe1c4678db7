import { FIRST_ISO_DAY, LAST_ISO_DAY } from "./civil-date.js";
import type { Column } from "./column.js";
import { type ColumnBatch, type ColumnValues, columnKindsOf } from "./column-batch.js";
import { type Entity, isDefinedEntity } from "./define-entity.js";
import { compileValueChecks, decimalUnitBounds, intBounds } from "./record-check.js";

/**
 * Whether the record check (record-check.ts) accepts every record `columnBatchRecords(batch)`
 * gives, proved on the columns without making them: numbers against the column's bounds (and
 * the range whose canonical text the check takes), nulls only where the column is nullable,
 * strings by the record check's own verdict on each value (once per dictionary code a row
 * uses). `false` means "not proved", never "invalid": the caller then takes the batch's records
 * through `entity.check`, which judges them and words every error exactly as for any records.
 */
export type ColumnBatchCheck = (batch: ColumnBatch) => boolean;

const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants whose `toISOString` has a four-digit year. */
export const FIRST_ISO_INSTANT = FIRST_ISO_DAY * DAY_MS;
export const LAST_ISO_INSTANT = (LAST_ISO_DAY + 1) * DAY_MS - 1;

const compiled = new WeakMap<Entity, ColumnBatchCheck>();

/**
 * The columnar check of an entity's batches, compiled once per entity. An entity `defineEntity`
 * did not make (its `check` may be anything) gets a check that proves nothing.
 */
export function columnBatchCheckOf(entity: Entity): ColumnBatchCheck {
  let check = compiled.get(entity);
  if (!check) {
    check = isDefinedEntity(entity) ? compileColumnBatchCheck(entity) : () => false;
    compiled.set(entity, check);
  }
  return check;
}

function compileColumnBatchCheck(entity: Entity): ColumnBatchCheck {
  const values = compileValueChecks(entity);
  const checks = entity.columns.map((column, c) => columnCheck(column, values[c] as ValueCheck));
  return (batch) => {
    const { length } = batch;
    if (batch.entity !== entity || !Number.isSafeInteger(length) || length < 0) return false;
    for (let c = 0; c < checks.length; c++) {
      const column = batch.columns[c];
      // A column of the wrong kind is not proved: the records path throws its TypeError.
      if (!column || !(checks[c] as ColumnCheck)(column, length)) return false;
    }
    return true;
  };
}

type ValueCheck = (v: unknown) => boolean;
type ColumnCheck = (column: ColumnValues, length: number) => boolean;

function columnCheck(column: Column, value: ValueCheck): ColumnCheck {
  const { type, nullable } = column;
  const kinds = columnKindsOf(type);
  const numeric = numericRange(column);
  return (values, length) => {
    if (!kinds.includes(values.kind)) return false;
    switch (values.kind) {
      case "boolean": {
        const v = values.values;
        if (v.length < length) return false;
        if (!nullable) for (let i = 0; i < length; i++) if (v[i] === 2) return false;
        return true;
      }
      case "string": {
        const v = values.values;
        for (let i = 0; i < length; i++) if (!value(v[i] ?? null)) return false;
        return true;
      }
      case "dictionary":
        return dictionaryHolds(values, length, value);
      default: {
        if (!numeric || values.values.length < length) return false;
        const { min, max } = numeric;
        const { values: v, nulls } = values;
        for (let i = 0; i < length; i++) {
          if (nulls?.[i]) {
            if (!nullable) return false;
            continue;
          }
          const n = v[i] as number;
          // NaN fails both comparisons; a fraction fails isInteger (a date or int never has one).
          if (!(n >= min && n <= max) || !Number.isInteger(n)) return false;
        }
        return true;
      }
    }
  };
}

/** Each row's code names a dictionary value (or -1, null) the record check accepts. */
function dictionaryHolds(
  values: Extract<ColumnValues, { kind: "dictionary" }>,
  length: number,
  value: ValueCheck,
): boolean {
  const { dictionary, codes } = values;
  if (codes.length < length) return false;
  // 0: not seen yet, 1: accepted. A refused value ends the check at once.
  const accepted = new Uint8Array(dictionary.length);
  let nullAccepted = false;
  for (let i = 0; i < length; i++) {
    const code = codes[i] as number;
    if (code < 0) {
      if (!nullAccepted && !value(null)) return false;
      nullAccepted = true;
    } else if (accepted[code] !== 1) {
      if (code >= dictionary.length || !value(dictionary[code])) return false;
      accepted[code] = 1;
    }
  }
  return true;
}

/**
 * The numbers a numeric column may hold for its canonical text to pass the record check, or
 * undefined when that check is zod's (a decimal wider than 15 digits): then nothing is proved.
 */
function numericRange(column: Column): { min: number; max: number } | undefined {
  const { type } = column;
  switch (type.kind) {
    case "int":
      return intBounds(column);
    case "date":
      // isoDateOfDay writes a four-digit year only in these days.
      return { min: FIRST_ISO_DAY, max: LAST_ISO_DAY };
    case "timestamp":
      return { min: FIRST_ISO_INSTANT, max: LAST_ISO_INSTANT };
    case "decimal": {
      if (type.precision > 15) return undefined;
      // At most `precision` digits (below 10^15, so exact), within the column's bounds.
      const digits = 10 ** type.precision;
      const { min, max } = decimalUnitBounds(column, type.scale);
      return { min: Math.max(min, -digits + 1), max: Math.min(max, digits - 1) };
    }
    default:
      return undefined;
  }
}
