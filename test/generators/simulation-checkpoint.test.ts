import fc from "fast-check";
import { expect, test } from "vitest";
import type { Batch } from "../../src/entities/index.js";
import {
  createRetailSimulation,
  latestSimulationCheckpoint,
  parseSimulationCheckpoint,
  SimulationCheckpointError,
  saveSimulationCheckpoint,
  simulationCheckpointBytes,
  simulationFingerprint,
} from "../../src/generators/index.js";
import { localStore } from "../../src/lake/index.js";
import { tempDir } from "../lake/temp-dir.js";

const config = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  from: fc.constantFrom("2026-03-24", "2026-10-21", "2026-12-27"),
  days: fc.integer({ min: 3, max: 9 }),
  stores: fc.integer({ min: 1, max: 4 }),
  products: fc.integer({ min: 1, max: 40 }),
  customers: fc.integer({ min: 1, max: 200 }),
  traffic: fc.constantFrom(0.05, 0.1),
});

const rows = (batches: Iterable<Batch>) =>
  [...batches].flatMap((b) => b.records.map((r) => `${b.entity.name} ${JSON.stringify(r)}`));

test("a fresh simulation resumed from a checkpoint gives the same windows as a replay from `from`", () => {
  let withSales = 0;
  fc.assert(
    fc.property(
      config,
      fc.integer({ min: 0, max: 8 }),
      // A window of 5 minutes to 4 hours starting on the checkpoint's day or the next.
      fc.integer({ min: 0, max: 2 * 288 - 1 }),
      fc.integer({ min: 1, max: 48 }),
      (cfg, dayOffset, slot, slots) => {
        const day = Date.parse(`${cfg.from}T00:00:00Z`) + (dayOffset % cfg.days) * 86_400_000;
        const replay = createRetailSimulation(cfg);
        const from = new Date(day + slot * 300_000).toISOString();
        const to = new Date(Date.parse(from) + slots * 300_000).toISOString();
        // Taken at the window's start or earlier, often inside a business day (an intraday
        // position); it travels as JSON text (format 2), its chained one as bytes (format 3).
        const at = new Date(Date.parse(from) - (slot % 4) * 37 * 60_000).toISOString();
        const saved = JSON.stringify(createRetailSimulation(cfg).checkpoint(at));
        const resumed = createRetailSimulation(cfg);
        resumed.resume(parseSimulationCheckpoint(saved));
        const expected = rows(replay.tick(from, to));
        expect(rows(resumed.tick(from, to, { batchSize: 97 }))).toEqual(expected);
        // The next window too (the resumed day goes on, or closes and the next one opens), and
        // from a checkpoint the resumed instance takes in turn (a chain of cold starts).
        const after = new Date(Date.parse(to) + slots * 300_000).toISOString();
        const chained = createRetailSimulation(cfg);
        chained.resume(
          parseSimulationCheckpoint(simulationCheckpointBytes(resumed.checkpoint(to))),
        );
        const next = rows(replay.tick(to, after));
        expect(rows(resumed.tick(to, after))).toEqual(next);
        expect(rows(chained.tick(to, after))).toEqual(next);
        if (expected.some((r) => r.startsWith("sale_line"))) withSales++;
      },
    ),
    { numRuns: 40 },
  );
  // Most windows hold sales: the property is not proved on empty windows.
  expect(withSales).toBeGreaterThan(5);
});

test("a resumed simulation starts from the checkpoint's positions, not from a replay", () => {
  const cfg = { seed: 7, from: "2026-11-01", days: 5, stores: 2, products: 30, traffic: 0.1 };
  const checkpoint = createRetailSimulation(cfg).checkpoint("2026-11-04T00:00:00Z");
  const emptied = {
    ...checkpoint,
    stores: checkpoint.stores.map((s) => ({ ...s, onHand: btoa("\0".repeat(30 * 4)) })),
  };
  const window = ["2026-11-04T09:00:00Z", "2026-11-04T15:00:00Z"] as const;
  const replayed = rows(createRetailSimulation(cfg).tick(...window));
  const resumed = createRetailSimulation(cfg);
  resumed.resume(emptied);
  // Stores that open with nothing on the shelves sell less than the replayed ones.
  const sales = (r: string[]) => r.filter((line) => line.startsWith("sale_line")).length;
  expect(sales(rows(resumed.tick(...window)))).toBeLessThan(sales(replayed));
});

