import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { type LakeStore, localStore } from "../../src/lake/index.js";
import { checkLake } from "../../src/quality/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { saleLinePath, saleLines, tempFolder, writeCsv } from "../warehouse/lake-fixture.js";
import { cli } from "./run-cli.js";
import { writeSaleLineLake } from "./sale-line-lake.js";
import { queryWarehouse } from "./warehouse-query.js";

// Issue 12 item 4: one listing rule for every reader. Files vanishing mid-scan are fine;
// symlinks are not followed (a link leaving the lake, dangling or looping is reported, never
// read); load and quality see the same files.

const HOUR = "sale_line/dt=2026-11-01/hour=08";
const at = (lake: string, path: string) => join(lake, ...path.split("/"));

async function lakeWithLinks() {
  const root = tempFolder("listing");
  const lake = join(root, "lake");
  const ids = await writeSaleLineLake(lake, 1);
  // A valid sale-line file outside the lake, linked in under a lake file name.
  writeCsv(join(root, "outside"), "rows.csv", saleLines(2, 501));
  symlinkSync(join(root, "outside", "rows.csv"), at(lake, saleLinePath(9, "csv")));
  symlinkSync("/etc/passwd", at(lake, saleLinePath(10, "csv")));
  symlinkSync(join(root, "nowhere.csv"), at(lake, saleLinePath(11, "csv")));
  symlinkSync(join(root, "nowhere"), at(lake, `${HOUR}/.#lock`));
  symlinkSync("..", at(lake, "sale_line/up"));
  symlinkSync("self", at(lake, "sale_line/self"));
  return { root, lake, ids };
}

const expectedUnlisted = [
  {
    path: "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00009.csv",
    reason: "outside-lake",
  },
  {
    path: "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00010.csv",
    reason: "outside-lake",
  },
  {
    path: "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00011.csv",
    reason: "dangling",
  },
  { path: "sale_line/self", reason: "loop" },
  { path: "sale_line/up", reason: "loop" },
];

