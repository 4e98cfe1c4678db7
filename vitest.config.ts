import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = fileURLToPath(new URL("./src/", import.meta.url));

export default defineConfig({
  // Examples import the package by name, as users do; under test that is the source (as in
  // tsconfig's paths), so an example is tested against the code beside it, not a stale dist.
  resolve: {
    alias: [
      { find: /^retail-mds$/, replacement: `${src}index.ts` },
      {
        find: /^retail-mds\/([a-z]+)$/,
        replacement: `${src}$1/index.ts`,
      },
    ],
  },
  test: {
    // The same for the CLI children tests start with tsx from another folder: without this they
    // would miss tsconfig's paths, and src/ importing an example (examples/legacy-layouts/, which
    // imports retail-mds/legacy by name) would load dist/, or fail where it is not built.
    env: { TSX_TSCONFIG_PATH: fileURLToPath(new URL("./tsconfig.json", import.meta.url)) },
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // Integration tests start Azurite, fakesnow, dbt and DuckDB: give them room, not retries.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
