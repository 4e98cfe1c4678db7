import type { LakeStore } from "../lake/lake-store.js";
import {
  parseSimulationCheckpoint,
  type SimulationCheckpoint,
  SimulationCheckpointError,
  simulationCheckpointBytes,
} from "./simulation-checkpoint.js";

/** The part of a lake store checkpoints need: any store (local folder, Blob, ADLS Gen2). */
export type CheckpointStore = Pick<LakeStore, "get" | "put" | "list" | "exists">;

/** Where a simulation's checkpoints live: `_state/simulation/<fingerprint>/`. */
export function checkpointFolder(fingerprint: string): string {
  return `_state/simulation/${fingerprint}/`;
}

// `.bin`: format 3 (`simulationCheckpointBytes`), written since; `.json`: formats 1 and 2, still read.
const FILE = /^(\d{8}T\d{6}Z)\.(bin|json)$/;

// `2026-11-06T10:05:00.000Z` -> `20261106T100500Z`: sortable, and no `:` in a blob name. A
// business day closes on a whole second, so every instant of one second reads the same days.
function instantToken(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/**
 * Keeps a checkpoint in the lake's `_state/` folder, once, as bytes (format 3,
 * `<instant>.bin`): the checkpoint of an instant is the same bytes whoever takes it, so an
 * existing one is left alone.
 * @returns its path in the store.
 * @example
 * await saveSimulationCheckpoint(lake, sim.checkpoint("2026-11-05"));
 */
export async function saveSimulationCheckpoint(
  store: CheckpointStore,
  checkpoint: SimulationCheckpoint,
): Promise<string> {
  const path = `${checkpointFolder(checkpoint.fingerprint)}${instantToken(checkpoint.at)}.bin`;
  if (await store.exists(path)) return path;
  try {
    await store.put(path, simulationCheckpointBytes(checkpoint), {
      contentType: "application/octet-stream",
    });
  } catch (error) {
    // Another process published the same checkpoint first: same day, same bytes.
    if (!(await store.exists(path))) throw error;
  }
  return path;
}

/**
 * The latest checkpoint of a simulation (by `simulationFingerprint`) taken at or before an
 * instant (a window's start), if the store holds one: `.bin` (format 3) or, as earlier versions
 * wrote them, `.json` (the bytes when both are there: the same state).
 * @throws SimulationCheckpointError naming the file when it is not a valid checkpoint (delete
 * it: the simulation then replays from the previous one).
 * @example
 * const checkpoint = await latestSimulationCheckpoint(lake, simulationFingerprint(sim.config), "2026-11-30T08:00:00Z");
 * if (checkpoint) sim.resume(checkpoint);
 */
export async function latestSimulationCheckpoint(
  store: CheckpointStore,
  fingerprint: string,
  atOrBefore: string,
): Promise<SimulationCheckpoint | undefined> {
  const folder = checkpointFolder(fingerprint);
  const limit = instantToken(atOrBefore);
  let latest: string | undefined;
  let extension = "";
  for await (const object of store.list(folder)) {
    const [, token, ext] = FILE.exec(object.path.slice(folder.length)) ?? [];
    if (!token || !ext || token > limit || (latest && token < latest)) continue;
    if (token === latest && ext !== "bin") continue;
    latest = token;
    extension = ext;
  }
  if (!latest) return undefined;
  const path = `${folder}${latest}.${extension}`;
  const bytes = await store.get(path);
  try {
    const checkpoint = parseSimulationCheckpoint(bytes);
    if (checkpoint.fingerprint !== fingerprint || instantToken(checkpoint.at) !== latest) {
      throw new SimulationCheckpointError("its fingerprint or instant does not match its path");
    }
    return checkpoint;
  } catch (error) {
    throw new SimulationCheckpointError(
      `${path} is not a valid checkpoint (${(error as Error).message}); delete it to resume from an earlier one`,
    );
  }
}
