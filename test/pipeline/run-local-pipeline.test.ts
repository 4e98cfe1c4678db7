import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect, expectTypeOf, test } from "vitest";
import { type PipelineEvent, runLocalPipeline } from "../../src/pipeline/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { tempFolder } from "../warehouse/lake-fixture.js";

const small = { days: 1, stores: 2, products: 20, skipDbt: true } as const;

const folders = (name: string) => {
  const root = tempFolder(name);
  return { lake: join(root, "lake"), warehouse: join(root, "warehouse") };
};

test("a program runs the pipeline, gets typed progress events in order, and the result reconciles", async () => {
  const events: PipelineEvent[] = [];
  const where = folders("pipeline-events");
  const result = await runLocalPipeline(
    { ...small, ...where },
    { onProgress: (event) => events.push(event) },
  );

  const opening = events.filter((e) => e.type === "stage").map((e) => e.stage);
  expect(opening).toEqual(["generate", "refresh", "dbt", "report"]);
  const kinds = events.map((e) => e.type).filter((t, i, all) => t !== all[i - 1]);
  expect(kinds).toEqual([
    "stage",
    "generated",
    "landed",
    "stage",
    "refreshed",
    "stage",
    "dbt-done",
    "stage",
    "reported",
  ]);
  // One event per hourly window, rows growing, hours in order.
  const ticks = events.flatMap((e) => (e.type === "generated" ? [e] : []));
  expect(ticks.length).toBeGreaterThan(20);
  expect(ticks.map((t) => t.hour)).toEqual(ticks.map((t) => t.hour).sort());
  expect(ticks.every((t, i) => i === 0 || t.rows >= (ticks[i - 1]?.rows ?? 0))).toBe(true);

  const landed = events.find((e) => e.type === "landed");
  expect(landed?.type === "landed" && landed.counts.generated).toBe(result.counts.generated);
  expect(result.counts.generated).toBeGreaterThan(0);
  expect(result.counts.generated).toBe(result.counts.landed + result.counts.quarantined);
  expect(result.counts.rowsLoaded).toBe(result.counts.landed);
  expect(result.reconciliation.map((r) => r.label)).toEqual([
    "generated = landed + quarantined",
    "landed = loaded + skipped",
    "files landed = files in load history",
  ]);
  expect(result.balanced).toBe(true);
  expect(result.dbt.result).toBeUndefined();
  expect(existsSync(result.report)).toBe(true);
  expect(result.report).toBe(join(where.warehouse, "report.html"));
  expect(result.database).toBe(join(where.warehouse, "retail.duckdb"));
  expect(result.reportData.salesSource).toContain("raw");
});

test("the progress events narrow on their type", () => {
  const on = (event: PipelineEvent) => {
    if (event.type === "generated") expectTypeOf(event.rows).toEqualTypeOf<number>();
    if (event.type === "landed") expectTypeOf(event.counts.files).toEqualTypeOf<number>();
    if (event.type === "dbt-node") expectTypeOf(event.stage).toEqualTypeOf<"dbt">();
  };
  expectTypeOf(on).parameter(0).toHaveProperty("stage");
  expectTypeOf<Extract<PipelineEvent, { type: "stage" }>["stage"]>().toEqualTypeOf<
    "generate" | "refresh" | "dbt" | "report"
  >();
});

test("a signal aborts the run cleanly between hourly windows; what landed is loaded and a re-run goes on", async () => {
  const where = folders("pipeline-abort");
  const controller = new AbortController();
  const reason = new Error("stop here");
  const seen: PipelineEvent[] = [];
  const aborted = runLocalPipeline(
    { ...small, ...where },
    {
      signal: controller.signal,
      onProgress: (event) => {
        seen.push(event);
        if (seen.filter((e) => e.type === "generated").length === 5) controller.abort(reason);
      },
    },
  );
  await expect(aborted).rejects.toBe(reason);
  // Stopped after the fifth window: no later window generated, no later stage started.
  expect(seen.filter((e) => e.type === "generated")).toHaveLength(5);
  expect(seen.filter((e) => e.type === "stage").map((e) => e.stage)).toEqual(["generate"]);

  // The warehouse was closed (another connection opens it) and every file landed was loaded.
  const pipe = await openLocalPipe({
    lake: where.lake,
    database: join(where.warehouse, "retail.duckdb"),
  });
  let loadedBefore: number;
  try {
    const refresh = await pipe.refresh();
    expect(refresh.loaded).toBe(0);
    expect(refresh.failed).toBe(0);
    loadedBefore = refresh.alreadyLoaded;
    expect(loadedBefore).toBeGreaterThan(0);
  } finally {
    await pipe.close();
  }

  // The re-run finds the aborted run's files byte-identical, and balances.
  const rerun = await runLocalPipeline({ ...small, ...where });
  expect(rerun.balanced).toBe(true);
  expect(rerun.counts.unchanged).toBe(loadedBefore);
  expect(rerun.counts.published + rerun.counts.unchanged).toBe(rerun.counts.files);

  // Already aborted: nothing starts.
  const none = folders("pipeline-aborted");
  await expect(
    runLocalPipeline({ ...small, ...none }, { signal: AbortSignal.abort(reason) }),
  ).rejects.toBe(reason);
  expect(existsSync(none.warehouse)).toBe(false);
}, 300_000);
