/**
 * A small, fast, seeded PRNG (sfc32) and the sub-stream derivation the simulation relies on.
 *
 * Every random decision is drawn from a stream keyed by what it is about (seed, purpose, store,
 * day, sku...), never from one shared sequence: a store-day is then the same whatever order or
 * window it is generated in, which is what makes `tick()` windows and batch sizes irrelevant.
 */

/** A seeded pseudo-random stream. Not cryptographic: for simulation only. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(a: number, b: number, c: number, d: number, discard = 12) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    // sfc32's first outputs are correlated with the seed words: discard a few.
    for (let i = 0; i < discard; i++) this.next();
  }

  /** The stream's position: `Rng.at(rng.position())` goes on with the same draws. */
  position(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** A stream at a `position()` taken earlier (no draw discarded: it is mid-stream). */
  static at(position: readonly [number, number, number, number]): Rng {
    return new Rng(...position, 0);
  }

  /** Next unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Poisson-distributed count; a normal approximation above 30 keeps it O(1). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }
}

/** Mixes 32 bits (the murmur3 finaliser): small input changes flip about half the output bits. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hash of a seed and integer keys, as one unsigned 32-bit integer. */
export function hashKeys(seed: number, keys: readonly number[]): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (const key of keys) h = mix32(h ^ mix32((key + 0x7f4a7c15) | 0));
  return h;
}

/** A uniform [0, 1) value for (seed, keys), without building a stream: for one-off decisions. */
export function unitHash(seed: number, ...keys: number[]): number {
  return hashKeys(seed, keys) / 4294967296;
}

/** `unitHash(seed, a, b, c)` without building the keys' array: for loops over every SKU. */
export function unitHash3(seed: number, a: number, b: number, c: number): number {
  let h = mix32(seed ^ 0x9e3779b9);
  h = mix32(h ^ mix32((a + 0x7f4a7c15) | 0));
  h = mix32(h ^ mix32((b + 0x7f4a7c15) | 0));
  h = mix32(h ^ mix32((c + 0x7f4a7c15) | 0));
  return h / 4294967296;
}

/**
 * `unitHash3(seed, a, b, c)` for every c in [0, n): the hash of (seed, a, b) is shared, so each
 * c costs two mixes instead of seven (a week's promotions draw one per SKU).
 */
export function unitHashes3(seed: number, a: number, b: number, n: number): Float64Array {
  const prefix = unitHash3Prefix(seed, a, b);
  const values = new Float64Array(n);
  for (let c = 0; c < n; c++) values[c] = mix32(prefix ^ mix32((c + 0x7f4a7c15) | 0)) / 4294967296;
  return values;
}

/**
 * The c in [0, n), ascending, whose `unitHash3(seed, a, b, c)` is below `share`: a store's
 * assortment, drawn for every store by each new simulation. The loop lives here, beside
 * `mix32`: called from another module through a CommonJS transform (tsx, the benches), each
 * call went through an export getter, most of the time taken.
 */
export function unitHash3Below(
  seed: number,
  a: number,
  b: number,
  n: number,
  share: number,
): Int32Array {
  const prefix = unitHash3Prefix(seed, a, b);
  const below = new Int32Array(n);
  let count = 0;
  for (let c = 0; c < n; c++) {
    if (mix32(prefix ^ mix32((c + 0x7f4a7c15) | 0)) / 4294967296 < share) below[count++] = c;
  }
  return below.slice(0, count);
}

function unitHash3Prefix(seed: number, a: number, b: number): number {
  const h = mix32(seed ^ 0x9e3779b9);
  return mix32(mix32(h ^ mix32((a + 0x7f4a7c15) | 0)) ^ mix32((b + 0x7f4a7c15) | 0));
}

/**
 * The stream for (seed, keys): the same keys always give the same sequence.
 * @example
 * const rng = streamFor(42, PURPOSE.tickets, storeIndex, dayIndex);
 * rng.float();
 */
export function streamFor(seed: number, ...keys: number[]): Rng {
  const h = hashKeys(seed, keys);
  return new Rng(mix32(h ^ 1), mix32(h ^ 2), mix32(h ^ 3), mix32(h ^ 4));
}

/** Purposes of sub-streams, so two decisions about the same store-day never share draws. */
export const PURPOSE = {
  store: 1,
  product: 2,
  customer: 3,
  popularity: 4,
  promotion: 5,
  storeDay: 6,
  opening: 7,
  assortment: 8,
  legacy: 9,
  /** Streams of custom generators (`defineGenerator`), keyed further by entity and keys. */
  custom: 10,
} as const;

/** FNV-1a of a string, as a key for `streamFor` (names, SKUs, dates). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