test("a checkpoint inside a business day holds each store's position at that instant, and a resumed simulation goes on from it", () => {
  const cfg = { seed: 11, from: "2026-11-01", days: 5, stores: 3, products: 40, traffic: 0.2 };
  const at = "2026-11-03T14:00:00Z";
  const checkpoint = createRetailSimulation(cfg).checkpoint(at);
  // Mid-afternoon in Europe: the tickets before 14:00 are booked, the stream is where they left it.
  const within = checkpoint.stores.map((s) => s.within);
  expect(within.every((w) => w !== undefined)).toBe(true);
  expect(within.some((w) => (w?.ticketNo ?? 0) > 0)).toBe(true);
  const window = [at, "2026-11-03T16:00:00Z"] as const;
  const replayed = rows(createRetailSimulation(cfg).tick(...window));
  const resumed = createRetailSimulation(cfg);
  resumed.resume(checkpoint);
  expect(rows(resumed.tick(...window))).toEqual(replayed);
  // Another random stream position gives other tickets: the resumed day is not re-simulated
  // from its opening (which would ignore the position and replay the same records).
  const moved = createRetailSimulation(cfg);
  moved.resume({
    ...checkpoint,
    stores: checkpoint.stores.map((s) =>
      s.within ? { ...s, within: { ...s.within, rng: [1, 2, 3, 4] } } : s,
    ),
  });
  expect(rows(moved.tick(...window))).not.toEqual(replayed);
  // An earlier window than the checkpoint's instant is still right: it is replayed.
  const earlier = ["2026-11-03T10:00:00Z", "2026-11-03T11:00:00Z"] as const;
  expect(rows(resumed.tick(...earlier))).toEqual(
    rows(createRetailSimulation(cfg).tick(...earlier)),
  );
});

