// The entry of a generating thread (see writeSimulation in write-simulation.ts): simulates,
// validates and encodes one store group, as `--shard <group>/<storeGroups>` would, publishing
// its files through the store the starting thread serves over `port`. Built as its own entry
// (dist/simulation-worker.js and .cjs), next to the chunks that start it.
import { type MessagePort, parentPort, workerData } from "node:worker_threads";
import { createLakeWriter } from "../lake/lake-writer.js";
import { portStore } from "../lake/port-store.js";
import { describeError } from "../lake/thread-error.js";
import { createRetailSimulation } from "./retail-simulation.js";
import {
  type SimulationThreadData,
  type SimulationThreadMessage,
  writeSimulationBatches,
} from "./write-simulation.js";

const port = parentPort;
if (!port) throw new Error("simulation-worker runs as a worker thread, started by writeSimulation");
const data = workerData as SimulationThreadData & { port: MessagePort };
const post = (message: SimulationThreadMessage) => port.postMessage(message);

// Not a top-level await: the CJS build has none.
async function run(): Promise<void> {
  const { storeGroups } = data.writer;
  const sim = createRetailSimulation({
    ...data.config,
    shard: { index: data.group, count: storeGroups },
  });
  const writer = createLakeWriter({ store: portStore(data.port, data.store), ...data.writer });
  const rowsByEntity = await writeSimulationBatches(sim, writer, {
    batchSize: data.batchSize,
    onProgress: ({ rows, done, through }) =>
      post({ type: "progress", rows, done, through: through ?? sim.period.from }),
  });
  post({ type: "done", result: { ...(await writer.close()), rowsByEntity } });
}

run().catch((error) => post({ type: "failed", error: describeError(error) }));
