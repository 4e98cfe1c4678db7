import { defineConfig } from "tsup";

// One ESM file per function under dist/functions (package.json "main"); the library code is
// bundled in, npm dependencies stay external and are installed with the app.
export default defineConfig({
  entry: ["src/functions/tick.ts"],
  outDir: "dist/functions",
  format: ["esm"],
  target: "node20",
  platform: "node",
  clean: true,
  dts: false,
  sourcemap: true,
  external: ["@azure/functions"],
});
