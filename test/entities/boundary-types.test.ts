import { expect, expectTypeOf, test } from "vitest";
import {
  type Batch,
  isBatchOf,
  type RecordOf,
  type SaleLine,
  type Store,
  saleLine,
} from "../../src/entities/index.js";
import {
  createRetailSimulation,
  type SimulationBatch,
  type SimulationConfigInput,
} from "../../src/generators/index.js";
import {
  createLakeWriter,
  type LakeFileContent,
  localStore,
  readLakeFile,
} from "../../src/lake/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { landPriceChanges } from "../fixtures/price-change-lake.js";
import { tempDir } from "../lake/temp-dir.js";

type PriceChange = RecordOf<typeof priceChange>;

test("the simulation's input type is exported and checked at compile time", () => {
  expectTypeOf(createRetailSimulation).parameter(0).toEqualTypeOf<SimulationConfigInput>();
  expectTypeOf<SimulationConfigInput["from"]>().toEqualTypeOf<string>();
  // @ts-expect-error: misspelt fields do not compile
  expect(() => createRetailSimulation({ form: "2026-11-01", dayz: 3 })).toThrow(/config/);
  // @ts-expect-error: a required field is missing
  expect(() => createRetailSimulation({ seed: 1, from: "2026-11-01", days: 1, stores: 1 })).toThrow(
    /products/,
  );
});

test("Batch<E> carries RecordOf<E>: a price_change batch of sale-line-shaped records does not compile", () => {
  expectTypeOf<Batch<typeof priceChange>["records"][number]>().toEqualTypeOf<PriceChange>();
  const line = { transaction_id: "T-S001-20261101-000001", line_no: 1 } as Partial<SaleLine>;
  const window = { from: "2026-11-02T00:00:00Z", to: "2026-11-03T00:00:00Z" };
  // @ts-expect-error: sale-line-shaped records in a price_change batch
  const wrong: Batch<typeof priceChange> = { entity: priceChange, records: [line], window };
  expect(wrong.records).toHaveLength(1);
  // The lake writer takes the typed batch as it is.
  const writer = createLakeWriter({ store: localStore(tempDir("rmds-types-")), format: "csv" });
  expectTypeOf<Batch<typeof priceChange>>().toMatchTypeOf<Parameters<typeof writer.write>[0]>();
});

test("simulation batches are typed per entity once narrowed with isBatchOf", () => {
  const sim = createRetailSimulation({
    seed: 1,
    from: "2026-11-02",
    days: 1,
    stores: 1,
    products: 5,
    traffic: 0.05,
  });
  expectTypeOf(sim.generate()).toEqualTypeOf<Iterable<SimulationBatch>>();
  let lines = 0;
  for (const batch of sim.generate()) {
    if (isBatchOf(batch, saleLine)) {
      expectTypeOf<(typeof batch.records)[number]>().toEqualTypeOf<SaleLine>();
      lines += batch.records.filter((r) => r.net_amount.length > 0).length;
    }
  }
  expect(lines).toBeGreaterThan(0);
  const [stores] = sim.reference();
  expectTypeOf<NonNullable<typeof stores>["records"][number]>().toMatchTypeOf<
    | Store
    | RecordOf<typeof import("../../src/entities/index.js")["product"]>
    | RecordOf<typeof import("../../src/entities/index.js")["customer"]>
  >();
});

test("readLakeFile types the records by the entity on the data feed, as text on the legacy feed", async () => {
  const lake = tempDir("rmds-types-");
  const [path] = await landPriceChanges(lake, "csv");
  const content = await readLakeFile(localStore(lake), path as string, { entity: priceChange });
  expectTypeOf(content).toEqualTypeOf<LakeFileContent<typeof priceChange>>();
  if (content.feed === "legacy") throw new Error("a data file");
  expectTypeOf(content.records[0]).toEqualTypeOf<PriceChange | undefined>();
  expect(content.records.map((r) => r.new_price)).toEqual(["1.99", "8.00"]);
  const legacy = {} as Extract<LakeFileContent<typeof priceChange>, { feed: "legacy" }>;
  expectTypeOf<(typeof legacy.records)[number]>().toEqualTypeOf<Record<string, string | null>>();
});
