import { cpSync, rmSync } from "node:fs";
import {
  saleLinePath,
  saleLines,
  tempFolder,
  writeCsv,
  writeNdjson,
  writeParquet,
} from "../warehouse/lake-fixture.js";

/**
 * A small sale-line lake in every format the pipe reads: two Parquet files of one hour (so a
 * scan takes the grouped insert), a CSV, a gzipped CSV and an NDJSON file. Transaction ids start
 * at `from`, so rows of sibling lakes are told apart. Returns the ids written, sorted.
 * The files are made in a plain folder and copied to `lake`: the fixture's own DuckDB writer
 * must not be the reader under test.
 */
export async function writeSaleLineLake(lake: string, from: number): Promise<string[]> {
  const staging = tempFolder("lake-src");
  const batches = [0, 2, 4, 6, 8].map((offset) => saleLines(2, from + offset));
  await writeParquet(staging, saleLinePath(1), batches[0] ?? []);
  await writeParquet(staging, saleLinePath(2), batches[1] ?? []);
  writeCsv(staging, saleLinePath(3, "csv"), batches[2] ?? []);
  writeCsv(staging, saleLinePath(4, "csv.gz"), batches[3] ?? []);
  writeNdjson(staging, saleLinePath(5, "ndjson"), batches[4] ?? []);
  cpSync(staging, lake, { recursive: true });
  rmSync(staging, { recursive: true, force: true });
  return batches
    .flat()
    .map((r) => String(r.transaction_id))
    .sort();
}
