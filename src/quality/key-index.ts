import { randomUUID } from "node:crypto";
import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Options of `KeyIndex`. */
export interface KeyIndexOptions {
  /**
   * Bytes of keys kept in memory before the rest goes to a temporary file (default 8 MiB).
   * 0 spills from the first full block.
   */
  readonly spillAfterBytes?: number;
  /** Bytes of a shard's key block, read back whole (default 4096). @internal for tests. */
  readonly blockBytes?: number;
  /** Bytes of blocks gathered before a write to the file (default 256 KiB). @internal for tests. */
  readonly writeBytes?: number;
  /**
   * ANDed into both 32-bit hashes of every key (default all bits). @internal A test makes
   * different keys collide on purpose with a small mask: the answers must not change.
   */
  readonly hashMask?: number;
}

/**
 * The set of keys seen so far, for `unique`: exact (a key is a duplicate only if an earlier key
 * is equal to it, byte for byte) in 4 bytes a table slot.
 *
 * Each key's bytes are hashed to 32 bits: the top 8 pick one of 256 shards, the low bits the
 * home slot in that shard's open-addressed table; a slot holds the key's ordinal in its shard
 * (22 bits) and a 10-bit tag, the hash mixed again. The
 * keys themselves are appended to their shard's blocks: in memory up to `spillAfterBytes`, then
 * in a temporary file (unlinked at once where the OS allows). A key is read back only when a
 * probed slot has its tag (a real duplicate, or a 1-in-1024 tag collision) to compare the bytes,
 * and when its shard's table doubles (each key's hash is stored beside it: the slots keep no
 * hash bits to spare).
 *
 * A 64-bit fingerprint a slot (the index before this one) took 8 bytes a slot and could report
 * two different keys with the same fingerprint as a duplicate.
 */
export class KeyIndex {
  private readonly shards: Shard[] = [];
  private readonly spill: KeySpill;
  private readonly mask: number;
  private count = 0;
  private readonly single: string[] = [""];

  constructor(options: KeyIndexOptions = {}) {
    this.mask = options.hashMask ?? 0xffffffff;
    this.spill = new KeySpill(
      options.spillAfterBytes ?? 8 << 20,
      options.blockBytes ?? 4096,
      options.writeBytes ?? 256 << 10,
    );
    for (let s = 0; s < SHARDS; s++) this.shards.push(new Shard());
  }

  /** Distinct keys held. */
  get size(): number {
    return this.count;
  }

  /** Bytes held in memory: the tables, the closed key blocks not in the file, the open blocks. */
  get bytes(): number {
    let total = this.spill.memoryBytes;
    for (const shard of this.shards) total += shard.table.byteLength + shard.open.byteLength;
    return total;
  }

  /** Bytes of keys written to the temporary file. */
  get spilledBytes(): number {
    return this.spill.fileBytes;
  }

  /** Adds a key; false when an equal key was already there. */
  add(key: string): boolean {
    this.single[0] = key;
    return this.addParts(this.single, 1);
  }

  /**
   * Adds the key made of `parts[0]` to `parts[count - 1]` end to end, as `add(parts.join(""))`
   * would, without building that string: the unique rule passes a record's values as they are.
   */
  addParts(parts: readonly string[], count: number): boolean {
    hashKey(parts, count);
    const length = keyBytes;
    const a = (hashA & this.mask) >>> 0;
    const tag = tagOf(a);
    const shard = this.shards[a >>> (32 - SHARD_BITS)] as Shard;
    if ((shard.count + 1) * 4 > shard.table.length * 3) this.grow(shard);
    const table = shard.table;
    const slots = table.length - 1;
    let slot = a & slots;
    for (;;) {
      const v = table[slot] as number;
      if (v === 0) break;
      if (
        v >>> ORDINAL_BITS === tag &&
        this.spill.holds(shard, (v & ORDINAL_MASK) - 1, parts, count, length)
      ) {
        return false;
      }
      slot = (slot + 1) & slots;
    }
    if (shard.count + 1 > ORDINAL_MASK) {
      throw new RangeError(
        `KeyIndex: more than ${ORDINAL_MASK} distinct keys in one of its ${SHARDS} shards (about ${ORDINAL_MASK * SHARDS} in all)`,
      );
    }
    table[slot] = ((tag << ORDINAL_BITS) | (shard.count + 1)) >>> 0;
    this.spill.append(shard, parts, count, length, hashA);
    shard.count++;
    this.count++;
    return true;
  }

