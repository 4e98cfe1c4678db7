// `retail-mds generate` to Parquet, end to end through the lake writer, against tpcgen-cli (a
// Rust TPC-DS generator from PyPI) writing store_sales + inventory to Parquet in the same run:
// the speed a user would call fast for volume. Both run as child processes from the command
// line, as users run them; the ratio is ours over theirs in rows per second of wall time.
// TPC-DS rows are far simpler than ours (no baskets, stock independent of sales), so the
// ratio says where we stand against raw volume, not against an equal workload.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const GENERATE = ["--days", "7", "--stores", "20", "--products", "2000", "--seed", "42"];
// The target: 1 M rows/s on 2 cores, which is 0.27x tpcgen-cli's 3.7 M rows/s here.
const TARGET = 0.27;
// generate's default: one core for the generating thread, the others encode.
const cores = Math.max(1, availableParallelism() - 1);

interface Run {
  readonly rows: number;
  readonly wall: number;
}

/**
 * tpcgen-cli: $TPCGEN_CLI when set (a venv of your own), else the project venv's, installed there
 * from bench/requirements.txt if missing.
 */
function tpcgenBinary(): string | undefined {
  if (process.env.TPCGEN_CLI) return process.env.TPCGEN_CLI;
  const bin = join(root, ".venv", "bin", "tpcgen-cli");
  if (existsSync(bin)) return bin;
  const pip = join(root, ".venv", "bin", "pip");
  if (!existsSync(pip)) return undefined;
  const install = spawnSync(
    pip,
    [
      "install",
      "--quiet",
      "--disable-pip-version-check",
      "-r",
      join(root, "bench", "requirements.txt"),
    ],
    { stdio: "inherit" },
  );
  return install.status === 0 && existsSync(bin) ? bin : undefined;
}

function timedChild(command: string, args: readonly string[]): { wall: number } {
  const t0 = performance.now();
  const run = spawnSync(command, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  if (run.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  return { wall: (performance.now() - t0) / 1000 };
}

function ours(out: string, workers: number): Run {
  const cli = join(root, "dist", "cli.js");
  const t = timedChild(process.execPath, [
    cli,
    "generate",
    ...GENERATE,
    "--format",
    "parquet",
    "--workers",
    String(workers),
    "--out",
    out,
  ]);
  const manifests = join(out, "_manifests");
  const [manifest] = readdirSync(manifests);
  const { rowsWritten } = JSON.parse(readFileSync(join(manifests, manifest as string), "utf8")) as {
    rowsWritten: number;
  };
  return { rows: rowsWritten, ...t };
}

async function theirs(bin: string, out: string): Promise<Run> {
  const t = timedChild(bin, [
    "tpcds",
    "parquet",
    "--tables=store_sales,inventory",
    "--quiet",
    "--no-progress",
    `--output-dir=${out}`,
  ]);
  const db = await DuckDBInstance.create(":memory:");
  const connection = await db.connect();
  const reader = await connection.runAndReadAll(
    `select sum(num_rows)::bigint from parquet_file_metadata('${join(out, "*.parquet")}')`,
  );
  connection.closeSync();
  return { rows: Number(reader.getRows()[0]?.[0]), ...t };
}

export default async function (): Promise<void> {
  if (!existsSync(join(root, "dist", "cli.js"))) {
    spawnSync("npx", ["tsup", "--silent"], { cwd: root, stdio: "inherit" });
  }
  const bin = tpcgenBinary();
  const work = mkdtempSync(join(tmpdir(), "retail-mds-e2e-"));
  try {
    // Before (encoding in the generating thread) and after (encode workers, generate's default count).
    const inThread = ours(join(work, "lake-0"), 0);
    const a = ours(join(work, "lake-n"), cores);
    const line = (name: string, r: Run) =>
      `| ${name.padEnd(52)} | ${r.rows.toLocaleString("en").padStart(11)} | ${r.wall.toFixed(1).padStart(6)} | ${Math.round(
        r.rows / r.wall,
      )
        .toLocaleString("en")
        .padStart(11)} |`;
    console.log(
      `retail-mds generate ${GENERATE.join(" ")} --format parquet, against tpcgen-cli; load average ${loadavg()[0]?.toFixed(1)} at start\n`,
    );
    console.log(`| ${"run".padEnd(52)} |        rows | wall s |      rows/s |`);
    console.log(`|${"-".repeat(54)}|-------------|--------|-------------|`);
    console.log(line("retail-mds generate --workers 0 (encode in one thread)", inThread));
    console.log(line(`retail-mds generate --workers ${cores} (the default here)`, a));
    if (!bin) {
      console.log("\ntpcgen-cli could not be installed into .venv: no ratio this run");
      return;
    }
    const b = await theirs(bin, join(work, "tpcds"));
    console.log(line("tpcgen-cli tpcds store_sales + inventory, SF 1", b));
    const ratio = a.rows / a.wall / (b.rows / b.wall);
    console.log(
      `\nretail-mds / tpcgen-cli: ${ratio.toFixed(3)}x rows/s with ${cores} workers, ${(inThread.rows / inThread.wall / (b.rows / b.wall)).toFixed(3)}x in one thread (target >= ${TARGET}x, i.e. ~1 M rows/s on 2 cores); workers / one thread: ${(a.rows / a.wall / (inThread.rows / inThread.wall)).toFixed(2)}x; load average ${loadavg()[0]?.toFixed(1)} at end`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
