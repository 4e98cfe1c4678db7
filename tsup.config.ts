import { defineConfig } from "tsup";

// One bundle per subpath export, ESM + CJS + types; dependencies stay external.
export default defineConfig([
  {
    entry: {
      index: "src/index.ts",
      entities: "src/entities/index.ts",
      generators: "src/generators/index.ts",
      lake: "src/lake/index.ts",
      snowflake: "src/snowflake/index.ts",
      warehouse: "src/warehouse/index.ts",
      quality: "src/quality/index.ts",
      pipeline: "src/pipeline/index.ts",
      config: "src/config/index.ts",
      legacy: "src/legacy/index.ts",
      // Started by the lake writer as a worker thread, from the file next to its chunks.
      "encode-worker": "src/lake/encode-worker.ts",
      // Started by writeSimulation (generate --threads) as a worker thread generating a store group.
      "simulation-worker": "src/generators/simulation-worker.ts",
    },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node20",
    splitting: true,
    // import.meta.url in the CJS build, where the encode pool finds its worker's file.
    shims: true,
    // Loaded lazily by the Snowflake executor; an optional peer dependency, never bundled.
    external: ["snowflake-sdk"],
  },
  {
    entry: { cli: "src/cli/main.ts" },
    format: ["esm"],
    target: "node20",
    sourcemap: true,
    banner: { js: "#!/usr/bin/env node" },
  },
]);
