/**
 * A growable table of events: times in a Float64Array, the other fields as int32, row-major.
 * A store-day holds thousands of events that live across many windows; as objects they would
 * be promoted to the old generation and dominate GC time, here they cost 4 bytes a field.
 */
export class EventBuffer {
  private times: Float64Array;
  private fields: Int32Array;
  length = 0;

  constructor(
    /** Int fields per event (besides its time). */
    readonly stride: number,
    capacity = 64,
  ) {
    this.times = new Float64Array(capacity);
    this.fields = new Int32Array(capacity * stride);
  }

  /** Makes room for `events` in all, so a buffer of known size grows once, not by doubling. */
  reserve(events: number): void {
    if (events <= this.times.length) return;
    const times = new Float64Array(events);
    times.set(this.times.subarray(0, this.length));
    const fields = new Int32Array(events * this.stride);
    fields.set(this.fields.subarray(0, this.length * this.stride));
    this.times = times;
    this.fields = fields;
  }

  /** Appends an event at time `t` (epoch ms) and returns its index; fill it with `set`. */
  add(t: number): number {
    if (this.length === this.times.length) this.reserve(this.length * 2);
    const i = this.length++;
    this.times[i] = t;
    return i;
  }

  /**
   * Appends a sale line (fields in `SALE` order) and returns its index. One call a line: read
   * through a CommonJS transform (tsx, the benches), every `SALE.x` the caller named was an
   * export getter call, a tenth of simulating a day.
   */
  addSale(
    t: number,
    ticket: number,
    line: number,
    sku: number,
    quantity: number,
    price: number,
    discount: number,
    customer: number,
    payment: number,
  ): number {
    const i = this.add(t);
    const f = this.fields;
    const at = i * this.stride;
    f[at + SALE.ticket] = ticket;
    f[at + SALE.line] = line;
    f[at + SALE.sku] = sku;
    f[at + SALE.quantity] = quantity;
    f[at + SALE.price] = price;
    f[at + SALE.discount] = discount;
    f[at + SALE.customer] = customer;
    f[at + SALE.payment] = payment;
    return i;
  }

  /** Appends a movement (fields in `MOVE` order; `seq` is its rank) and returns its index. */
  addMovement(
    t: number,
    seq: number,
    sku: number,
    type: number,
    quantity: number,
    ticket: number,
    note: number,
  ): number {
    const i = this.add(t);
    const f = this.fields;
    const at = i * this.stride;
    f[at + MOVE.seq] = seq;
    f[at + MOVE.sku] = sku;
    f[at + MOVE.type] = type;
    f[at + MOVE.quantity] = quantity;
    f[at + MOVE.ticket] = ticket;
    f[at + MOVE.note] = note;
    return i;
  }

  set(i: number, field: number, value: number): void {
    this.fields[i * this.stride + field] = value;
  }

  get(i: number, field: number): number {
    return this.fields[i * this.stride + field] as number;
  }

  /** Event time of event `i`. */
  t(i: number): number {
    return this.times[i] as number;
  }

  /** Drops the unused capacity once the buffer is complete. */
  trim(): void {
    if (this.length === this.times.length) return;
    this.times = this.times.slice(0, this.length);
    this.fields = this.fields.slice(0, this.length * this.stride);
  }
}

/** Int fields of a sale-line event. Amounts in cents; payment indexes the profile's list. */
export const SALE = {
  ticket: 0,
  line: 1,
  sku: 2,
  quantity: 3,
  price: 4,
  discount: 5,
  customer: 6,
  payment: 7,
  stride: 8,
} as const;

/** Int fields of a movement event; `note` indexes the store-day's notes (-1: none). */
export const MOVE = {
  seq: 0,
  sku: 1,
  type: 2,
  quantity: 3,
  ticket: 4,
  note: 5,
  stride: 6,
} as const;

/** Movement types in the order `MOVE.type` numbers them. */
export const MOVEMENT_TYPES = ["receipt", "sale", "return", "adjustment"] as const;
