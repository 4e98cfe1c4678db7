// Child process of crash-safety.test.ts: publishes one large file through the local store and
// is killed by the parent while the bytes are being written.
import { localStore } from "../../src/lake/index.js";

const [root, path, megabytes] = process.argv.slice(2) as [string, string, string];
const body = Buffer.alloc(Number(megabytes) * 1024 * 1024, 0x61);
process.stdout.write("writing\n");
await localStore(root).put(path, body, { contentType: "text/csv" });
process.stdout.write("published\n");
