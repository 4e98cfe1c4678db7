/**
 * A set of keys seen so far, for `unique`, in 8 bytes a slot: each key is kept as a 64-bit
 * fingerprint (two independent 32-bit hashes) in an open-addressed table that doubles at half
 * load, so a distinct key costs 16 to 32 bytes, whatever its length. A `Set<string>` costs
 * 60-100 bytes a key in V8 and stops at 2^24 entries.
 *
 * The price is that two different keys with the same 64-bit fingerprint would look like a
 * duplicate: with n distinct keys the chance of any such collision is about n^2 / 2^65
 * (3e-6 at 10 million keys).
 */
export class KeyIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let capacity = 16;
    while (capacity < initialCapacity * 2) capacity *= 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /** Distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** Bytes the table holds now. */
  get bytes(): number {
    return this.used.length * 9;
  }

  /** Adds a key; false when it (its fingerprint) was already there. */
  add(key: string): boolean {
    const [h1, h2] = fingerprint(key);
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    return this.insert(h1, h2);
  }

  private insert(h1: number, h2: number): boolean {
    let slot = h1 & this.mask;
    while (this.used[slot]) {
      if (this.hi[slot] === h1 && this.lo[slot] === h2) return false;
      slot = (slot + 1) & this.mask;
    }
    this.used[slot] = 1;
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.count++;
    return true;
  }

  private grow(): void {
    const { hi, lo, used } = this;
    const capacity = used.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i]) this.insert(hi[i] as number, lo[i] as number);
    }
  }
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
