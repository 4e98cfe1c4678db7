/**
 * A growable table of numeric events stored row-major in one Float64Array. A store-day holds
 * thousands of events that live across many windows; as objects they would be promoted to the
 * old generation and dominate GC time, as one typed array they cost 8 bytes a field.
 */
export class EventBuffer {
  private data: Float64Array;
  length = 0;

  constructor(
    /** Fields per event; field 0 is always the event time (epoch ms). */
    readonly stride: number,
    capacity = 256,
  ) {
    this.data = new Float64Array(capacity * stride);
  }

  /** Appends an event and returns its index; fill its fields with `set`. */
  add(t: number): number {
    if ((this.length + 1) * this.stride > this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const i = this.length++;
    this.data[i * this.stride] = t;
    return i;
  }

  set(i: number, field: number, value: number): void {
    this.data[i * this.stride + field] = value;
  }

  get(i: number, field: number): number {
    return this.data[i * this.stride + field] as number;
  }

  /** Event time of event `i`. */
  t(i: number): number {
    return this.data[i * this.stride] as number;
  }

  /** Drops the unused capacity once the buffer is complete. */
  trim(): void {
    this.data = this.data.slice(0, this.length * this.stride);
  }
}

/** Fields of a sale-line event. Amounts in cents; payment is an index into the profile's list. */
export const SALE = {
  ticket: 1,
  line: 2,
  sku: 3,
  quantity: 4,
  price: 5,
  discount: 6,
  customer: 7,
  payment: 8,
  stride: 9,
} as const;

/** Fields of a movement event; `note` indexes the store-day's notes (-1: none). */
export const MOVE = {
  seq: 1,
  sku: 2,
  type: 3,
  quantity: 4,
  ticket: 5,
  note: 6,
  stride: 7,
} as const;

/** Movement types in the order `MOVE.type` numbers them. */
export const MOVEMENT_TYPES = ["receipt", "sale", "return", "adjustment"] as const;
