import { z } from "zod";
import { dateOf, dayNumber } from "./calendar.js";
import type { SimulationConfig } from "./simulation-config.js";
import type { DayPosition, OpenOrders, Scheduled, StoreState } from "./store-day.js";

/**
 * Bumped whenever the simulation's rules change what a store-day produces from its state, so a
 * checkpoint written by another model is never resumed from (its output would differ from a
 * replay).
 */
export const SIMULATION_MODEL_VERSION = 1;

/** The checkpoint's own encoding as JSON (not the simulation's rules): see `format` below. */
export const CHECKPOINT_FORMAT = 2;

/** The binary encoding (`simulationCheckpointBytes`): what `saveSimulationCheckpoint` writes. */
export const CHECKPOINT_BYTES_FORMAT = 3;

/** An open order in checkpoints of format 1 before columns (purchase order number as text). */
const openOrderSchema = z
  .object({
    sku: z.int().min(0),
    quantity: z.int(),
    arrival: z.int(),
    po: z.string(),
  })
  .strict();

/**
 * A column of Int32 values: little-endian in base64 text (JSON, formats 1 and 2), or the values
 * themselves (a checkpoint read from its bytes, format 3). Text is checked when decoded (its
 * length against what the text promises), not by a regular expression over every character
 * here: that was a third of the time taken to read a checkpoint.
 */
const base64Column = z.custom<string | Int32Array>(
  (value) => typeof value === "string" || value instanceof Int32Array,
  "expected base64 text or an Int32Array",
);

/**
 * Open orders as columns of little-endian Int32 in base64: product index, units, arrival day
 * number, and the day number and rank the purchase order was placed with (its number is
 * `PO-<store>-<yyyymmdd>-<rank>`, built when the order is received). A checkpoint holds
 * thousands of orders: as objects, then as text numbers, they were most of its JSON and of the
 * time taken to read it.
 */
const openColumnsSchema = z
  .object({
    sku: base64Column,
    quantity: base64Column,
    arrival: base64Column,
    ordered: base64Column,
    rank: base64Column,
  })
  .strict();

/** Format 1's columns: purchase order numbers as text. */
const openColumnsV1Schema = z
  .object({
    sku: base64Column,
    quantity: base64Column,
    arrival: base64Column,
    po: z.array(z.string()),
  })
  .strict();

const uint32 = z.int().min(0).max(0xffff_ffff);

/** Where a store stood inside its business day at the checkpoint's instant. */
const dayPositionSchema = z
  .object({
    /** The day's random stream after the events before the instant (sfc32's four words). */
    rng: z.tuple([uint32, uint32, uint32, uint32]),
    /**
     * Arrival times of the day's tickets still to come, as ms after `at`: little-endian Int32,
     * base64 (the rest of the plan drawn at the day's opening, so a resume need not draw it).
     */
    times: base64Column,
    /** Deliveries and shrinkage still to come: [ms after `at`, product index, units, note]. */
    scheduled: z.array(z.tuple([z.int().min(0), z.int().min(0), z.int(), z.string()])),
    /** The last ticket number given, and the movements booked so far. */
    ticketNo: z.int().min(0),
    movements: z.int().min(0),
    /**
     * Notes the day's movements used so far: written empty since format 3 came (and ignored
     * when read), as a resumed day needs none; kept so that earlier versions read new JSON.
     */
    notes: z.array(z.string()),
  })
  .strict();

/**
 * The simulation's state for windows starting at an instant: each store's position in the
 * first business day that such a window reads (the first day closing after it): its opening
 * (stock on hand and open purchase orders) when the instant is before the day starts, else the
 * stock at the instant and, in `within`, the day's random stream and counters there. Nothing
 * else carries over (every random stream is keyed by seed, store and day), so a fresh process
 * that resumes from it produces exactly what a replay from `from` would, simulating only what
 * follows the instant. JSON, so it can live in any lake store.
 */
