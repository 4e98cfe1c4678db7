import type { ColumnValues } from "./column-batch.js";

/** A `ColumnValues` of kind "utf8". */
export type Utf8Values = Extract<ColumnValues, { kind: "utf8" }>;

const encoder = new TextEncoder();

/**
 * Fills a "utf8" column of a `ColumnBatch` row by row, appending each row's pieces as bytes
 * (an id's prefix, its zero-padded number) and ending the row: no string is made for a row, so
 * a generator's per-row ids leave nothing for the garbage collector but one buffer.
 * @example
 * const ids = new Utf8Builder(2);
 * ids.ascii("T-").digits(42, 6).endRow(); // "T-000042"
 * ids.nullRow();
 * ids.build(); // { kind: "utf8", bytes, offsets: Int32Array [0, 8, 8], nulls: [0, 1] }
 */
export class Utf8Builder {
  private bytes: Uint8Array;
  private readonly offsets: Int32Array;
  private nulls: Uint8Array | undefined;
  private at = 0;
  private row = 0;

  /** `rows` rows, with room for about `bytesPerRow` bytes each to start with (it grows). */
  constructor(
    private readonly rows: number,
    bytesPerRow = 16,
  ) {
    this.offsets = new Int32Array(rows + 1);
    this.bytes = new Uint8Array(Math.max(16, rows * bytesPerRow));
  }

  /** Appends a text; UTF-16 units below 128 are copied as bytes, anything else is encoded. */
  ascii(text: string): this {
    const n = text.length;
    this.room(n);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 128) {
        this.at = at;
        return this.text(text.slice(i));
      }
      bytes[at++] = unit;
    }
    this.at = at;
    return this;
  }

  /**
   * Appends any text as UTF-8 (a lone surrogate as U+FFFD, as `TextEncoder` writes it: each
   * piece is encoded on its own, so do not split a surrogate pair between two).
   */
  text(text: string): this {
    this.room(3 * text.length);
    this.at += encoder.encodeInto(text, this.bytes.subarray(this.at)).written;
    return this;
  }

  /** Appends bytes as they are (a prefix encoded once, say); they must be UTF-8 to be valid. */
  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    const to = this.bytes;
    let at = this.at;
    for (let i = 0; i < bytes.length; i++) to[at++] = bytes[i] as number;
    this.at = at;
    return this;
  }

  /** Appends `String(n).padStart(width, "0")`, digit by digit for a safe integer >= 0. */
  digits(n: number, width = 1): this {
    if (!(Number.isSafeInteger(n) && n >= 0)) return this.ascii(String(n).padStart(width, "0"));
    let count = 1;
    for (let ten = 10; n >= ten; ten *= 10) count++;
    const length = Math.max(count, width);
    this.room(length);
    const bytes = this.bytes;
    const end = this.at + length;
    let at = end;
    let rest = n;
    for (let d = 0; d < count; d++) {
      // Below 2^31 an int32 division (| 0) is exact and much cheaper than Math.floor.
      const next = rest < 2147483648 ? (rest / 10) | 0 : Math.floor(rest / 10);
      bytes[--at] = 48 + (rest - next * 10); // the digit first: 48 + rest may pass 2^53
      rest = next;
    }
    while (at > this.at) bytes[--at] = 48; // the padding zeros
    this.at = end;
    return this;
  }

  /** Ends the current row: what was appended since the last row's end is its value. */
  endRow(): void {
    if (this.row >= this.rows) throw new RangeError(`a Utf8Builder of ${this.rows} rows is full`);
    this.offsets[++this.row] = this.at;
  }

  /** A null row (anything appended to it is dropped). */
  nullRow(): void {
    this.nulls ??= new Uint8Array(this.rows);
    this.nulls[this.row] = 1;
    this.at = this.offsets[this.row] as number;
    this.endRow();
  }

  /** The column, once every row has ended; the builder must not be used afterwards. */
  build(): Utf8Values {
    if (this.row !== this.rows)
      throw new RangeError(`a Utf8Builder of ${this.rows} rows has ${this.row} ended`);
    // Less than half used: a copy of what is, rather than keeping the room alive with the batch.
    const bytes =
      this.at < this.bytes.length >> 1
        ? this.bytes.slice(0, this.at)
        : this.bytes.subarray(0, this.at);
    return {
      kind: "utf8",
      bytes,
      offsets: this.offsets,
      ...(this.nulls ? { nulls: this.nulls } : {}),
    };
  }

  private room(extra: number): void {
    const need = this.at + extra;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, 2 * this.bytes.length));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }
}

/**
 * Whether `bytes[start..end)` are all ASCII (below 0x80): then each byte is one UTF-16 unit.
 * Four bytes at a time where the view allows it: the check runs over every id of a batch.
 */
export function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  let high = 0;
  for (; i < end && (bytes.byteOffset + i) % 4 !== 0; i++) high |= bytes[i] as number;
  const wordsEnd = i + ((end - i) & ~3);
  // A view costs an object: only over a run worth it.
  if (wordsEnd - i >= 64) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (wordsEnd - i) >> 2);
    for (let w = 0; w < words.length; w++) high |= words[w] as number;
    i = wordsEnd;
  }
  for (; i < end; i++) high |= bytes[i] as number;
  return (high & 0x80808080) === 0;
}

/**
 * The UTF-16 length of the text that valid UTF-8 `bytes[start..end)` spell (a `string`'s
 * `length`): one unit a character, two for one beyond U+FFFF (a 4-byte sequence).
 */
export function utf16Length(bytes: Uint8Array, start: number, end: number): number {
  let units = 0;
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  return units;
}
