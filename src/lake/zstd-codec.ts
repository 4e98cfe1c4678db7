import { compress, decompress, init } from "@bokuweb/zstd-wasm";

// Node 20's zlib has no zstd (it arrived in 22.15) and hyparquet-writer ships only SNAPPY, so
// ZSTD pages go through the reference libzstd compiled to WebAssembly. It needs one async init.
let ready: Promise<void> | undefined;

/** Loads the zstd WebAssembly module once; call before `zstdCompress`/`zstdDecompress`. */
export function loadZstd(): Promise<void> {
  ready ??= init();
  return ready;
}

/** Compresses with zstd at `level` (default 3, zstd's own default). Needs `loadZstd()` first. */
export function zstdCompress(input: Uint8Array, level = 3): Uint8Array {
  return compress(input, level);
}

/** Decompresses a zstd frame. Needs `loadZstd()` first. */
export function zstdDecompress(input: Uint8Array, outputLength?: number): Uint8Array {
  const out = decompress(input, outputLength ? { defaultHeapSize: outputLength } : undefined);
  return outputLength !== undefined && out.length !== outputLength
    ? out.subarray(0, outputLength)
    : out;
}