test("a checkpoint of format 1, its purchase orders as text numbers or its orders as objects, resumes the same", () => {
  const cfg = { seed: 4, from: "2026-11-01", days: 6, stores: 2, products: 30, traffic: 0.2 };
  const checkpoint = createRetailSimulation(cfg).checkpoint("2026-11-05T00:00:00Z");
  expect(checkpoint.format).toBe(2);
  const int32s = (b64: string | Int32Array) => [
    ...new Int32Array(Uint8Array.from(atob(b64 as string), (c) => c.charCodeAt(0)).buffer),
  ];
  const ymd = (day: number) =>
    new Date(day * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
  // As format 1 wrote them: the purchase order numbers as text beside the other columns.
  const { format: _format, ...unversioned } = checkpoint;
  const textNumbers = checkpoint.stores.map((s, store) => {
    if (Array.isArray(s.open) || !("rank" in s.open)) throw new Error("expected format 2");
    const ordered = int32s(s.open.ordered);
    const po = int32s(s.open.rank).map(
      (rank, i) =>
        `PO-S00${store + 1}-${ymd(ordered[i] as number)}-${String(rank).padStart(4, "0")}`,
    );
    const { sku, quantity, arrival } = s.open;
    return { ...s, open: { sku, quantity, arrival, po } };
  });
  const objects = textNumbers.map((s) => {
    const [sku, quantity, arrival] = [s.open.sku, s.open.quantity, s.open.arrival].map(int32s);
    return {
      ...s,
      open: s.open.po.map((po, i) => ({
        sku: sku?.[i] as number,
        quantity: quantity?.[i] as number,
        arrival: arrival?.[i] as number,
        po,
      })),
    };
  });
  expect(objects.some((s) => s.open.length > 0)).toBe(true);
  const window = ["2026-11-05T04:00:00Z", "2026-11-06T02:00:00Z"] as const;
  const replayed = rows(createRetailSimulation(cfg).tick(...window));
  // Receipts of the window carry the purchase order numbers the text held.
  expect(replayed.some((r) => r.includes('"reference":"PO-S001-'))).toBe(true);
  for (const stores of [textNumbers, objects]) {
    const resumed = createRetailSimulation(cfg);
    resumed.resume(parseSimulationCheckpoint(JSON.stringify({ ...unversioned, stores })));
    expect(rows(resumed.tick(...window))).toEqual(replayed);
    // Its next checkpoint is written in format 2, the same as a replay's.
    expect(resumed.checkpoint(window[1])).toEqual(
      createRetailSimulation(cfg).checkpoint(window[1]),
    );
  }
  // A text number that is not one of the store's purchase orders is refused, naming it.
  const [first, second] = textNumbers;
  if (!first || !second || first.open.po.length === 0) throw new Error("expected open orders");
  const foreign = {
    ...first,
    open: { ...first.open, po: first.open.po.map((po) => po.replace("S001", "S009")) },
  };
  expect(() =>
    createRetailSimulation(cfg).resume({ ...unversioned, stores: [foreign, second] }),
  ).toThrow(
    /checkpoint field "stores\.0\.open\.po\.0": "PO-S009-\d{8}-\d{4}" is not a purchase order number of store S001/,
  );
});

test("checkpointDays(at) names each store's business day at an instant without building a checkpoint", () => {
  const cfg = { seed: 5, from: "2026-11-01", days: 4, stores: 4, products: 10 };
  const sim = createRetailSimulation(cfg);
  for (const at of ["2026-11-01T00:00:00Z", "2026-11-02T23:30:00Z", "2026-11-04T12:00:00Z"]) {
    expect(sim.checkpointDays(at)).toEqual(sim.checkpoint(at).stores.map((s) => s.day));
  }
});

test("checkpoints of another config, model or shape are refused with the reason", () => {
  const cfg = { seed: 1, from: "2026-11-01", days: 4, stores: 2, products: 10 };
  const checkpoint = createRetailSimulation(cfg).checkpoint("2026-11-03T06:00:00Z");
  // `days` only bounds the period: a longer run resumes from the same checkpoint.
  expect(simulationFingerprint(createRetailSimulation({ ...cfg, days: 40 }).config)).toBe(
    checkpoint.fingerprint,
  );
  const refusal = (other: object, cp: unknown = checkpoint) => {
    try {
      createRetailSimulation({ ...cfg, ...other }).resume(cp as typeof checkpoint);
    } catch (error) {
      expect(error).toBeInstanceOf(SimulationCheckpointError);
      return (error as Error).message;
    }
    return "resumed";
  };
  expect(refusal({ seed: 2 })).toMatch(/taken from another simulation config or model/);
  expect(refusal({ traffic: 2 })).toMatch(/another simulation/);
  expect(refusal({}, { ...checkpoint, model: 0 })).toMatch(/field "model"/);
  const late = checkpoint.stores.map((s) => ({ ...s, day: "2026-12-01" }));
  expect(refusal({}, { ...checkpoint, stores: late })).toMatch(
    /checkpoint day 2026-12-01 is outside the simulated days 2026-11-01\.\.2026-11-04/,
  );
  expect(refusal({}, { ...checkpoint, stores: checkpoint.stores.slice(1) })).toMatch(
    /holds 1 stores; the simulation has 2/,
  );
  expect(() => parseSimulationCheckpoint("{")).toThrow(/not JSON/);
  expect(refusal({ days: 40 })).toBe("resumed");
});

test("a damaged column of a checkpoint is refused naming it, whatever the damage", () => {
  const cfg = { seed: 1, from: "2026-11-01", days: 4, stores: 2, products: 10 };
  const checkpoint = createRetailSimulation(cfg).checkpoint("2026-11-03T11:00:00Z");
  const [first, second] = checkpoint.stores;
  if (!first || !second?.within || Array.isArray(second.open) || !("rank" in second.open))
    throw new Error("expected format 2");
  const onHand = first.onHand as string;
  const damages = [
    `${onHand.slice(0, 5)}!${onHand.slice(6)}`, // a character that is not base64
    onHand.slice(0, -1), // cut short
    `${onHand.slice(0, 8)} ${onHand.slice(8)}`, // a space inside
    `${onHand.slice(0, 8)}\n${onHand.slice(8)}`,
  ];
  for (const damaged of damages) {
    const stores = [{ ...first, onHand: damaged }, second];
    expect(() => createRetailSimulation(cfg).resume({ ...checkpoint, stores })).toThrow(
      /checkpoint field "stores\.0\.onHand": not base64/,
    );
  }
  const text = second.within.times as string;
  const times = `${text.slice(0, 4)}*${text.slice(5)}`;
  const late = { ...second, within: { ...second.within, times } };
  expect(() =>
    createRetailSimulation(cfg).resume({ ...checkpoint, stores: [first, late] }),
  ).toThrow(/checkpoint field "stores\.1\.within\.times": not base64/);
  const cut = {
    ...second,
    open: { ...second.open, quantity: btoa(atob(second.open.quantity as string).slice(4)) },
  };
  expect(() => createRetailSimulation(cfg).resume({ ...checkpoint, stores: [first, cut] })).toThrow(
    /checkpoint field "stores\.1\.open": columns of unequal length \(sku (\d+), quantity (?!\1\b)\d+, arrival \1, ordered \1, rank \1\)/,
  );
  // Valid base64 of the wrong length is a store of another shape.
  const short = { ...first, onHand: btoa("\0".repeat(9 * 4)) };
  expect(() =>
    createRetailSimulation(cfg).resume({ ...checkpoint, stores: [short, second] }),
  ).toThrow(/holds 9 products a store; the simulation has 10/);
});

test("a lake keeps checkpoints under _state/ and hands back the latest at or before an instant", async () => {
  const lake = localStore(tempDir("retail-mds-checkpoints-"));
  const cfg = { seed: 3, from: "2026-11-01", days: 10, stores: 2, products: 12 };
  const sim = createRetailSimulation(cfg);
  const fingerprint = simulationFingerprint(sim.config);
  const folder = `_state/simulation/${fingerprint}/`;
  expect(
    await latestSimulationCheckpoint(lake, fingerprint, "2026-11-30T00:00:00Z"),
  ).toBeUndefined();
  for (const at of ["2026-11-02T06:00:00Z", "2026-11-05T06:00:00Z", "2026-11-08T06:00:00Z"]) {
    await saveSimulationCheckpoint(lake, sim.checkpoint(at));
  }
  // Saving again is a no-op: the same instant gives the same bytes.
  expect(await saveSimulationCheckpoint(lake, sim.checkpoint("2026-11-05T06:00:00Z"))).toBe(
    `${folder}20261105T060000Z.bin`,
  );
  const latest = async (t: string) => (await latestSimulationCheckpoint(lake, fingerprint, t))?.at;
  expect(await latest("2026-11-08T05:59:59Z")).toBe("2026-11-05T06:00:00.000Z");
  expect(await latest("2026-11-08T06:00:00Z")).toBe("2026-11-08T06:00:00.000Z");
  expect(await latest("2026-11-02T05:00:00Z")).toBeUndefined();
  // A checkpoint as earlier versions kept it (format 2 JSON) is read too, the bytes first when
  // both are there; the same state either way.
  const json = JSON.stringify(sim.checkpoint("2026-11-07T06:00:00Z"));
  await lake.put(`${folder}20261107T060000Z.json`, new TextEncoder().encode(json));
  const older = await latestSimulationCheckpoint(lake, fingerprint, "2026-11-07T07:00:00Z");
  expect(older?.format).toBe(2);
  await saveSimulationCheckpoint(lake, sim.checkpoint("2026-11-07T06:00:00Z"));
  const newer = await latestSimulationCheckpoint(lake, fingerprint, "2026-11-07T07:00:00Z");
  expect(newer?.format).toBe(3);
  const window = ["2026-11-07T07:00:00Z", "2026-11-07T09:00:00Z"] as const;
  const resumedRows = [older, newer].map((checkpoint) => {
    const resumed = createRetailSimulation(cfg);
    resumed.resume(checkpoint as NonNullable<typeof checkpoint>);
    return rows(resumed.tick(...window));
  });
  expect(resumedRows[1]).toEqual(resumedRows[0]);
  expect(resumedRows[0]).toEqual(rows(createRetailSimulation(cfg).tick(...window)));
  // A damaged checkpoint is named, with what to do, rather than resumed from.
  await lake.put(`${folder}20261109T000000Z.json`, new TextEncoder().encode("{}"));
  await expect(latest("2026-11-09T01:00:00Z")).rejects.toThrow(
    /_state\/simulation\/[0-9a-f]{16}\/20261109T000000Z\.json is not a valid checkpoint .*delete it/,
  );
  const bytes = simulationCheckpointBytes(sim.checkpoint("2026-11-09T06:00:00Z"));
  await lake.put(`${folder}20261109T060000Z.bin`, bytes.subarray(0, bytes.length - 8));
  await expect(latest("2026-11-09T07:00:00Z")).rejects.toThrow(
    /20261109T060000Z\.bin is not a valid checkpoint \(checkpoint field "stores\.1\.\S+": cut short .*delete it/,
  );
});

test("a checkpoint's bytes (format 3) resume the same as its JSON, are smaller, and are refused naming what is damaged", () => {
  const cfg = { seed: 2, from: "2026-11-01", days: 4, stores: 3, products: 200, traffic: 0.3 };
  const sim = createRetailSimulation(cfg);
  const at = "2026-11-03T12:05:00Z";
  const checkpoint = sim.checkpoint(at);
  const bytes = simulationCheckpointBytes(checkpoint);
  expect(bytes.length).toBeLessThan(0.85 * JSON.stringify(checkpoint).length);
  const fromBytes = parseSimulationCheckpoint(bytes);
  expect(fromBytes.format).toBe(3);
  // The same bytes again, whichever form it is taken from (its columns as values: no base64).
  expect(simulationCheckpointBytes(fromBytes)).toEqual(bytes);
  const values = createRetailSimulation(cfg).checkpoint(at, { columns: "values" });
  expect(values.stores[0]?.onHand).toBeInstanceOf(Int32Array);
  expect(simulationCheckpointBytes(values)).toEqual(bytes);
  // Unaligned (a buffer slice), and the UTF-8 of the JSON, read too.
  const unaligned = new Uint8Array(bytes.length + 1).subarray(1);
  unaligned.set(bytes);
  const json = new TextEncoder().encode(JSON.stringify(checkpoint));
  const window = [at, "2026-11-03T14:00:00Z"] as const;
  const expected = rows(createRetailSimulation(cfg).tick(...window));
  for (const input of [
    fromBytes,
    parseSimulationCheckpoint(unaligned),
    parseSimulationCheckpoint(json),
  ]) {
    const resumed = createRetailSimulation(cfg);
    resumed.resume(input);
    expect(rows(resumed.tick(...window))).toEqual(expected);
  }
  const refused = (damaged: Uint8Array) => {
    try {
      parseSimulationCheckpoint(damaged);
    } catch (error) {
      expect(error).toBeInstanceOf(SimulationCheckpointError);
      return (error as Error).message;
    }
    return "accepted";
  };
  const headerLength = new DataView(bytes.buffer).getUint32(8, true);
  const withHeader = (edit: (header: Record<string, unknown>) => unknown) => {
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
    const text = new TextEncoder().encode(JSON.stringify(edit(header)));
    const out = new Uint8Array(12 + text.length);
    out.set(bytes.subarray(0, 8));
    new DataView(out.buffer).setUint32(8, text.length, true);
    out.set(text, 12);
    // The columns, after padding to a multiple of 4.
    const body = bytes.subarray((12 + headerLength + 3) & ~3);
    const all = new Uint8Array(((out.length + 3) & ~3) + body.length);
    all.set(out);
    all.set(body, (out.length + 3) & ~3);
    return all;
  };
  expect(refused(bytes.subarray(0, 20))).toMatch(/cut short: a \d+-byte header in 20 bytes/);
  expect(refused(bytes.subarray(0, bytes.length - 4))).toMatch(
    /field "stores\.2\.within\.times": cut short/,
  );
  const longer = new Uint8Array(bytes.length + 4);
  longer.set(bytes);
  expect(refused(longer)).toMatch(/4 bytes after the last column/);
  expect(
    refused(
      withHeader((h) => ({
        ...h,
        stores: (h.stores as Record<string, unknown>[]).map((s) => ({ ...s, onHand: -1 })),
      })),
    ),
  ).toMatch(/field "stores\.0\.onHand": -1 is not a count of values/);
  expect(refused(withHeader((h) => ({ ...h, model: 99 })))).toMatch(/field "model"/);
  expect(refused(withHeader((h) => ({ ...h, format: 4 })))).toMatch(/field "format"/);
  const header = withHeader((h) => h);
  header[12] = 0x78; // "x" for the header's opening "{": no longer JSON
  expect(refused(header)).toMatch(/the header is not JSON/);
});
