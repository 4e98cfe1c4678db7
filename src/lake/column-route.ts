import { isoDateOfDay, TWO_DIGITS } from "../entities/civil-date.js";
import { FIRST_ISO_INSTANT, LAST_ISO_INSTANT } from "../entities/column-check.js";
import type { Column, ColumnBatch, ColumnValues, Entity } from "../entities/index.js";
import { storeGroupOf } from "./lake-path.js";

// What the lake writer reads off a `ColumnBatch` to route its rows without a record each: the
// text size, partition and store group of every row, each exactly what the record path computes
// from the row's canonical record (`columnBatchRecords`). They assume the batch passed
// `columnBatchCheckOf(entity)` (every value in range, every kind right).

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Some rows of one column batch, in the order they were appended to a file. */
export interface BatchRows {
  readonly batch: ColumnBatch;
  /** `recordTextSize` of each row's record, for the whole batch. */
  readonly sizes: Int32Array;
  /** Row indices into the batch. */
  readonly rows: Int32Array;
}

/**
 * `BatchRows` filled a row at a time as the writer routes them. The indices live in a typed
 * array grown by steps (a JS array of them per file was a third of the routing's garbage, kept
 * alive and copied by every scavenge until the file closed): `rows` is a view of those added.
 */
export class BatchRowList implements BatchRows {
  private indices: Int32Array;
  private count = 0;

  constructor(
    readonly batch: ColumnBatch,
    readonly sizes: Int32Array,
    /** The most rows this list can get: the batch's rows from the first one added. */
    private readonly most: number,
  ) {
    this.indices = new Int32Array(Math.min(most, FIRST_ROWS));
  }

  add(row: number): void {
    if (this.count === this.indices.length) {
      const grown = new Int32Array(Math.min(this.most, this.count * 4));
      grown.set(this.indices);
      this.indices = grown;
    }
    this.indices[this.count++] = row;
  }

  get rows(): Int32Array {
    return this.indices.subarray(0, this.count);
  }
}

// Rows of a batch often all go to one file (a batch is a window of one entity), often they
// split among a store group's files: start small, grow fast.
const FIRST_ROWS = 1024;

/**
 * `recordTextSize(entity.columns, record)` of each row's canonical record: a delimiter a column
 * plus the length of the value's text, computed from the numbers (an instant is always 24
 * characters, a date 10, a decimal its digits, sign and point).
 */
export function rowTextSizes(batch: ColumnBatch): Int32Array {
  const { entity, length } = batch;
  const sizes = new Int32Array(length).fill(entity.columns.length);
  entity.columns.forEach((column, c) => {
    addTextLengths(sizes, column, batch.columns[c] as ColumnValues, length);
  });
  return sizes;
}

function addTextLengths(sizes: Int32Array, column: Column, values: ColumnValues, n: number) {
  switch (values.kind) {
    case "boolean":
      for (let i = 0; i < n; i++) {
        const v = values.values[i];
        if (v !== 2) (sizes[i] as number) += v === 1 ? 4 : 5; // "true", "false"
      }
      return;
    case "string":
      for (let i = 0; i < n; i++) (sizes[i] as number) += values.values[i]?.length ?? 0;
      return;
    case "dictionary": {
      const { codes } = values;
      const lengths = valueLengths(values.dictionary);
      for (let i = 0; i < n; i++) {
        const code = codes[i] as number;
        if (code >= 0) (sizes[i] as number) += lengths[code] as number;
      }
      return;
    }
    case "date":
    case "timestamp":
      // YYYY-MM-DD, YYYY-MM-DDTHH:MM:SS.sssZ: one length for every value.
      addConstant(sizes, values.kind === "date" ? 10 : 24, values.nulls, n);
      return;
    default: {
      // fromUnits: the sign, at least scale + 1 digits (a leading 0), the point. An int is a
      // decimal of scale 0. One loop a column, no call a row: this ran for every number cell.
      const scale = column.type.kind === "decimal" ? column.type.scale : 0;
      const fewest = scale + 1;
      const point = scale > 0 ? 1 : 0;
      const { values: v, nulls } = values;
      for (let i = 0; i < n; i++) {
        if (nulls?.[i]) continue;
        const x = v[i] as number;
        const digits = digitCount(x < 0 ? -x : x);
        (sizes[i] as number) += (x < 0 ? 1 : 0) + Math.max(digits, fewest) + point;
      }
    }
  }
}

// A simulation's dictionaries (every SKU) are shared by its batches and may be longer than one:
// their values' lengths are found once a dictionary, not a string read a row. A batch's
// dictionary is never written into once handed over; one that grew anyway is measured again.
const dictionaryLengths = new WeakMap<readonly string[], Int32Array>();