test("load: dangling, looping and outward symlinks are reported, not followed; no crash, no hang, no outside row", async () => {
  const { root, lake, ids } = await lakeWithLinks();
  const database = join(root, "w.duckdb");
  const run = cli(["load", "--lake", lake, "--database", database]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("5 loaded, 0 partially loaded, 0 failed");
  for (const { path } of expectedUnlisted) expect(run.stdout).toContain(`not listed   ${path}: `);
  expect(run.stdout).not.toContain("passwd:");
  const rows = await queryWarehouse(
    database,
    "select transaction_id from raw.sale_line order by all",
  );
  expect(rows.map((r) => String(r.transaction_id))).toEqual(ids);
  const history = await queryWarehouse(
    database,
    "select count(*)::INTEGER as n from pipe.load_history",
  );
  expect(history).toEqual([{ n: 5 }]);
});

test("quality: the same links are reported the same way and not read", async () => {
  const { lake, ids } = await lakeWithLinks();
  const run = cli(["quality", "--lake", lake, "--entity", "sale_line"]);
  expect(run.stderr).toBe("");
  expect(run.stdout.split("\n")[0]).toBe(
    `sale_line: ok: ${ids.length} in, ${ids.length} passed, 0 quarantined`,
  );
  for (const { path } of expectedUnlisted) expect(run.stdout).toContain(`not listed   ${path}: `);
});

test("load and quality see the same files and report the same entries", async () => {
  const { root, lake, ids } = await lakeWithLinks();
  const pipe = await openLocalPipe({ lake, database: join(root, "w.duckdb") });
  const summary = await pipe.refresh();
  await pipe.close();
  const quality = await checkLake(localStore(lake), { entity: "sale_line" });
  expect(summary.rowsLoaded).toBe(ids.length);
  expect(quality.reports[0]?.input).toBe(ids.length);
  const brief = (entries: readonly { path: string; reason: string }[]) =>
    entries.map(({ path, reason }) => ({ path, reason }));
  expect(brief(summary.unlisted)).toEqual(expectedUnlisted);
  expect(brief(quality.unlisted)).toEqual(expectedUnlisted);
  const listed: string[] = [];
  for await (const object of localStore(lake).list()) listed.push(object.path);
  expect(listed).toEqual(
    [1, 2, 3, 4, 5].map((n) =>
      saleLinePath(n, ["parquet", "parquet", "csv", "csv.gz", "ndjson"][n - 1]),
    ),
  );
});

test("a prefix through a symlinked folder lists nothing: the link is not followed", async () => {
  const { lake } = await lakeWithLinks();
  const listed: string[] = [];
  for await (const object of localStore(lake).list("sale_line/up/sale_line/"))
    listed.push(object.path);
  expect(listed).toEqual([]);
  for await (const object of localStore(lake).list("sale_line/dt=2026-11-01/"))
    listed.push(object.path);
  expect(listed).toHaveLength(5);
});

test("a file vanishing while the local store lists is left out, not a crash", async () => {
  const lake = join(tempFolder("vanish-list"), "lake");
  await writeSaleLineLake(lake, 1);
  const listed: string[] = [];
  for await (const object of localStore(lake).list()) {
    if (listed.length === 0) unlinkSync(at(lake, saleLinePath(3, "csv")));
    listed.push(object.path);
  }
  expect(listed).toEqual([
    saleLinePath(1),
    saleLinePath(2),
    saleLinePath(4, "csv.gz"),
    saleLinePath(5, "ndjson"),
  ]);
});

test("a file vanishing between the scan's listing and its load is reported, the others load", async () => {
  const root = tempFolder("vanish-load");
  const lake = join(root, "lake");
  await writeSaleLineLake(lake, 1);
  const pipe = await openLocalPipe({ lake, database: join(root, "w.duckdb") });
  try {
    const summary = await pipe.refresh({
      onFile: (load) => {
        if (load.file === saleLinePath(1)) unlinkSync(at(lake, saleLinePath(4, "csv.gz")));
      },
    });
    expect(summary.loaded).toBe(4);
    expect(summary.rowsLoaded).toBe(8);
    expect(summary.unlisted.map(({ path, reason }) => ({ path, reason }))).toEqual([
      { path: saleLinePath(4, "csv.gz"), reason: "vanished" },
    ]);
  } finally {
    await pipe.close();
  }
});

test("quality: a file vanishing between listing and reading is reported, the others checked", async () => {
  const lake = join(tempFolder("vanish-quality"), "lake");
  const ids = await writeSaleLineLake(lake, 1);
  const local = localStore(lake);
  // Another process deletes a file while quality reads the first one.
  const store: LakeStore = {
    ...local,
    list: local.list,
    get: async (path) => {
      if (path === saleLinePath(1)) unlinkSync(at(lake, saleLinePath(3, "csv")));
      return local.get(path);
    },
  };
  const result = await checkLake(store, { entity: "sale_line" });
  expect(result.reports[0]?.input).toBe(ids.length - 2);
  expect(result.unlisted.map(({ path, reason }) => ({ path, reason }))).toEqual([
    { path: saleLinePath(3, "csv"), reason: "vanished" },
  ]);
});

test("a FIFO named like a lake file is reported, not opened (a reader would block forever)", async () => {
  const root = tempFolder("fifo");
  const lake = join(root, "lake");
  const ids = await writeSaleLineLake(lake, 1);
  mkdirSync(at(lake, HOUR), { recursive: true });
  execFileSync("mkfifo", [at(lake, saleLinePath(12, "csv"))]);
  const load = cli(["load", "--lake", lake, "--database", join(root, "w.duckdb")]);
  expect(load.code).toBe(0);
  expect(load.stdout).toContain(`not listed   ${saleLinePath(12, "csv")}: not a regular file`);
  const quality = cli(["quality", "--lake", lake, "--entity", "sale_line"]);
  expect(quality.stdout.split("\n")[0]).toBe(
    `sale_line: ok: ${ids.length} in, ${ids.length} passed, 0 quarantined`,
  );
  expect(quality.stdout).toContain(`not listed   ${saleLinePath(12, "csv")}: not a regular file`);
});

test("a file replaced by a symlink after the listing is not followed, by a folder or a store lake", async () => {
  for (const kind of ["folder", "store"] as const) {
    const root = tempFolder(`swap-${kind}`);
    const lake = join(root, "lake");
    const ids = await writeSaleLineLake(lake, 1);
    writeCsv(join(root, "outside"), "rows.csv", saleLines(2, 501));
    const pipe = await openLocalPipe({
      lake: kind === "folder" ? lake : localStore(lake),
      database: join(root, "w.duckdb"),
    });
    try {
      const summary = await pipe.refresh({
        onFile: (load) => {
          if (load.file !== saleLinePath(1)) return;
          const swapped = at(lake, saleLinePath(3, "csv"));
          unlinkSync(swapped);
          symlinkSync(join(root, "outside", "rows.csv"), swapped);
        },
      });
      expect(summary.unlisted.map(({ path, reason }) => ({ path, reason }))).toEqual([
        { path: saleLinePath(3, "csv"), reason: "vanished" },
      ]);
      const rows = await pipe.query("select transaction_id from raw.sale_line order by all");
      expect(rows.map((r) => String(r.transaction_id))).toEqual(
        ids.filter((id) => !["T-S001-20261101-000005", "T-S001-20261101-000006"].includes(id)),
      );
    } finally {
      await pipe.close();
    }
  }
});