export const simulationCheckpointSchema = z
  .object({
    kind: z.literal("retail-mds/simulation-checkpoint"),
    model: z.literal(SIMULATION_MODEL_VERSION),
    /**
     * How the state is written: 3 (read from bytes: columns as Int32Array), 2 (JSON: open
     * orders' purchase numbers as day and rank columns of base64); absent in format 1 (numbers
     * as text, or orders as objects), which is still read.
     */
    format: z.union([z.literal(CHECKPOINT_FORMAT), z.literal(CHECKPOINT_BYTES_FORMAT)]).optional(),
    /** `simulationFingerprint(config)` of the simulation it was taken from. */
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
    /** Windows starting at or after this instant (UTC, ISO 8601) can resume from it. */
    at: z.iso.datetime(),
    /** Per store, in store order. */
    stores: z.array(
      z
        .object({
          /** The business day (local to the store) whose opening position this is. */
          day: z.iso.date(),
          /** On-hand units per product index (at `at` when `within` is set): little-endian Int32, base64. */
          onHand: base64Column,
          /** Purchase orders open at the day's opening (format 1: text numbers, or objects). */
          open: z.union([openColumnsSchema, openColumnsV1Schema, z.array(openOrderSchema)]),
          /** Set when `at` is inside the day: where the day stood at `at`. */
          within: dayPositionSchema.optional(),
        })
        .strict(),
    ),
  })
  .strict();

export type SimulationCheckpoint = z.infer<typeof simulationCheckpointSchema>;

/** A checkpoint was malformed or taken from another simulation. */
export class SimulationCheckpointError extends Error {
  override readonly name = "SimulationCheckpointError";
}

/**
 * What makes two simulations' states interchangeable: every config field but `days` (which
 * only bounds the period), and the model version. 16 hex digits.
 * @example
 * simulationFingerprint(sim.config); // "3f9c0a1e5b7d2c48"
 */
export function simulationFingerprint(config: SimulationConfig): string {
  const { days: _days, ...shaping } = config;
  const text = JSON.stringify({ model: SIMULATION_MODEL_VERSION, ...sortedKeys(shaping) });
  // Two independent 32-bit FNV-1a lanes: a name for a folder, not a security boundary.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

function sortedKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([x], [y]) => (x < y ? -1 : 1)));
}

type EncodedStoreState = SimulationCheckpoint["stores"][number];

/**
 * A store's checkpoint entry: its columns as base64 text (JSON), or as the values themselves
 * (`values`: for `simulationCheckpointBytes`, with no base64 on the way). The values are the
 * state's own arrays, which nothing writes to once a state is taken.
 */
export function encodeStoreState(state: StoreState, values = false): EncodedStoreState {
  const { within } = state;
  const column: (ints: Int32Array) => string | Int32Array = values
    ? (ints) => ints
    : int32sToBase64;
  return {
    day: dateOf(state.day),
    onHand: column(state.onHand),
    open: {
      sku: column(state.open.sku),
      quantity: column(state.open.quantity),
      arrival: column(state.open.arrival),
      ordered: column(state.open.ordered),
      rank: column(state.open.rank),
    },
    ...(within
      ? {
          within: {
            rng: [...within.rng] as [number, number, number, number],
            times: column(within.times),
            scheduled: within.scheduled.map(
              (m) =>
                [m.t - within.at, m.sku, m.quantity, m.note] as [number, number, number, string],
            ),
            ticketNo: within.ticketNo,
            movements: within.movements,
            notes: [],
          },
        }
      : {}),
  };
}

/** A store's state from its checkpoint entry; `at` is the checkpoint's instant (epoch ms). */
export function decodeStoreState(
  encoded: EncodedStoreState,
  products: number,
  at: number,
  storeId: string,
  field = "stores",
): StoreState {
  const onHand = base64ToInt32s(encoded.onHand, `${field}.onHand`);
  if (onHand.length !== products) {
    throw new SimulationCheckpointError(
      `checkpoint holds ${onHand.length} products a store; the simulation has ${products}`,
    );
  }
  const within = encoded.within;
  let position: DayPosition | undefined;
  if (within) {
    const scheduled = within.scheduled.map(
      ([t, sku, quantity, note]): Scheduled => ({ t: at + t, sku, quantity, note }),
    );
    if (scheduled.some((m) => m.sku >= products)) {
      throw new SimulationCheckpointError(
        `checkpoint schedules a movement of a product past the simulation's ${products}`,
      );
    }
    position = {
      at,
      rng: within.rng,
      times: base64ToInt32s(within.times, `${field}.within.times`),
      scheduled,
      ticketNo: within.ticketNo,
      movements: within.movements,
    };
  }
  return {
    day: dayNumber(encoded.day),
    onHand,
    open: openOrdersOf(encoded.open, products, `${field}.open`, storeId),
    ...(position ? { within: position } : {}),
  };
}

