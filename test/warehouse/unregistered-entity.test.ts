import { join } from "node:path";
import { expect, test } from "vitest";
import { command as load } from "../../src/cli/load-command.js";
import { command as quality } from "../../src/cli/quality-command.js";
import { entities } from "../../src/entities/index.js";
import { localStore } from "../../src/lake/index.js";
import { checkLake } from "../../src/quality/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { priceChange } from "../fixtures/price-change.js";
import { landPriceChanges, writePriceChangeConfig } from "../fixtures/price-change-lake.js";
import { tempFolder } from "./lake-fixture.js";

const registered = [...Object.values(entities), priceChange];

async function run(command: typeof load, args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await command.run(args), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

test("a file of an unregistered entity is neither loaded nor recorded: it stays pending and loads once registered", async () => {
  const root = tempFolder("unregistered");
  const lake = join(root, "lake");
  const [path] = await landPriceChanges(lake);
  const database = join(root, "wh", "retail.duckdb");

  const before = await openLocalPipe({ lake, database });
  const first = await before.refresh();
  expect(first.files).toEqual([]);
  expect(first.unregistered).toEqual([{ entity: "price_change", files: [path] }]);
  expect(await before.copyHistory()).toEqual([]);
  // A second scan still sees it pending: nothing was recorded the first time.
  expect((await before.refresh()).unregistered).toHaveLength(1);
  await before.close();

  const after = await openLocalPipe({ lake, database, entities: registered });
  const second = await after.refresh();
  expect(second.unregistered).toEqual([]);
  expect(second.files.map((f) => [f.file, f.status, f.rowsLoaded])).toEqual([[path, "LOADED", 2]]);
  expect(
    await after.query("select sku, new_price::VARCHAR as p from raw.price_change order by sku"),
  ).toEqual([
    { sku: "P000001", p: "1.99" },
    { sku: "P000002", p: "8.00" },
  ]);
  await after.close();
});

test("a file recorded SKIPPED by an older pipe (no RAW table then) loads once its entity is registered", async () => {
  const root = tempFolder("unregistered");
  const lake = join(root, "lake");
  const [path] = await landPriceChanges(lake);
  const database = join(root, "wh", "retail.duckdb");
  const old = await openLocalPipe({ lake, database });
  // What retail-mds up to this change wrote for such a file.
  const { createHash } = await import("node:crypto");
  const { readFileSync } = await import("node:fs");
  const hash = createHash("sha256")
    .update(readFileSync(join(lake, ...(path as string).split("/"))))
    .digest("hex");
  await old.query(
    `insert into pipe.load_history values ('${path}', '${hash}', null, 'file:///lake/', 1, null, null, 'SKIPPED', null, 0, 0, 1, 'no RAW table', null, null, 'skip_file', now()::TIMESTAMP, now()::TIMESTAMP) returning 1`,
  );
  const [prior] = await old.copyHistory();
  expect(prior?.STATUS).toBe("Load skipped");
  await old.close();

  const pipe = await openLocalPipe({ lake, database, entities: registered });
  const summary = await pipe.refresh();
  expect(summary.files.map((f) => [f.status, f.alreadyLoaded, f.rowsLoaded])).toEqual([
    ["LOADED", false, 2],
  ]);
  expect((await pipe.copyHistory()).map((r) => r.STATUS)).toEqual(["Loaded"]);
  await pipe.close();
});

test("load and quality exit 1 naming the unregistered entity; with the config registering it, both pass", async () => {
  const root = tempFolder("unregistered");
  const lake = join(root, "lake");
  await landPriceChanges(lake, "csv");
  const database = join(root, "wh", "retail.duckdb");

  const loadBefore = await run(load, ["--lake", lake, "--database", database]);
  expect(loadBefore.code).toBe(1);
  expect(loadBefore.out).toContain(
    "1 file of entity price_change is not registered in retail-mds.config",
  );
  const qualityBefore = await run(quality, ["--lake", lake]);
  expect(qualityBefore.code).toBe(1);
  expect(qualityBefore.out).toContain(
    "1 file of entity price_change is not registered in retail-mds.config",
  );
  const unchecked = await checkLake(localStore(lake));
  expect([unchecked.ok, unchecked.unregistered]).toEqual([
    false,
    [{ entity: "price_change", files: [expect.stringMatching(/^price_change\/dt=2026-11-02\//)] }],
  ]);

  const config = writePriceChangeConfig(root);
  const loadAfter = await run(load, ["--config", config, "--lake", lake, "--database", database]);
  expect([loadAfter.code, loadAfter.out]).toEqual([
    0,
    expect.stringMatching(/^LOADED .*price_change.* 2 rows/),
  ]);
  const qualityAfter = await run(quality, ["--config", config, "--lake", lake]);
  expect(qualityAfter.code).toBe(0);
  expect(qualityAfter.out).toContain("price_change");

  // The library call takes the entity by name once it is given the entities.
  const checked = await checkLake(localStore(lake), {
    entity: "price_change",
    entities: registered,
  });
  expect(checked.ok).toBe(true);
  expect(checked.reports.map((r) => [r.entity, r.input, r.passed])).toEqual([
    ["price_change", 2, 2],
  ]);
  expect(checked.reports[0]?.rules.map((r) => r.rule)).toContain(
    "unique_price_change_sku__store_id__changed_at",
  );
});
