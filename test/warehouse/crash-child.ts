// Loads a lake in a child process and reports each committed file, so that a test can kill it
// mid-load. argv: <lake> <database>.
import { openLocalPipe } from "../../src/warehouse/index.js";

const [lake, database] = process.argv.slice(2) as [string, string];
const pipe = await openLocalPipe({ lake, database });
await pipe.refresh({ onFile: (load) => process.stdout.write(`committed ${load.file}\n`) });
await pipe.close();
process.stdout.write("done\n");