  // Doubles a shard's table, from the hashes stored beside its keys.
  private grow(shard: Shard): void {
    const table = new Uint32Array(shard.table.length * 2);
    const slots = table.length - 1;
    const mask = this.mask;
    let ordinal = 0;
    for (let i = 0; i <= shard.blocks.length; i++) {
      const last = i === shard.blocks.length;
      const block = last ? shard.open : this.spill.block(shard, i);
      const end = last ? shard.used : (shard.lengths[i] as number);
      let at = 0;
      while (at < end) {
        const n = readVarint(block, at);
        const h = varintEnd;
        at = h + 4 + n;
        const hash =
          (block[h] as number) |
          ((block[h + 1] as number) << 8) |
          ((block[h + 2] as number) << 16) |
          ((block[h + 3] as number) << 24);
        const a = (hash & mask) >>> 0;
        const tag = tagOf(a);
        let slot = a & slots;
        while (table[slot] !== 0) slot = (slot + 1) & slots;
        table[slot] = ((tag << ORDINAL_BITS) | ++ordinal) >>> 0;
      }
    }
    shard.table = table;
  }
}

const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;
const TAG_BITS = 10;
const ORDINAL_BITS = 32 - TAG_BITS;
const ORDINAL_MASK = (1 << ORDINAL_BITS) - 1;

/** One shard: its table, and where its keys are (blocks in ordinal order, then the open one). */
class Shard {
  table = new Uint32Array(8);
  count = 0;
  // Closed blocks: ordinal of the first key, and the bytes in memory or the file offset.
  readonly firsts: number[] = [];
  readonly blocks: (Uint8Array | number)[] = [];
  readonly lengths: number[] = [];
  // The block being filled, grown by doubling up to the block size.
  open = new Uint8Array(0);
  used = 0;
  openFirst = 0;
}

/**
 * Where the keys are: each shard's blocks of keys (varint length, the 32-bit hash little-endian
 * so a growing table need not rehash, the bytes), in memory until `spillAfterBytes`, then
 * appended to one temporary file.
 */
class KeySpill {
  memoryBytes = 0;
  fileBytes = 0;
  private file: SpillFile | undefined;
  private readBuffer = new Uint8Array(0);
  private readShard: Shard | undefined;
  private readBlock = -1;

  constructor(
    private readonly spillAfterBytes: number,
    private readonly blockBytes: number,
    private readonly writeBytes: number,
  ) {}

