// The entry of a generating thread (see writeSimulation in write-simulation.ts): simulates,
// validates and encodes the store groups it is sent, one at a time, each as `--shard g/G` would,
// publishing its files through the store the starting thread serves over `port`. Built as its
// own entry (dist/simulation-worker.js and .cjs), next to the chunks that start it.
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

const store = portStore(data.port, data.store);

async function run(group: number): Promise<void> {
  const sim = createRetailSimulation({
    ...data.config,
    shard: { index: group, count: data.writer.storeGroups },
  });
  const writer = createLakeWriter({ store, ...data.writer });
  const rowsByEntity = await writeSimulationBatches(sim, writer, {
    batchSize: data.batchSize,
    // Column batches where the lake writer takes them without records.
    columns: data.writer.format === "parquet",
    onProgress: ({ rows, done, through }) =>
      post({ type: "progress", rows, done, through: through ?? sim.period.from }),
  });
  post({ type: "done", result: { ...(await writer.close()), rowsByEntity } });
}

// One group at a time, as the starting thread asks; the thread lives until it is terminated.
port.on("message", ({ group }: { group: number }) => {
  run(group).catch((error) => post({ type: "failed", error: describeError(error) }));
});
