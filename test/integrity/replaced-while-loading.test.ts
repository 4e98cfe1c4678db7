import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { type LakeStore, localStore } from "../../src/lake/index.js";
import { openLocalPipe } from "../../src/warehouse/index.js";
import { saleLinePath, saleLines, tempFolder, writeParquet } from "../warehouse/lake-fixture.js";

// Found by the audit: a local lake file is hashed (its identity in the load history), then read
// again by DuckDB for its rows. A file replaced in between (the lake writer, `quality
// --quarantine` and `cp` + `mv` all publish by rename) went in with the new bytes' rows under
// the old bytes' hash: the next scan called the file changed (CONFLICT, exit 1) though RAW held
// exactly its rows, and putting the "loaded bytes" back, as the message says, left RAW holding
// rows of bytes the history does not name. The pipe now sees the file changed before it commits
// and loads nothing of it; the next scan loads the bytes that are there, under their own hash.

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** A local store that replaces `victim` with `replacement` when the pipe stages `trigger`. */
function replacingStore(lake: string, trigger: string, victim: string, replacement: string) {
  const store = localStore(lake);
  let replaced = false;
  const wrapped: LakeStore = Object.create(store);
  // Without `root`, the pipe asks localPath for each file as it stages it.
  Object.assign(wrapped, {
    root: undefined,
    localPath(path: string) {
      if (path === trigger && !replaced) {
        renameSync(replacement, store.localPath(victim));
        replaced = true;
      }
      return store.localPath(path);
    },
  });
  return wrapped;
}

test("a Parquet file of a group replaced between its hash and its read is not recorded under the old hash; the next scan loads the new bytes once", async () => {
  const root = tempFolder("replaced-while-loading");
  const lake = join(root, "lake");
  const [first, second] = [saleLinePath(1), saleLinePath(2)];
  await writeParquet(lake, first, saleLines(3, 1));
  await writeParquet(lake, second, saleLines(2, 100));
  const newer = await writeParquet(join(root, "newer"), first, saleLines(5, 1));
  const newerHash = sha256(newer);

  const database = join(root, "retail.duckdb");
  const pipe = await openLocalPipe({
    lake: replacingStore(lake, second, first, newer),
    database,
  });
  await expect(pipe.refresh()).rejects.toThrow(
    "changed while it was being loaded: run the load again",
  );
  expect(sha256(join(lake, ...first.split("/")))).toBe(newerHash); // it was replaced
  const again = await pipe.refresh();
  expect(again.conflicts).toBe(0);
  expect(again.failed).toBe(0);
  const rows = await pipe.query(
    `select count(*)::int as n from raw.sale_line where _source_file = '${first}'`,
  );
  expect(rows).toEqual([{ n: 5 }]);
  const history = await pipe.query(
    `select content_hash, status, row_count::int as row_count from pipe.load_history where file_name = '${first}'`,
  );
  expect(history).toEqual([{ content_hash: newerHash, status: "LOADED", row_count: 5 }]);
  await pipe.close();
});

test("a file replaced by bytes that fail while it loads is not recorded as LOAD_FAILED under the old bytes' hash", async () => {
  const root = tempFolder("replaced-while-loading");
  const lake = join(root, "lake");
  const [first, second] = [saleLinePath(1), saleLinePath(2)];
  const good = await writeParquet(lake, first, saleLines(3, 1));
  const goodHash = sha256(good);
  await writeParquet(lake, second, saleLines(2, 100));
  const broken = join(root, "broken.parquet");
  writeFileSync(broken, "not parquet at all");
  const brokenHash = sha256(broken);

  const database = join(root, "retail.duckdb");
  const pipe = await openLocalPipe({ lake: replacingStore(lake, second, first, broken), database });
  // DuckDB reads the broken bytes, so the load fails: but not in the name of the good ones.
  await expect(pipe.refresh()).rejects.toThrow(
    "changed while it was being loaded: run the load again",
  );
  const again = await pipe.refresh();
  expect(again.failed).toBe(1);
  const history = await pipe.query(
    `select content_hash, status from pipe.load_history where file_name = '${first}'`,
  );
  expect(history).toEqual([{ content_hash: brokenHash, status: "LOAD_FAILED" }]);
  expect(history).not.toContainEqual(expect.objectContaining({ content_hash: goodHash }));
  await pipe.close();
});
