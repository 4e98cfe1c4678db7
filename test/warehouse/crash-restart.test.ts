import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, test } from "vitest";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { saleLinePath, saleLines, tempFolder, writeCsv } from "./lake-fixture.js";

const FILES = 30;
const ROWS = 4000;

test("a pipe killed mid-load resumes on restart: every row exactly once", async () => {
  const root = tempFolder();
  const lake = join(root, "lake");
  const database = join(root, "retail.duckdb");
  for (let i = 0; i < FILES; i++)
    writeCsv(lake, saleLinePath(i + 1, "csv"), saleLines(ROWS, i * ROWS + 1));

  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(__dirname, "crash-child.ts"), lake, database],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let committed = 0;
  let finished = false;
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.on("exit", (_code, signal) => done(signal)),
  );
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (text: string) => {
    committed += text.split("\n").filter((l) => l.startsWith("committed")).length;
    if (text.includes("done")) finished = true;
    // Kill while the next file is being loaded: its transaction never commits.
    if (committed >= 3 && child.exitCode === null) child.kill("SIGKILL");
  });
  expect(await exited).toBe("SIGKILL");
  expect(finished).toBe(false);

  const pipe = await openLocalPipe({ lake, database });
  const before = Number(
    (await pipe.query("select count(*)::INTEGER as n from pipe.load_history"))[0]?.n,
  );
  expect(before).toBeGreaterThanOrEqual(3);
  expect(before).toBeLessThan(FILES);
  const rowsBefore = Number(
    (await pipe.query("select count(*)::INTEGER as n from raw.sale_line"))[0]?.n,
  );
  expect(rowsBefore).toBe(before * ROWS);

  const resumed = await pipe.refresh();
  expect([resumed.alreadyLoaded, resumed.loaded]).toEqual([before, FILES - before]);
  const [totals] = await pipe.query(
    "select count(*)::INTEGER as n, count(distinct transaction_id)::INTEGER as keys, count(distinct _source_file)::INTEGER as files from raw.sale_line",
  );
  expect(totals).toEqual({ n: FILES * ROWS, keys: FILES * ROWS, files: FILES });
  await pipe.close();
});
