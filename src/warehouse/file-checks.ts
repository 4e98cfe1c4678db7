import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import type { RawTable } from "./raw-table.js";

/**
 * Checks a text file's columns before DuckDB reads it. DuckDB maps CSV columns by position and
 * ignores unknown JSON keys; both would load a file with wrong columns without a word.
 */

/** The problem with a file's columns, or `undefined` when they are the table's. */
export function columnsProblem(
  table: RawTable,
  found: readonly string[],
  ordered: boolean,
): { message: string; column?: string } | undefined {
  const expected = table.columns.map((c) => c.name);
  const missing = expected.filter((c) => !found.includes(c));
  const unknown = found.filter((c) => !expected.includes(c));
  if (missing.length === 0 && unknown.length === 0) {
    if (!ordered || found.every((c, i) => c === expected[i])) return undefined;
    return {
      message: `columns are not in the entity's order: expected ${expected.join(",")}; found ${found.join(",")}`,
    };
  }
  const parts = [
    missing.length ? `missing column(s) ${missing.map((c) => JSON.stringify(c)).join(", ")}` : "",
    unknown.length
      ? `column(s) ${unknown.map((c) => JSON.stringify(c)).join(", ")} not in entity "${table.entity.name}"`
      : "",
  ].filter(Boolean);
  return { message: `wrong columns: ${parts.join("; ")}`, column: missing[0] ?? unknown[0] };
}

/** The header of a CSV file (gzip or not): its first line, split on unquoted commas. */
export async function csvHeader(localPath: string): Promise<string[] | undefined> {
  const line = await firstLine(localPath, localPath.endsWith(".gz"));
  return line === undefined ? undefined : splitCsvLine(line);
}

async function firstLine(localPath: string, gzip: boolean): Promise<string | undefined> {
  const raw = createReadStream(localPath, { highWaterMark: 64 * 1024 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  let text = "";
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString("utf8");
      const end = text.search(/\r?\n/);
      if (end >= 0) return text.slice(0, end);
      if (text.length > 1_000_000) break;
    }
  } finally {
    raw.destroy();
  }
  return text.length > 0 ? text : undefined;
}

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields.map((f) => f.replace(/^\uFEFF/, ""));
}
