import { decompress, init } from "@bokuweb/zstd-wasm";

// Reading ZSTD pages: hyparquet (the reader) ships no zstd and Node 20's zlib has none (it
// arrived in 22.15), so they go through the reference libzstd compiled to WebAssembly. It needs
// one async init. (Writing ZSTD is parquet-wasm's own, see parquet-encoder.ts.)
let ready: Promise<void> | undefined;

/** Loads the zstd WebAssembly module once; call before `zstdDecompress`. */
export function loadZstd(): Promise<void> {
  ready ??= init();
  return ready;
}

/** Decompresses a zstd frame. Needs `loadZstd()` first. */
export function zstdDecompress(input: Uint8Array, outputLength?: number): Uint8Array {
  const out = decompress(input, outputLength ? { defaultHeapSize: outputLength } : undefined);
  return outputLength !== undefined && out.length !== outputLength
    ? out.subarray(0, outputLength)
    : out;
}
