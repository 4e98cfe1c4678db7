// Rows/s of the default sale_line rule set over 10 M generated lines, with peak RSS, each mode
// in its own child process so one mode's heap does not inflate another's peak. The peak JS heap
// and array buffers (the key index's tables and blocks) are sampled, to say where the RSS goes.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type SaleLine, saleLine } from "../src/entities/index.js";
import { createEvaluator, qualityRules } from "../src/quality/index.js";

const ROWS = Number(process.env.QUALITY_BENCH_ROWS ?? 10_000_000);
const BATCH = 10_000;
const STORES = ["S001", "S002", "S003", "S004", "S005"];
const SKUS = Array.from({ length: 2000 }, (_, i) => `P${String(i + 1).padStart(6, "0")}`);
const CUSTOMERS = Array.from({ length: 5000 }, (_, i) => `C${String(i + 1).padStart(7, "0")}`);

// Cheap, valid, distinct lines: the cost under test is the rules, not a simulation.
function batchAt(start: number, size: number): SaleLine[] {
  const out: SaleLine[] = new Array(size);
  for (let i = 0; i < size; i++) {
    const n = start + i;
    const quantity = n % 50 === 0 ? -1 : 1 + (n % 3);
    const cents = 100 + (n % 900);
    const net = quantity * cents;
    out[i] = {
      transaction_id: `T-S00${1 + (n % 5)}-20261101-${String(Math.floor(n / 4)).padStart(8, "0")}`,
      line_no: 1 + (n % 4),
      sold_at: "2026-11-01T08:15:30.123Z",
      store_id: STORES[n % 5] as string,
      sku: SKUS[n % SKUS.length] as string,
      customer_id: n % 3 === 0 ? null : (CUSTOMERS[n % CUSTOMERS.length] as string),
      quantity,
      unit_price: (cents / 100).toFixed(2),
      discount_amount: "0.00",
      net_amount: (net / 100).toFixed(2),
      vat_amount: (Math.trunc(net / 6) / 100).toFixed(2),
      payment_method: "card",
      channel: "store",
      currency: "EUR",
    };
  }
  return out;
}

type Mode = "baseline" | "rules" | "rules+schema";

interface ModeResult {
  rows: number;
  ms: number;
  failed: number;
  // Peaks of process.memoryUsage() sampled every 20 batches, in MB: where the RSS goes.
  peakHeapMb: number;
  peakArrayBuffersMb: number;
}

function runMode(mode: Mode, rows: number): ModeResult {
  const evaluator =
    mode === "baseline"
      ? undefined
      : createEvaluator(qualityRules(saleLine), {
          schema: mode === "rules+schema",
          references: { store: STORES, product: SKUS, customer: CUSTOMERS },
        });
  let failed = 0;
  let sink = 0;
  let peakHeap = 0;
  let peakArrayBuffers = 0;
  const t0 = performance.now();
  for (let start = 0; start < rows; start += BATCH) {
    if ((start / BATCH) % 20 === 0) {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed);
      peakArrayBuffers = Math.max(peakArrayBuffers, m.arrayBuffers);
    }
    const batch = batchAt(start, Math.min(BATCH, rows - start));
    if (evaluator) {
      failed += evaluator.split(batch).rejected.length;
    } else {
      // The baseline touches every record the way a writer would, and keeps it.
      const passed: SaleLine[] = [];
      for (const r of batch) {
        sink += r.quantity;
        passed.push(r);
      }
    }
  }
  const ms = performance.now() - t0;
  if (evaluator) evaluator.report();
  return {
    rows,
    ms,
    failed: failed + (Number.isNaN(sink) ? 1 : 0),
    peakHeapMb: peakHeap / 2 ** 20,
    peakArrayBuffersMb: peakArrayBuffers / 2 ** 20,
  };
}

if (process.env.QUALITY_BENCH_CHILD) {
  const mode = process.env.QUALITY_BENCH_CHILD as Mode;
  const result = runMode(mode, Number(process.env.QUALITY_BENCH_CHILD_ROWS));
  console.log(JSON.stringify({ ...result, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

export default async function (): Promise<void> {
  const file = fileURLToPath(import.meta.url);
  const rows: {
    mode: Mode;
    rows: number;
    rowsPerSec: number;
    ratio: string;
    rulesOnly: string;
    peakRssMb: number;
    peakHeapMb: number;
    peakArrayBuffersMb: number;
    failed: number;
  }[] = [];
  let baseline = 0;
  let baselineMsPerRow = 0;
  // zod validation costs far more per row than the rules: it runs on a tenth of the rows.
  const plan: [Mode, number][] = [
    ["baseline", ROWS],
    ["rules", ROWS],
    ["rules+schema", Math.max(1, Math.floor(ROWS / 10))],
  ];
  for (const [mode, n] of plan) {
    const child = spawnSync(process.execPath, ["--import", "tsx", file], {
      encoding: "utf8",
      env: { ...process.env, QUALITY_BENCH_CHILD: mode, QUALITY_BENCH_CHILD_ROWS: String(n) },
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) throw new Error(`quality bench child ${mode} failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split("\n").pop() as string) as ModeResult & {
      peakRssMb: number;
    };
    const rate = result.rows / (result.ms / 1000);
    if (mode === "baseline") {
      baseline = rate;
      baselineMsPerRow = result.ms / result.rows;
    }
    // The rules' own throughput: the run's time less what generating the rows cost the baseline.
    const rulesMs = result.ms - baselineMsPerRow * result.rows;
    rows.push({
      mode,
      rows: result.rows,
      rowsPerSec: Math.round(rate),
      ratio: `${(rate / baseline).toFixed(3)}x`,
      rulesOnly: mode === "baseline" ? "-" : String(Math.round(result.rows / (rulesMs / 1000))),
      peakRssMb: Math.round(result.peakRssMb),
      peakHeapMb: Math.round(result.peakHeapMb),
      peakArrayBuffersMb: Math.round(result.peakArrayBuffersMb),
      failed: result.failed,
    });
  }
  console.log(
    "| mode | rows | rows/s | vs baseline | rules alone, rows/s | peak RSS (MB) | peak JS heap (MB) | peak array buffers (MB) | rejected |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.mode} | ${r.rows} | ${r.rowsPerSec} | ${r.ratio} | ${r.rulesOnly} | ${r.peakRssMb} | ${r.peakHeapMb} | ${r.peakArrayBuffersMb} | ${r.failed} |`,
    );
  }
}