  append(shard: Shard, key: readonly string[], count: number, length: number, hash: number): void {
    const need = varintLength(length) + 4 + length;
    if (shard.used + need > shard.open.length) {
      if (shard.used + need > this.blockBytes && shard.used > 0) this.close(shard);
      // The open block starts small and doubles up to a block; a key longer than a block gets
      // a block of its own size.
      if (shard.used + need > shard.open.length) {
        const doubled = Math.min(this.blockBytes, Math.max(64, shard.open.length * 2));
        const bigger = new Uint8Array(Math.max(doubled, shard.used + need));
        bigger.set(shard.open.subarray(0, shard.used));
        shard.open = bigger;
      }
    }
    let at = shard.used;
    const open = shard.open;
    let n = length;
    while (n >= 0x80) {
      open[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    open[at++] = n;
    open[at++] = hash & 0xff;
    open[at++] = (hash >>> 8) & 0xff;
    open[at++] = (hash >>> 16) & 0xff;
    open[at++] = hash >>> 24;
    shard.used = encodeKey(key, count, open, at);
  }

  /** Whether the shard's key at `ordinal` is `key` (`length` bytes encoded). */
  holds(
    shard: Shard,
    ordinal: number,
    key: readonly string[],
    count: number,
    length: number,
  ): boolean {
    let block: Uint8Array;
    let at = 0;
    let skip: number;
    if (ordinal >= shard.openFirst) {
      block = shard.open;
      skip = ordinal - shard.openFirst;
    } else {
      const i = lastAtMost(shard.firsts, ordinal);
      block = this.block(shard, i);
      skip = ordinal - (shard.firsts[i] as number);
    }
    for (;;) {
      const n = readVarint(block, at);
      const start = varintEnd + 4;
      if (skip === 0) {
        return n === length && isKeyAt(key, count, block, start);
      }
      skip--;
      at = start + n;
    }
  }

  // Moves the open block to memory or to the file, and starts a new one.
  private close(shard: Shard): void {
    shard.firsts.push(shard.openFirst);
    shard.lengths.push(shard.used);
    if (this.memoryBytes < this.spillAfterBytes) {
      // Kept as it is (its spare bytes counted too): the shard gets a fresh open block.
      shard.blocks.push(shard.open);
      this.memoryBytes += shard.open.length;
      shard.open = new Uint8Array(Math.min(shard.open.length, this.blockBytes));
    } else {
      this.file ??= new SpillFile(this.writeBytes);
      shard.blocks.push(this.file.append(shard.open, shard.used));
      this.fileBytes += shard.used;
      if (shard.open.length > this.blockBytes) shard.open = new Uint8Array(this.blockBytes);
    }
    shard.openFirst = shard.count;
    shard.used = 0;
  }

  /** A closed block's bytes: in memory, or read from the file (the last one read is kept). */
  block(shard: Shard, i: number): Uint8Array {
    const held = shard.blocks[i] as Uint8Array | number;
    if (typeof held !== "number") return held;
    if (this.readShard === shard && this.readBlock === i) return this.readBuffer;
    const length = shard.lengths[i] as number;
    if (this.readBuffer.length < length)
      this.readBuffer = new Uint8Array(Math.max(length, this.blockBytes));
    (this.file as SpillFile).read(this.readBuffer, length, held);
    this.readShard = shard;
    this.readBlock = i;
    return this.readBuffer;
  }
}

/**
 * A temporary file of key blocks. Unlinked right after it is opened where the OS allows it
 * (POSIX), so nothing is left behind even if the process dies; the descriptor is closed (and the
 * file removed, elsewhere) when the index is garbage collected.
 */
class SpillFile {
  private readonly fd: number;
  private readonly pending: Uint8Array;
  private pendingUsed = 0;
  private flushed = 0;

  constructor(writeBytes: number) {
    this.pending = new Uint8Array(writeBytes);
    const path = join(tmpdir(), `retail-mds-keys-${process.pid}-${randomUUID()}`);
    try {
      this.fd = openSync(path, "wx+", 0o600);
    } catch (error) {
      throw spillError(`cannot create ${path}`, error);
    }
    let kept: string | undefined;
    try {
      unlinkSync(path);
    } catch {
      kept = path;
    }
    spillFiles.register(this, { fd: this.fd, path: kept });
  }

  /** Appends a block; returns where it starts in the file. */
  append(bytes: Uint8Array, length: number): number {
    const position = this.flushed + this.pendingUsed;
    if (this.pendingUsed + length > this.pending.length) this.flush();
    if (length > this.pending.length) {
      this.write(bytes, length, this.flushed);
      this.flushed += length;
    } else {
      this.pending.set(bytes.subarray(0, length), this.pendingUsed);
      this.pendingUsed += length;
    }
    return position;
  }

  read(into: Uint8Array, length: number, position: number): void {
    if (position >= this.flushed) {
      const from = position - this.flushed;
      into.set(this.pending.subarray(from, from + length));
      return;
    }
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, into, done, length - done, position + done);
      if (n === 0) throw new Error("KeyIndex: the temporary key file is shorter than written");
      done += n;
    }
  }

  // Blocks are written 256 KiB at a time (by default): one system call per 64 blocks.
  private flush(): void {
    this.write(this.pending, this.pendingUsed, this.flushed);
    this.flushed += this.pendingUsed;
    this.pendingUsed = 0;
  }

