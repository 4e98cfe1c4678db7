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
  /** User + system CPU seconds and peak RSS (MB) of the child, from GNU time when there is one. */
  readonly cpu?: number;
  readonly rssMb?: number;
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

const GNU_TIME = "/usr/bin/time";

// Wall time, and the child's CPU time and peak RSS (all its threads) through GNU time.
function timedChild(command: string, args: readonly string[]): Omit<Run, "rows"> {
  const usage = join(tmpdir(), `retail-mds-e2e-time-${process.pid}.txt`);
  const timed = existsSync(GNU_TIME);
  const [cmd, argv] = timed
    ? [GNU_TIME, ["-f", "%U %S %M", "-o", usage, command, ...args]]
    : [command, args];
  const t0 = performance.now();
  const run = spawnSync(cmd, argv, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  const wall = (performance.now() - t0) / 1000;
  if (run.status !== 0)
    throw new Error(`${command} ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
  if (!timed) return { wall };
  const [user, system, rssKb] = readFileSync(usage, "utf8").trim().split(/\s+/).map(Number);
  rmSync(usage, { force: true });
  return { wall, cpu: (user ?? 0) + (system ?? 0), rssMb: Math.round((rssKb ?? 0) / 1024) };
}

function ours(out: string, options: readonly string[]): Run {
  const cli = join(root, "dist", "cli.js");
  const t = timedChild(process.execPath, [
    cli,
    "generate",
    ...GENERATE,
    "--format",
    "parquet",
    ...options,
    "--out",
    out,
  ]);
  // One manifest per store group (and one for reference data) with --store-groups.
  const manifests = join(out, "_manifests");
  const rows = readdirSync(manifests).reduce((sum, name) => {
    const { rowsWritten } = JSON.parse(readFileSync(join(manifests, name), "utf8")) as {
      rowsWritten: number;
    };
    return sum + rowsWritten;
  }, 0);
  return { rows, ...t };
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
  if (!existsSync(join(root, "dist", "simulation-worker.js"))) {
    spawnSync("npx", ["tsup", "--silent"], { cwd: root, stdio: "inherit" });
  }
  const bin = tpcgenBinary();
  const work = mkdtempSync(join(tmpdir(), "retail-mds-e2e-"));
  const runs: [string, readonly string[]][] = [
    ["generate --workers 0 (encode in the generating thread)", ["--workers", "0"]],
    [`generate --workers ${cores} (the default, one store group)`, ["--workers", String(cores)]],
    [
      `generate --store-groups 2 --threads 1 --workers ${cores}`,
      ["--store-groups", "2", "--threads", "1", "--workers", String(cores)],
    ],
    [
      "generate --store-groups 2 --threads 2 --workers 0 (its default)",
      ["--store-groups", "2", "--threads", "2", "--workers", "0"],
    ],
    [
      "generate --store-groups 2 --threads 2 --workers 1",
      ["--store-groups", "2", "--threads", "2", "--workers", "1"],
    ],
  ];
  try {
    const start = loadavg()[0]?.toFixed(1);
    const measured = runs.map(([name, options], i) => ({
      name,
      run: ours(join(work, `lake-${i}`), options),
    }));
    if (bin)
      measured.push({
        name: "tpcgen-cli tpcds store_sales + inventory, SF 1",
        run: await theirs(bin, join(work, "tpcds")),
      });
    const anchor = bin ? measured.at(-1)?.run : undefined;
    const rate = (r: Run) => r.rows / r.wall;
    const cell = (value: string, width: number) => value.padStart(width);
    console.log(
      `retail-mds generate ${GENERATE.join(" ")} --format parquet, against tpcgen-cli, on ${availableParallelism()} cores; load average ${start} at start\n`,
    );
    console.log("| run | rows | wall s | rows/s | CPU s | peak RSS MB | x tpcgen-cli |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const { name, run } of measured)
      console.log(
        `| ${name} | ${run.rows.toLocaleString("en")} | ${run.wall.toFixed(1)} | ${Math.round(rate(run)).toLocaleString("en")} | ${run.cpu?.toFixed(1) ?? "-"} | ${run.rssMb ?? "-"} | ${anchor ? cell((rate(run) / rate(anchor)).toFixed(3), 5) : "-"} |`,
      );
    if (!bin) console.log("\ntpcgen-cli could not be installed into .venv: no ratio this run");
    const today = measured[1]?.run as Run;
    const threaded = measured[3]?.run as Run;
    console.log(
      `\n2 threads over today's default: ${(rate(threaded) / rate(today)).toFixed(2)}x wall rows/s (target >= ${TARGET}x tpcgen-cli, i.e. ~1 M rows/s on 2 cores); load average ${loadavg()[0]?.toFixed(1)} at end`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