/**
 * Reads a checkpoint from its bytes (`simulationCheckpointBytes`, or the UTF-8 of its JSON), its
 * JSON text or value.
 * @throws SimulationCheckpointError naming what is wrong.
 */
export function parseSimulationCheckpoint(input: unknown): SimulationCheckpoint {
  let value = input;
  if (input instanceof Uint8Array) {
    value = startsWithMagic(input) ? fromBytes(input) : new TextDecoder().decode(input);
  }
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new SimulationCheckpointError("checkpoint is not JSON");
    }
  }
  if (parsed.has(value as object)) return value as SimulationCheckpoint;
  const result = simulationCheckpointSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SimulationCheckpointError(
      `checkpoint field "${issue?.path.join(".") || "(root)"}": ${issue?.message ?? "invalid"}`,
    );
  }
  parsed.add(result.data);
  return result.data;
}

// Checkpoints this function returned: `resume(parseSimulationCheckpoint(text))` then checks
// one once, not twice.
const parsed = new WeakSet<object>();

function openOrdersOf(
  open: EncodedStoreState["open"],
  products: number,
  field: string,
  storeId: string,
): OpenOrders {
  let orders: OpenOrders;
  if (Array.isArray(open) || "po" in open) {
    orders = formatOneOrders(open, field, storeId);
  } else {
    orders = {
      sku: base64ToInt32s(open.sku, `${field}.sku`),
      quantity: base64ToInt32s(open.quantity, `${field}.quantity`),
      arrival: base64ToInt32s(open.arrival, `${field}.arrival`),
      ordered: base64ToInt32s(open.ordered, `${field}.ordered`),
      rank: base64ToInt32s(open.rank, `${field}.rank`),
    };
  }
  const lengths = Object.entries(orders).map(([name, column]) => `${name} ${column.length}`);
  if (Object.values(orders).some((column) => column.length !== orders.sku.length)) {
    throw new SimulationCheckpointError(
      `checkpoint field "${field}": columns of unequal length (${lengths.join(", ")})`,
    );
  }
  if (orders.sku.some((p) => p < 0 || p >= products)) {
    throw new SimulationCheckpointError(
      `checkpoint field "${field}.sku": a product index outside the simulation's ${products}`,
    );
  }
  return orders;
}

const PURCHASE_ORDER = /^PO-(.+)-(\d{4})(\d{2})(\d{2})-(\d{4,})$/;

// Format 1 wrote each order's purchase number as text: read back as the day and rank it was
// built from (`purchaseOrderOf`), so the orders are the same as a format-2 checkpoint's.
function formatOneOrders(
  open: Exclude<EncodedStoreState["open"], { rank: unknown }>,
  field: string,
  storeId: string,
): OpenOrders {
  const columns = Array.isArray(open)
    ? {
        sku: Int32Array.from(open, (o) => o.sku),
        quantity: Int32Array.from(open, (o) => o.quantity),
        arrival: Int32Array.from(open, (o) => o.arrival),
        po: open.map((o) => o.po),
      }
    : {
        sku: base64ToInt32s(open.sku, `${field}.sku`),
        quantity: base64ToInt32s(open.quantity, `${field}.quantity`),
        arrival: base64ToInt32s(open.arrival, `${field}.arrival`),
        po: open.po,
      };
  const ordered = new Int32Array(columns.po.length);
  const rank = new Int32Array(columns.po.length);
  columns.po.forEach((po, i) => {
    const match = PURCHASE_ORDER.exec(po);
    if (!match || match[1] !== storeId) {
      throw new SimulationCheckpointError(
        `checkpoint field "${field}.po.${i}": ${JSON.stringify(po)} is not a purchase order number of store ${storeId}`,
      );
    }
    ordered[i] = dayNumber(`${match[2]}-${match[3]}-${match[4]}`);
    rank[i] = Number(match[5]);
  });
  return { sku: columns.sku, quantity: columns.quantity, arrival: columns.arrival, ordered, rank };
}

