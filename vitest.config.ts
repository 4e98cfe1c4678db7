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
    include: ["test/**/*.test.ts", "examples/**/*.test.ts"],
    // Integration tests start Azurite, fakesnow, dbt and DuckDB: give them room, not retries.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
