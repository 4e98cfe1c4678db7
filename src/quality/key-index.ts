/**
 * A set of keys seen so far, for `unique`, in 8 bytes a slot: each key is kept as a 64-bit
 * fingerprint (two independent 32-bit hashes), whatever its length. A `Set<string>` costs 60-100
 * bytes a key in V8 and stops at 2^24 entries.
 *
 * The fingerprints are spread over 256 open-addressed tables by their top 8 bits, each growing
 * on its own at three-quarters load. One big table doubling at half load held 2^25 slots of
 * 9 bytes for 10 M keys, and briefly 1.5x that while it grew (the old and the new table):
 * 450 MB at the peak. Sharded, a growth copies 1/256 of the keys, so the peak is the tables
 * themselves: 134 MB for 10 M keys (load 0.6).
 *
 * The price is that two different keys with the same 64-bit fingerprint would look like a
 * duplicate: with n distinct keys the chance of any such collision is about n^2 / 2^65
 * (3e-6 at 10 million keys).
 */
export class KeyIndex {
  // Each table holds (h1, h2) pairs side by side; (0, 0) marks an empty slot.
  private readonly tables: Uint32Array[] = [];
  private readonly counts = new Uint32Array(SHARDS);
  private count = 0;

  constructor(initialCapacity = 1024) {
    let slots = MIN_SLOTS;
    while (slots * MAX_LOAD * SHARDS < initialCapacity) slots *= 2;
    for (let s = 0; s < SHARDS; s++) this.tables.push(new Uint32Array(slots * 2));
  }

  /** Distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** Bytes the tables hold now. */
  get bytes(): number {
    let total = 0;
    for (const table of this.tables) total += table.byteLength;
    return total;
  }

  /** Adds a key; false when it (its fingerprint) was already there. */
  add(key: string): boolean {
    const [h1, h2] = fingerprint(key);
    const shard = h1 >>> (32 - SHARD_BITS);
    let table = this.tables[shard] as Uint32Array;
    if (((this.counts[shard] as number) + 1) * 2 > table.length * MAX_LOAD) {
      table = grow(table);
      this.tables[shard] = table;
    }
    // The one fingerprint equal to the empty marker is folded onto its neighbour.
    if (!insert(table, h1, h1 === 0 && h2 === 0 ? 1 : h2)) return false;
    this.counts[shard] = (this.counts[shard] as number) + 1;
    this.count++;
    return true;
  }
}

const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;
const MIN_SLOTS = 8;
const MAX_LOAD = 0.75;

// Linear probing from the low bits of h1 (the shard took the top ones).
function insert(table: Uint32Array, h1: number, h2: number): boolean {
  const mask = table.length / 2 - 1;
  let slot = h1 & mask;
  for (;;) {
    const i = slot * 2;
    const a = table[i] as number;
    const b = table[i + 1] as number;
    if (a === 0 && b === 0) {
      table[i] = h1;
      table[i + 1] = h2;
      return true;
    }
    if (a === h1 && b === h2) return false;
    slot = (slot + 1) & mask;
  }
}

function grow(table: Uint32Array): Uint32Array {
  const bigger = new Uint32Array(table.length * 2);
  for (let i = 0; i < table.length; i += 2) {
    const a = table[i] as number;
    const b = table[i + 1] as number;
    if (a !== 0 || b !== 0) insert(bigger, a, b);
  }
  return bigger;
}

// FNV-1a and a murmur-style multiply-xorshift over UTF-16 code units, with different seeds, so
// the two halves are independent enough for a 64-bit fingerprint.
function fingerprint(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
  b ^= b >>> 16;
  return [a >>> 0, b >>> 0];
}
