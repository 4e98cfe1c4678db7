// CSV: our RFC 4180 encoder and decoder (src/lake/csv-*.ts) against csv-stringify and csv-parse
// on the same rows in the same run: the simulation's sale lines and customers, and the legacy
// feed's rows (blanks, decimal commas, Latin-1 names: the quoting cases). Each library is set up
// to write and read exactly our dialect (CRLF, empty string quoted, null an empty field, fields
// with surrounding blanks quoted), and the bench checks both give the same bytes and rows.
import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { type Batch, entities } from "../src/entities/index.js";
import { createLegacyFeed, createRetailSimulation } from "../src/generators/index.js";
import { csvRows } from "../src/lake/csv-decoder.js";
import { type CellValue, csvText } from "../src/lake/csv-encoder.js";

type Row = Readonly<Record<string, CellValue>>;

function sample(): { name: string; columns: string[]; rows: Row[] }[] {
  const sim = createRetailSimulation({
    seed: 42,
    from: "2026-11-02",
    days: 3,
    stores: 5,
    products: 300,
  });
  const legacy = createLegacyFeed({ seed: 42, rate: 0.05 });
  const batches: Batch[] = [...sim.generate()];
  const of = (entity: string) => batches.filter((b) => b.entity.name === entity);
  const records = (entity: string) => of(entity).flatMap((b) => b.records as Row[]);
  const legacyRows = of("sale_line").flatMap((b) => legacy.convert(b).rows as Row[]);
  const columns = (entity: string) =>
    Object.values(entities)
      .find((e) => e.name === entity)
      ?.columns.map((c) => c.name) ?? [];
  return [
    { name: "sale_line", columns: columns("sale_line"), rows: records("sale_line") },
    { name: "customer", columns: columns("customer"), rows: records("customer") },
    { name: "sale_line legacy", columns: Object.keys(legacyRows[0] ?? {}), rows: legacyRows },
  ];
}

const stringifyOurs = (columns: string[], rows: Row[]) =>
  stringify(rows as Record<string, unknown>[], {
    header: true,
    columns,
    record_delimiter: "\r\n",
    quoted_empty: true,
    quoted_match: /^\s|\s$/,
    cast: { boolean: (v) => String(v), number: (v) => String(v) },
  });

const parseOurs = (text: string): (string | null)[][] =>
  parse(text, {
    // An unquoted empty field is null, a quoted one "": the distinction the encoder writes.
    cast: (value, context) => (context.quoting || value !== "" ? value : null),
  });

function best(run: () => unknown, repeat = 3): { seconds: number; out: unknown } {
  let seconds = Number.POSITIVE_INFINITY;
  let out: unknown;
  for (let i = 0; i < repeat; i++) {
    const started = process.hrtime.bigint();
    out = run();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return { seconds, out };
}

export default async function csvBench() {
  console.log(
    "| rows | count | encode ours s | csv-stringify s | stringify vs ours | decode ours s | csv-parse s | parse vs ours | same bytes | same rows |",
  );
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
  for (const { name, columns, rows } of sample()) {
    const ours = best(() => csvText(columns, rows));
    const theirs = best(() => stringifyOurs(columns, rows));
    const text = ours.out as string;
    const decoded = best(() => csvRows(text));
    const parsed = best(() => parseOurs(text));
    // csv-stringify's quoted_empty also quotes null: it cannot keep null and "" apart.
    const sameBytes = text === theirs.out ? "yes" : 'no (null written as "")';
    const sameRows = JSON.stringify(decoded.out) === JSON.stringify(parsed.out) ? "yes" : "NO";
    console.log(
      `| ${name} | ${rows.length} | ${ours.seconds.toFixed(3)} | ${theirs.seconds.toFixed(3)} | ${(theirs.seconds / ours.seconds).toFixed(2)}x | ${decoded.seconds.toFixed(3)} | ${parsed.seconds.toFixed(3)} | ${(parsed.seconds / decoded.seconds).toFixed(2)}x | ${sameBytes} | ${sameRows} |`,
    );
  }
}
