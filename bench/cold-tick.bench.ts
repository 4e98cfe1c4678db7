// A cold `tick` on day 365 against a warm one, as the Azure Function pays them: a new instance
// either replays every store from the first day, or resumes from a checkpoint an earlier
// instance kept in the lake's `_state/`. Ratios compare runs measured here, in this process.
// "Cold" is a new simulation in this process (module caches and JIT warm): a new process adds
// its own start-up, the same with or without a checkpoint.
import { loadavg } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  createRetailSimulation,
  parseSimulationCheckpoint,
  simulationCheckpointBytes,
} from "../src/generators/index.js";

const CONFIG = { seed: 42, from: "2026-01-01", days: 366, stores: 20, products: 2000 };
const REPEATS = 7;
const at = (minute: number) =>
  new Date(Date.parse("2026-12-31T12:00:00Z") + minute * 60_000).toISOString();

type Simulation = ReturnType<typeof createRetailSimulation>;

interface Timing {
  readonly wall: number;
  readonly cpu: number;
  readonly rows: number;
}

// A full collection and a pause before each timed run, as a new process or an instance idle
// for the five minutes between two ticks starts clean: without it, each run paid for the
// garbage of the run before it (a cold start after the one resumed at 23:00 the day before paid
// for that replay), and without the pause for the collection's sweeping on V8's helper threads.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

async function timed(run: () => number): Promise<Timing> {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const rows = run();
  const c = process.cpuUsage(cpu0);
  return { wall: performance.now() - wall0, cpu: (c.user + c.system) / 1000, rows };
}

// The median of a few runs: one slow run on a shared machine does not make the figure.
function median(runs: readonly Timing[]): Timing {
  const by = (key: "wall" | "cpu") =>
    ([...runs].sort((a, b) => a[key] - b[key])[runs.length >> 1] as Timing)[key];
  return { wall: by("wall"), cpu: by("cpu"), rows: (runs[0] as Timing).rows };
}

function tickOf(sim: Simulation, minute: number): number {
  let rows = 0;
  for (const batch of sim.tick(at(minute), at(minute + 5))) rows += batch.records.length;
  return rows;
}

// A new instance resuming from the checkpoint's bytes (parsed, as from the lake), then one window.
function coldFrom(saved: Uint8Array | string, minute: number): Promise<Timing> {
  return timed(() => {
    const sim = createRetailSimulation(CONFIG);
    sim.resume(parseSimulationCheckpoint(saved));
    return tickOf(sim, minute);
  });
}

// Each kind of cold start once per round, after an untimed round: the order of the kinds and
// the garbage the replay left behind then weigh on none of them more than on the others.
async function coldStarts(
  checkpoints: readonly (Uint8Array | string)[],
  minute: number,
): Promise<Timing[]> {
  for (const saved of checkpoints) await coldFrom(saved, minute);
  const runs = checkpoints.map((): Timing[] => []);
  for (let round = 0; round < REPEATS; round++) {
    for (const [k, saved] of checkpoints.entries()) runs[k]?.push(await coldFrom(saved, minute));
  }
  return runs.map(median);
}

export default async function (): Promise<void> {
  const load0 = loadavg()[0]?.toFixed(1);
  const warm = createRetailSimulation(CONFIG);
  const replay = await timed(() => tickOf(warm, 0));
  // Checkpoints as the Function keeps them: at the end of the window before (every tick), an
  // hour before it (RETAIL_MDS_CHECKPOINT_MINUTES' default), and at the stores' day opening
  // (all the previous version kept).
  // As the lake keeps them (format 3 bytes); and the one at the window's start as JSON (format
  // 2), as earlier versions kept them.
  const atStart = simulationCheckpointBytes(warm.checkpoint(at(10)));
  const atStartJson = JSON.stringify(warm.checkpoint(at(10)));
  const hourBefore = simulationCheckpointBytes(warm.checkpoint(at(-50)));
  const opening = simulationCheckpointBytes(warm.checkpoint("2026-12-30T23:00:00Z"));
  const warmRuns: Timing[] = [];
  for (let i = 0; i < REPEATS; i++) warmRuns.push(await timed(() => tickOf(warm, 5 + 5 * i)));
  const warmTicks = median(warmRuns);
  const [resumed, resumedJson, resumedHour, resumedOpening] = (await coldStarts(
    [atStart, atStartJson, hourBefore, opening],
    10,
  )) as [Timing, Timing, Timing, Timing];
  const load1 = loadavg()[0]?.toFixed(1);

  const ms = (n: number) => `${n.toFixed(1).padStart(9)} ms`;
  const row = (name: string, t: Timing) =>
    `| ${name.padEnd(62)} | ${ms(t.wall)} | ${ms(t.cpu)} | ${(t.wall / warmTicks.wall).toFixed(1).padStart(8)}x |`;
  console.log(
    `cold tick, a 5-minute window on day 365 (${CONFIG.stores} stores x ${CONFIG.products} SKUs; checkpoint ${Math.round(atStart.length / 1024)} KB of bytes, ${Math.round(atStartJson.length / 1024)} KB as JSON); median of ${REPEATS} runs; load average ${load0} at start, ${load1} at the end\n`,
  );
  console.log(`| ${"tick".padEnd(62)} | wall         | CPU          | x warm    |`);
  console.log(`|${"-".repeat(64)}|--------------|--------------|-----------|`);
  console.log(row("cold, no checkpoint (replays 364 days x 20 stores; one run)", replay));
  console.log(row("cold, resumed from a checkpoint at the window's start", resumed));
  console.log(row("cold, the same checkpoint as JSON (format 2, earlier versions)", resumedJson));
  console.log(row("cold, resumed from a checkpoint an hour before the window", resumedHour));
  console.log(row("cold, resumed from a checkpoint at 23:00 UTC the day before", resumedOpening));
  console.log(row("warm (the instance that ticked the window before)", warmTicks));
  console.log(
    `\ncold (checkpoint at the window's start) / warm: ${(resumed.wall / warmTicks.wall).toFixed(1)}x wall, ${(resumed.cpu / warmTicks.cpu).toFixed(1)}x CPU (target <= 2x)`,
  );
}