  private write(bytes: Uint8Array, length: number, position: number): void {
    let done = 0;
    try {
      while (done < length) done += writeSync(this.fd, bytes, done, length - done, position + done);
    } catch (error) {
      throw spillError(`cannot write to its temporary file in ${tmpdir()}`, error);
    }
  }
}

// What failed and what to do, in one line: the keys need a writable temp folder with room.
function spillError(what: string, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `unique keys: ${what} (${reason}); the unique rule keeps its keys past 8 MiB on disk, about the keys' size: set TMPDIR (TEMP on Windows) to a writable folder with room`,
  );
}

const spillFiles = new FinalizationRegistry<{ fd: number; path: string | undefined }>(
  ({ fd, path }) => {
    try {
      closeSync(fd);
      if (path) unlinkSync(path);
    } catch {
      // Already closed or removed: nothing to release.
    }
  },
);

function varintLength(n: number): number {
  let length = 1;
  while (n >= 0x80) {
    n >>>= 7;
    length++;
  }
  return length;
}

// Where the bytes after the last varint read start: module state, no pair allocated per key.
let varintEnd = 0;

function readVarint(block: Uint8Array, at: number): number {
  let n = 0;
  let shift = 0;
  for (;;) {
    const b = block[at++];
    // Past the block's end: a bad offset, never a key. Thrown rather than looped on.
    if (b === undefined) throw new Error("KeyIndex: a key block ended inside a key");
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      varintEnd = at;
      return n;
    }
    shift += 7;
  }
}

// Index of the last entry <= value in an ascending array (value >= the first entry).
function lastAtMost(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((sorted[mid] as number) <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// A key's bytes: its UTF-16 code units one-to-one, ASCII as itself, any other unit as three
// bytes, the first >= 0x80. (UTF-8 would map every lone surrogate to U+FFFD, merging distinct
// keys.) Keys are hashed and compared from the string, encoded only when stored.
function encodeKey(parts: readonly string[], count: number, out: Uint8Array, at: number): number {
  for (let p = 0; p < count; p++) {
    const part = parts[p] as string;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x80) {
        out[at++] = c;
      } else {
        out[at++] = 0x80 | (c >>> 10);
        out[at++] = (c >>> 5) & 31;
        out[at++] = c & 31;
      }
    }
  }
  return at;
}

// Whether the bytes at `at` are the key encoded (the caller compared the lengths).
function isKeyAt(parts: readonly string[], count: number, block: Uint8Array, at: number): boolean {
  for (let p = 0; p < count; p++) {
    const part = parts[p] as string;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x80) {
        if (block[at++] !== c) return false;
      } else if (
        block[at++] !== (0x80 | (c >>> 10)) ||
        block[at++] !== ((c >>> 5) & 31) ||
        block[at++] !== (c & 31)
      ) {
        return false;
      }
    }
  }
  return true;
}

// The hash and the byte length of the last hashKey call: module state, so no pair is allocated
// per key.
let hashA = 0;
let keyBytes = 0;

// FNV-1a over the key's bytes (straight from its parts, as encodeKey would write them), then
// murmur3's finalizer.
const SEED = 0x811c9dc5;
const PRIME = 0x01000193;

function hashKey(parts: readonly string[], count: number): void {
  let h = SEED;
  let length = 0;
  for (let p = 0; p < count; p++) {
    const part = parts[p] as string;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      if (c < 0x80) {
        h = Math.imul(h ^ c, PRIME);
        length++;
      } else {
        // The three bytes of encodeKey.
        h = Math.imul(h ^ (0x80 | (c >>> 10)), PRIME);
        h = Math.imul(h ^ ((c >>> 5) & 31), PRIME);
        h = Math.imul(h ^ (c & 31), PRIME);
        length += 3;
      }
    }
  }
  hashA = fmix(h ^ length);
  keyBytes = length;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// The tag a slot keeps: bits of the hash mixed again, so that keys whose hashes differ (in the
// home bits, say) get unrelated tags; only keys with the same 32-bit hash always share one.
function tagOf(hash: number): number {
  return fmix(hash ^ 0x9e3779b9) >>> (32 - TAG_BITS);
}