function valueLengths(dictionary: readonly string[]): Int32Array {
  let lengths = dictionaryLengths.get(dictionary);
  if (lengths?.length !== dictionary.length) {
    // Only the codes rows use were checked to be strings.
    lengths = Int32Array.from(dictionary, (value) =>
      typeof value === "string" ? value.length : 0,
    );
    dictionaryLengths.set(dictionary, lengths);
  }
  return lengths;
}

function addConstant(sizes: Int32Array, length: number, nulls: Uint8Array | undefined, n: number) {
  if (nulls === undefined) for (let i = 0; i < n; i++) (sizes[i] as number) += length;
  else for (let i = 0; i < n; i++) if (!nulls[i]) (sizes[i] as number) += length;
}

/** Decimal digits of a whole number below 10^15 (1 for 0). */
function digitCount(n: number): number {
  let digits = 1;
  for (let ten = 10; n >= ten; ten *= 10) digits++;
  return digits;
}

/** A row's partition: what `partitionOf` gives its event time. */
export type Part = { readonly dt?: string; readonly hour?: string };
const NO_PART: Part = Object.freeze({});

/**
 * The partition of row `i`, from the event-time column's days or epoch milliseconds, made once
 * per run of rows in one partition (rows come in event-time order).
 */
export function partitionReader(batch: ColumnBatch): (i: number) => Part {
  const { entity } = batch;
  const at = entity.columns.findIndex((c) => c.name === entity.eventTime);
  const values = batch.columns[at];
  if (entity.partition === "none" || !values) return () => NO_PART;
  if (values.kind !== "date" && values.kind !== "timestamp")
    throw new TypeError(`${entity.name}.${entity.eventTime}: not a date or timestamp column`);
  const time = values.values;
  // A date is its own day; an instant's bucket is its UTC hour (or day).
  const width = values.kind === "date" ? 1 : entity.partition === "hour" ? HOUR_MS : DAY_MS;
  const perDay = values.kind === "date" ? 1 : DAY_MS / width;
  let last = Number.NaN;
  let part = NO_PART;
  return (i) => {
    const bucket = Math.floor((time[i] as number) / width);
    if (bucket !== last) {
      last = bucket;
      const day = Math.floor(bucket / perDay);
      const dt = isoDateOfDay(day);
      part = width === HOUR_MS ? { dt, hour: TWO_DIGITS[bucket - day * 24] as string } : { dt };
    }
    return part;
  };
}

/**
 * The store group of row `i` as the record path gives it (`storeGroupOf` of its `store_id`, 0
 * for a null one), once per dictionary code or per run of one store.
 */
export function storeGroupReader(batch: ColumnBatch, groups: number): (i: number) => number {
  const at = batch.entity.columns.findIndex((c) => c.name === "store_id");
  const values = batch.columns[at];
  if (values?.kind === "dictionary") {
    const { dictionary, codes } = values;
    const memo = new Int16Array(dictionary.length).fill(-1);
    return (i) => {
      const code = codes[i] as number;
      if (code < 0) return 0;
      let group = memo[code] as number;
      if (group < 0) {
        group = storeGroupOf(dictionary[code] as string, groups);
        memo[code] = group;
      }
      return group;
    };
  }
  if (values?.kind === "string") {
    let last: string | null | undefined;
    let group = 0;
    return (i) => {
      const id = values.values[i] ?? null;
      if (id !== last) {
        last = id;
        group = id === null ? 0 : storeGroupOf(id, groups);
      }
      return group;
    };
  }
  return () => 0;
}

/**
 * Whether `checkBatchWindow` passes every row of the batch: each event time set and inside the
 * window. `false` sends the batch down the record path, which throws the `BatchWindowError`.
 */
export function eventsInsideWindow(entity: Entity, batch: ColumnBatch): boolean {
  const at = entity.columns.findIndex((c) => c.name === entity.eventTime);
  const values = batch.columns[at];
  if (!entity.eventTime) return true;
  if (!values || (values.kind !== "date" && values.kind !== "timestamp")) return false;
  const from = Date.parse(batch.window.from);
  const to = Date.parse(batch.window.to);
  // The record path compares instants as text with the window's `toISOString`: the same as
  // numbers only while both have four-digit years. Anything else is left to it.
  if (!(from >= FIRST_ISO_INSTANT && to <= LAST_ISO_INSTANT && from < to)) return false;
  const { values: time, nulls } = values;
  const date = values.kind === "date";
  for (let i = 0; i < batch.length; i++) {
    if (nulls?.[i]) return false;
    const t = time[i] as number;
    // A date is inside a window overlapping its UTC day, the day before or the day after.
    if (date ? !(from < (t + 2) * DAY_MS && (t - 1) * DAY_MS < to) : !(t >= from && t < to))
      return false;
  }
  return true;
}
