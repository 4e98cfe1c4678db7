// The project config: every retail-mds command run in this folder (or below) reads it, and a flag
// on the command line wins over it. Paths are relative to this file. Every key is optional; the
// keys and their defaults are in node_modules/retail-mds/docs/config.md.
import { defineConfig } from "retail-mds/config";

export default defineConfig({
  // Your own entities (defineEntity from retail-mds/entities), added to the six built-in ones.
  entities: [],
  lake: { path: "./lake", format: "parquet" },
  warehouse: { database: "./warehouse/retail.duckdb", onError: "skip_file" },
  dbt: { project: "./dbt" },
  // Defaults of `retail-mds generate` and `retail-mds demo`.
  simulation: { seed: 42, from: "2026-11-02", days: 7, stores: 10, products: 500 },
});
