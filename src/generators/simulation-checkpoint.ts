import { z } from "zod";
import { dateOf, dayNumber } from "./calendar.js";
import type { SimulationConfig } from "./simulation-config.js";
import type { DayPosition, OpenOrder, Scheduled, StoreState } from "./store-day.js";

/**
 * Bumped whenever the simulation's rules change what a store-day produces from its state, so a
 * checkpoint written by another model is never resumed from (its output would differ from a
 * replay).
 */
export const SIMULATION_MODEL_VERSION = 1;

const openOrderSchema = z
  .object({
    sku: z.int().min(0),
    quantity: z.int(),
    arrival: z.int(),
    po: z.string(),
  })
  .strict();

/**
 * Open orders as columns: product index, units and arrival day number as little-endian Int32
 * in base64, and the purchase order numbers. A checkpoint holds thousands of orders: as objects
 * they were most of its JSON and most of the time taken to read and check it.
 */
const openColumnsSchema = z
  .object({
    sku: z.base64(),
    quantity: z.base64(),
    arrival: z.base64(),
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
    times: z.base64(),
    /** Deliveries and shrinkage still to come: [ms after `at`, product index, units, note]. */
    scheduled: z.array(z.tuple([z.int().min(0), z.int().min(0), z.int(), z.string()])),
    /** The last ticket number given, and the movements booked so far. */
    ticketNo: z.int().min(0),
    movements: z.int().min(0),
    /** Notes the day's movements used so far, in first-use order. */
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
          onHand: z.base64(),
          /** Purchase orders open at the day's opening (as objects in earlier checkpoints). */
          open: z.union([openColumnsSchema, z.array(openOrderSchema)]),
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

export function encodeStoreState(state: StoreState): EncodedStoreState {
  const { within } = state;
  return {
    day: dateOf(state.day),
    onHand: int32sToBase64(state.onHand),
    open: {
      sku: int32sToBase64(state.open.map((o) => o.sku)),
      quantity: int32sToBase64(state.open.map((o) => o.quantity)),
      arrival: int32sToBase64(state.open.map((o) => o.arrival)),
      po: state.open.map((o) => o.po),
    },
    ...(within
      ? {
          within: {
            rng: [...within.rng] as [number, number, number, number],
            times: int32sToBase64(within.times.map((t) => t - within.at)),
            scheduled: within.scheduled.map(
              (m) =>
                [m.t - within.at, m.sku, m.quantity, m.note] as [number, number, number, string],
            ),
            ticketNo: within.ticketNo,
            movements: within.movements,
            notes: [...within.notes],
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
): StoreState {
  const onHand = base64ToInt32s(encoded.onHand);
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
      times: Float64Array.from(base64ToInt32s(within.times), (t) => at + t),
      scheduled,
      ticketNo: within.ticketNo,
      movements: within.movements,
      notes: [...within.notes],
    };
  }
  return {
    day: dayNumber(encoded.day),
    onHand,
    open: openOrdersOf(encoded.open, products),
    ...(position ? { within: position } : {}),
  };
}

/**
 * Reads a checkpoint from its JSON text or value.
 * @throws SimulationCheckpointError naming what is wrong.
 */
export function parseSimulationCheckpoint(input: unknown): SimulationCheckpoint {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
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
// one once, not twice (the schema is most of a resume's cost: thousands of open orders).
const parsed = new WeakSet<object>();

function openOrdersOf(open: EncodedStoreState["open"], products: number): OpenOrder[] {
  if (Array.isArray(open)) return open.map((o): OpenOrder => ({ ...o }));
  const sku = base64ToInt32s(open.sku);
  const quantity = base64ToInt32s(open.quantity);
  const arrival = base64ToInt32s(open.arrival);
  const n = open.po.length;
  if (sku.length !== n || quantity.length !== n || arrival.length !== n) {
    throw new SimulationCheckpointError(
      `checkpoint open orders: ${n} purchase orders but ${sku.length} products, ${quantity.length} quantities and ${arrival.length} arrivals`,
    );
  }
  if (sku.some((p) => p < 0 || p >= products)) {
    throw new SimulationCheckpointError(
      `checkpoint open orders: a product index outside the simulation's ${products}`,
    );
  }
  return open.po.map((po, i) => ({
    sku: sku[i] as number,
    quantity: quantity[i] as number,
    arrival: arrival[i] as number,
    po,
  }));
}

function int32sToBase64(values: ArrayLike<number>): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setInt32(i * 4, values[i] as number, true);
  return base64Of(bytes);
}

function base64ToInt32s(base64: string): Int32Array {
  const bytes = bytesOf(base64);
  if (bytes.length % 4 !== 0) {
    throw new SimulationCheckpointError(`checkpoint holds ${bytes.length} bytes of Int32 values`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Int32Array(bytes.length >> 2);
  for (let i = 0; i < values.length; i++) values[i] = view.getInt32(i * 4, true);
  return values;
}

// Buffer is Node's; atob/btoa work everywhere the generators run (Node 16+, browsers, workers).
function base64Of(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
