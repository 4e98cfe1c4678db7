import { spawn } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import { isColumnBatch } from "../../src/entities/index.js";
import {
  createRetailSimulation,
  defineGenerator,
  type RetailSimulation,
} from "../../src/generators/index.js";
import { writeSimulationBatches } from "../../src/generators/write-simulation.js";
import { createLakeWriter, localStore } from "../../src/lake/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { tempDir } from "../lake/temp-dir.js";

const root = join(import.meta.dirname, "../..");
const url = (path: string) => JSON.stringify(pathToFileURL(join(root, path)).href);

// A generator bug: its second record of the first window with a record has a price that is not
// a decimal. `generate` must fail the run on it, not quarantine it as a user's bad data.
const buggy = `defineGenerator(priceChange, (ctx) =>
  ctx.window.from === "2026-11-30T08:00:00.000Z"
    ? [0, 1].map((i) => ({
        sku: "P000001",
        store_id: "S001",
        changed_at: "2026-11-30T08:30:00.000Z",
        old_price: "2.50",
        new_price: i === 1 ? "cheap" : "1.99",
        reason: "markdown",
      }))
    : [],
)`;

function cli(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stderr: stderr.trim() }));
  });
}

test("a generator's invalid record fails `generate` with one line naming the entity, its position and the field", async () => {
  const dir = tempDir("rmds-generator-bug-");
  const config = join(dir, "retail-mds.config.ts");
  writeFileSync(
    config,
    `import { defineConfig } from ${url("src/config/index.ts")};
import { defineGenerator } from ${url("src/generators/index.ts")};
import { priceChange } from ${url("test/fixtures/price-change.ts")};
const buggy = ${buggy};
export default defineConfig({ entities: [priceChange], generators: [buggy], simulation: { from: "2026-11-30", days: 1, stores: 1, products: 5, traffic: 0.05 } });
`,
  );
  const { code, stderr } = await cli("generate", "--config", config);
  expect(code).toBe(1);
  const last = stderr.split("\n").at(-1);
  expect(last).toBe(
    'retail-mds: generator produced an invalid price_change record (batch position 1): price_change: field "new_price" expected decimal(12,2) text like "12.34" (got "cheap")',
  );
  expect(stderr).not.toMatch(/\n\s+at /);
  // Nothing quarantined as if it were a user's bad data.
  expect(existsSync(join(dir, "lake", "_quarantine"))).toBe(false);
});

test("writeSimulationBatches throws the generator's error for an invalid record, quarantine or not", async () => {
  const bad = defineGenerator(priceChange, (ctx) =>
    ctx.window.from === "2026-11-30T08:00:00.000Z"
      ? [
          {
            sku: "P000001",
            store_id: "S001",
            changed_at: "2026-11-30T08:30:00.000Z",
            old_price: "2.50",
            new_price: "cheap",
            reason: "markdown" as const,
          },
        ]
      : [],
  );
  const sim = createRetailSimulation(
    { seed: 1, from: "2026-11-30", days: 1, stores: 1, products: 5, traffic: 0.05 },
    { generators: [bad] },
  );
  const lake = tempDir("rmds-generator-bug-lake-");
  const writer = createLakeWriter({ store: localStore(lake), format: "ndjson" });
  await expect(writeSimulationBatches(sim, writer, { batchSize: 100 })).rejects.toMatchObject({
    name: "GeneratedRecordError",
    entity: "price_change",
    index: 0,
    message:
      'generator produced an invalid price_change record (batch position 0): price_change: field "new_price" expected decimal(12,2) text like "12.34" (got "cheap")',
  });
  expect(readdirSync(lake).includes("_quarantine")).toBe(false);
});

test("a generator bug in one of the simulation's column batches fails writeSimulationBatches with its GeneratedRecordError", async () => {
  // writeSimulationBatches takes the event batches as columns: a bad value in one of them (the
  // simulation's own bug, here a quantity past sale_line's bound) must fail as a record does.
  const sim = createRetailSimulation({
    seed: 1,
    from: "2026-11-30",
    days: 1,
    stores: 1,
    products: 5,
    traffic: 0.05,
  });
  let columnBatches = 0;
  function* corrupt(batches: ReturnType<RetailSimulation["generate"]>) {
    for (const batch of batches) {
      if (isColumnBatch(batch) && batch.entity.name === "sale_line" && columnBatches++ === 0) {
        const quantity =
          batch.columns[batch.entity.columns.findIndex((c) => c.name === "quantity")];
        if (quantity?.kind === "int") quantity.values[1] = 5_000;
      }
      yield batch;
    }
  }
  const buggy: RetailSimulation = {
    ...sim,
    generate: ((options) => corrupt(sim.generate(options))) as RetailSimulation["generate"],
  };
  const lake = tempDir("rmds-generator-bug-columns-");
  const writer = createLakeWriter({ store: localStore(lake), format: "parquet" });
  await expect(
    writeSimulationBatches(buggy, writer, { batchSize: 100, columns: true }),
  ).rejects.toMatchObject({
    name: "GeneratedRecordError",
    entity: "sale_line",
    index: 1,
    message: expect.stringMatching(
      /^generator produced an invalid sale_line record \(batch position 1\): sale_line: field "quantity" .*5000/,
    ),
  });
  expect(columnBatches).toBeGreaterThan(0);
  expect(readdirSync(lake).includes("_quarantine")).toBe(false);
});