function int32sToBase64(values: ArrayLike<number>): string {
  const ints = values instanceof Int32Array ? values : Int32Array.from(values);
  if (LITTLE_ENDIAN) return base64Of(new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength));
  const bytes = new Uint8Array(ints.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < ints.length; i++) view.setInt32(i * 4, ints[i] as number, true);
  return base64Of(bytes);
}

function base64ToInt32s(column: string | Int32Array, field: string): Int32Array {
  if (typeof column !== "string") return column;
  const bytes = bytesOf(column, field);
  if (bytes.length % 4 !== 0) {
    throw new SimulationCheckpointError(
      `checkpoint field "${field}": ${bytes.length} bytes are not whole Int32 values`,
    );
  }
  // On a little-endian machine (all that Node and browsers run on, in practice) the bytes are
  // the values: one copy, aligned, instead of a DataView read per value.
  if (LITTLE_ENDIAN) {
    return new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Int32Array(bytes.length >> 2);
  for (let i = 0; i < values.length; i++) values[i] = view.getInt32(i * 4, true);
  return values;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// Format 3, a checkpoint as bytes: `MAGIC`, the byte length of a JSON header (Uint32, little
// endian), the header (the checkpoint with each column replaced by its count of values), zero
// bytes to a multiple of 4, then every column's values as little-endian Int32, in the header's
// order. A cold start reads the columns in place instead of parsing and decoding ~0.5 MB of
// base64 in JSON, which was about a third of its cost.
const MAGIC = [0x52, 0x4d, 0x44, 0x53, 0x43, 0x4b, 0x50, 0x54]; // "RMDSCKPT"
const HEAD = MAGIC.length + 4;

function startsWithMagic(bytes: Uint8Array): boolean {
  return bytes.length >= HEAD && MAGIC.every((b, i) => bytes[i] === b);
}

type Loose = Record<string, unknown>;

/** Each store's columns (`onHand`, `open.*` but format 1's `po`, `within.times`) through `f`. */
function mapColumns(stores: unknown, f: (column: unknown, field: string) => unknown): unknown {
  if (!Array.isArray(stores)) return stores;
  return stores.map((entry: Loose, i) => {
    if (typeof entry !== "object" || entry === null) return entry;
    const field = `stores.${i}`;
    const out: Loose = { ...entry, onHand: f(entry.onHand, `${field}.onHand`) };
    const open = entry.open as Loose | undefined;
    if (open && typeof open === "object" && !Array.isArray(open)) {
      out.open = Object.fromEntries(
        Object.entries(open).map(([k, v]) => [k, k === "po" ? v : f(v, `${field}.open.${k}`)]),
      );
    }
    const within = entry.within as Loose | undefined;
    if (within && typeof within === "object") {
      out.within = { ...within, times: f(within.times, `${field}.within.times`) };
    }
    return out;
  });
}

/**
 * A checkpoint as bytes (format 3): what `saveSimulationCheckpoint` writes, and
 * `parseSimulationCheckpoint` reads back.
 * @throws SimulationCheckpointError for a checkpoint of format 1 (resume it and take a new one).
 * @example
 * const bytes = simulationCheckpointBytes(sim.checkpoint("2026-12-31T12:05:00Z"));
 * other.resume(parseSimulationCheckpoint(bytes));
 */
export function simulationCheckpointBytes(checkpoint: SimulationCheckpoint): Uint8Array {
  const columns: Int32Array[] = [];
  const stores = mapColumns(checkpoint.stores, (column, field) => {
    const values = base64ToInt32s(column as string | Int32Array, field);
    columns.push(values);
    return values.length;
  });
  for (const entry of checkpoint.stores) {
    if (Array.isArray(entry.open) || "po" in entry.open) {
      throw new SimulationCheckpointError(
        "a checkpoint of format 1 has no bytes form: resume from it and take a new checkpoint",
      );
    }
  }
  const header = new TextEncoder().encode(
    JSON.stringify({ ...checkpoint, format: CHECKPOINT_BYTES_FORMAT, stores }),
  );
  const body = (HEAD + header.length + 3) & ~3;
  const size = columns.reduce((n, c) => n + 4 * c.length, body);
  const bytes = new Uint8Array(size);
  bytes.set(MAGIC);
  const view = new DataView(bytes.buffer);
  view.setUint32(MAGIC.length, header.length, true);
  bytes.set(header, HEAD);
  let offset = body;
  for (const column of columns) {
    if (LITTLE_ENDIAN)
      bytes.set(new Uint8Array(column.buffer, column.byteOffset, column.byteLength), offset);
    else
      for (let i = 0; i < column.length; i++)
        view.setInt32(offset + 4 * i, column[i] as number, true);
    offset += column.byteLength;
  }
  return bytes;
}

// The checkpoint in format-3 bytes, its columns Int32Arrays over those bytes (no copy on a
// little-endian machine when they are 4-byte aligned, as a file read whole is).
function fromBytes(input: Uint8Array): unknown {
  const length = new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(
    MAGIC.length,
    true,
  );
  if (HEAD + length > input.length) {
    throw new SimulationCheckpointError(
      `checkpoint bytes cut short: a ${length}-byte header in ${input.length} bytes`,
    );
  }
  let header: Loose;
  try {
    header = JSON.parse(new TextDecoder().decode(input.subarray(HEAD, HEAD + length)));
  } catch {
    throw new SimulationCheckpointError("checkpoint bytes: the header is not JSON");
  }
  if (typeof header !== "object" || header === null) {
    throw new SimulationCheckpointError("checkpoint bytes: the header is not an object");
  }
  const bytes = input.byteOffset % 4 === 0 ? input : input.slice();
  let offset = (HEAD + length + 3) & ~3;
  const stores = mapColumns(header.stores, (count, field) => {
    if (!Number.isInteger(count) || (count as number) < 0) {
      throw new SimulationCheckpointError(
        `checkpoint field "${field}": ${JSON.stringify(count)} is not a count of values`,
      );
    }
    const end = offset + 4 * (count as number);
    if (end > bytes.length) {
      throw new SimulationCheckpointError(
        `checkpoint field "${field}": cut short (${count} values past the end of the bytes)`,
      );
    }
    const column = LITTLE_ENDIAN
      ? new Int32Array(bytes.buffer, bytes.byteOffset + offset, count as number)
      : Int32Array.from({ length: count as number }, (_, i) =>
          new DataView(bytes.buffer, bytes.byteOffset).getInt32(offset + 4 * i, true),
        );
    offset = end;
    return column;
  });
  if (offset !== bytes.length) {
    throw new SimulationCheckpointError(
      `checkpoint bytes: ${bytes.length - offset} bytes after the last column`,
    );
  }
  return { ...header, stores };
}

// Node's Buffer where there is one (a native codec, several times faster than atob/btoa and a
// loop over chars: decoding was most of a resume); atob/btoa elsewhere (browsers, workers).
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

function base64Of(bytes: Uint8Array): string {
  if (NodeBuffer)
    return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The bytes of canonical base64 text (padded to a multiple of 4 characters). */
function bytesOf(base64: string, field: string): Uint8Array {
  const damaged = () =>
    new SimulationCheckpointError(`checkpoint field "${field}": not base64 (a damaged column)`);
  if (!NodeBuffer) {
    let binary: string;
    try {
      binary = atob(base64);
    } catch {
      throw damaged();
    }
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }
  // Buffer skips characters that are not base64 rather than failing: the decoded length then
  // falls short of what the text's length promises, which is how a damaged column is told.
  const bytes = NodeBuffer.from(base64, "base64");
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  if (base64.length % 4 !== 0 || bytes.length !== (base64.length / 4) * 3 - padding) {
    throw damaged();
  }
  return bytes;
}
