import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

/** Runs the CLI from source in a child process, as a user would: exit code, stdout, stderr. */
export function cli(...args: string[]): { code: number | null; out: string; err: string } {
  const result = spawnSync(
    process.execPath,
    ["--import", "tsx", resolve("src/cli/main.ts"), ...args],
    // Bounded: a listing that loops must fail the test, not hang the suite.
    { encoding: "utf8", timeout: 60_000 },
  );
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** The rows a query returns from a warehouse file, read after the CLI has closed it. */
export async function queryWarehouse(
  database: string,
  sql: string,
): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(database, { access_mode: "READ_ONLY" });
  try {
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}
