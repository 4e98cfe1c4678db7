import { type DuckDBConnection, LIST, listValue, VARCHAR } from "@duckdb/node-api";
import type { FileFormat } from "../lake/index.js";
import { sqlFilePath, sqlIdentifier, sqlString, sqlTable } from "./duckdb-sql.js";
import { columnsProblem, csvHeader } from "./file-checks.js";
import { judgeVersion, type KnownVersion } from "./file-identity.js";
import type { StagedFile } from "./lake-source.js";
import { loadLegacyLines } from "./legacy-line-loader.js";
import {
  forgetPathSql,
  IN_RAW,
  type LoadErrorDetail,
  type LoadHistoryEntry,
  type LoadStatus,
  type OnError,
  pathsHistorySql,
  utcText,
  writeHistory,
} from "./load-history.js";
import { PipeError } from "./pipe-error.js";
import { isLegacyRawTable, type LegacyRawTable, type RawTable } from "./raw-table.js";

/** What loading one file did. */
export interface FileLoad {
  /** Path relative to the lake. */
  readonly file: string;
  /** `raw.<table>`, or undefined when no table takes the file. */
  readonly table: string | undefined;
  readonly status: LoadStatus;
  /**
   * True when these bytes of the file were already in the history: nothing was done, `status`
   * is the recorded one (a file still `LOAD_FAILED` or still in `CONFLICT` says so again).
   */
  readonly alreadyLoaded: boolean;
  /** True when the load replaced the rows of an earlier version of the path (a reload). */
  readonly replaced: boolean;
  /** Rows of the earlier version deleted by a reload (0 otherwise). */
  readonly rowsReplaced: number;
  readonly rowsParsed: number | undefined;
  readonly rowsLoaded: number;
  readonly errorCount: number;
  readonly firstError: LoadErrorDetail | undefined;
}

/** Everything needed to load one staged file into one RAW table. */
export interface FileLoadRequest {
  readonly connection: DuckDBConnection;
  readonly file: StagedFile;
  /** Undefined: the file is recorded as SKIPPED (no table for its entity). */
  readonly table: RawTable | LegacyRawTable | undefined;
  /** How the file is read: a lake format into an entity's table, `lines` into a layout's. */
  readonly format: FileFormat | "lines";
  readonly onError: OnError;
  readonly stageLocation: string;
  readonly eTag: string | undefined;
  readonly receivedAt: Date;
  readonly skipReason?: string;
  /**
   * Reload: the path's earlier rows and history go, its current bytes load, in one transaction.
   * If the current bytes fail, nothing changes (the earlier rows stay).
   */
  readonly replace?: boolean;
  /** Whether a change from the loaded version is one its owner made on purpose (a quarantine rewrite). */
  readonly explainChange?: (loadedHash: string, contentHash: string) => Promise<boolean>;
}

/** What loading a file's rows gave, before the history records it. */
export interface LoadOutcome {
  readonly status: LoadStatus;
  readonly rowsParsed: number | undefined;
  readonly rowsLoaded: number;
  readonly errorCount: number;
  readonly firstError: LoadErrorDetail | undefined;
}

const STAGE = sqlIdentifier("__pipe_stage");

/** The versions of a path the history holds. */
export async function knownVersions(
  connection: DuckDBConnection,
  path: string,
): Promise<KnownVersion[]> {
  return (await knownVersionsOf(connection, [path])).get(path) ?? [];
}

/** The versions the history holds of each of `paths`, in one query (a path never seen: none). */
export async function knownVersionsOf(
  connection: DuckDBConnection,
  paths: readonly string[],
): Promise<Map<string, KnownVersion[]>> {
  const versions = new Map<string, KnownVersion[]>(paths.map((p) => [p, []]));
  const rows = (
    await connection.runAndReadAll(pathsHistorySql, [listValue([...paths])], [LIST(VARCHAR)])
  ).getRowObjectsJson();
  for (const r of rows) {
    versions.get(String(r.file_name))?.push({
      contentHash: String(r.content_hash),
      status: r.status as LoadStatus,
      firstError:
        r.first_error_message === null
          ? undefined
          : {
              message: String(r.first_error_message),
              ...(r.line === null ? {} : { line: Number(r.line) }),
              ...(r.first_error_column_name === null
                ? {}
                : { column: String(r.first_error_column_name) }),
            },
    });
  }
  return versions;
}

const short = (hash: string) => hash.slice(0, 12);

/**
 * Loads one file in ONE transaction with its load-history row, so a crash leaves either both or
 * neither. The path is the file's identity (see `judgeVersion`): bytes already in the history
 * are not loaded again, and other bytes under a path whose rows are in RAW are a `CONFLICT`,
 * recorded and not loaded, unless this is a reload (`replace`) or the change is explained.
 */
export async function loadFile(request: FileLoadRequest): Promise<FileLoad> {
  const { connection, file, table } = request;
  const tableName = table ? `${table.schema}.${table.name}` : undefined;
  const nothing = { replaced: false, rowsReplaced: 0, rowsParsed: undefined, rowsLoaded: 0 };
  await connection.run("begin transaction");
  try {
    let replace = request.replace === true;
    if (!replace) {
      const versions = await knownVersions(connection, file.path);
      const verdict = judgeVersion(versions, file.contentHash);
      // SKIPPED is what pipes before the project config recorded for a file with no RAW table;
      // nothing of the path is in RAW, so once a table takes it, that row gives way and it loads.
      const skippedBefore = verdict.kind === "known" && verdict.status === "SKIPPED" && table;
      if (skippedBefore) await connection.run(forgetPathSql, [file.path]);
      else if (verdict.kind === "known") {
        await connection.run("rollback");
        return {
          file: file.path,
          table: tableName,
          status: verdict.status,
          alreadyLoaded: true,
          ...nothing,
          errorCount: 0,
          // A failure or a conflict says again why, as it did the first time.
          firstError: IN_RAW.includes(verdict.status) ? undefined : verdict.firstError,
        };
      }
      if (verdict.kind === "changed") {
        replace = (await request.explainChange?.(verdict.loadedHash, file.contentHash)) === true;
        if (!replace) return await recordConflict(request, versions, verdict.loadedHash);
      }
    }
    let rowsReplaced = 0;
    if (replace) {
      if (table) {
        const deleted = await connection.run(
          `delete from ${sqlTable(table.schema, table.name)} where _source_file = $1`,
          [file.path],
        );
        rowsReplaced = deleted.rowsChanged;
      }
      await connection.run(forgetPathSql, [file.path]);
    }
    const scanAt = new Date();
    let outcome: LoadOutcome;
    if (!table) {
      outcome = {
        status: "SKIPPED",
        rowsParsed: undefined,
        rowsLoaded: 0,
        errorCount: 0,
        firstError: { message: `${file.path}: ${request.skipReason ?? "no table"}` },
      };
    } else {
      try {
        outcome = isLegacyRawTable(table)
          ? await loadLegacyLines(request, table, scanAt)
          : await loadRows(request, table, scanAt);
      } catch (error) {
        // A DuckDB error aborts the transaction: start a clean one to record the failure.
        await connection.run("rollback");
        outcome = {
          status: "LOAD_FAILED",
          rowsParsed: undefined,
          rowsLoaded: 0,
          errorCount: 1,
          firstError: describeError(error, request),
        };
        if (replace) return failedReload(request, tableName, outcome);
        await connection.run("begin transaction");
      }
    }
    if (replace && outcome.status === "LOAD_FAILED") {
      await connection.run("rollback");
      return failedReload(request, tableName, outcome);
    }
    await writeHistory(connection, [entryOf(request, outcome)]);
    // DuckDB read the file again after it was hashed: rows of other bytes must not be recorded
    // under this hash (the next scan would call the file changed, and its rows would be wrong).
    if (await file.changed())
      throw new PipeError("changed while it was being loaded: run the load again", {
        file: file.path,
      });
    await connection.run("commit");
    return {
      file: file.path,
      table: tableName,
      alreadyLoaded: false,
      replaced: replace,
      rowsReplaced,
      ...outcome,
    };
  } catch (error) {
    await connection.run("rollback").catch(() => undefined);
    throw error;
  }
}

// Other bytes under a loaded path: recorded once as a CONFLICT (inside the caller's
// transaction, which this ends), reported again by every later scan, never loaded.
async function recordConflict(
  request: FileLoadRequest,
  versions: readonly KnownVersion[],
  loadedHash: string,
): Promise<FileLoad> {
  const { connection, file, table } = request;
  const recorded = versions.some(
    (v) => v.contentHash === file.contentHash && v.status === "CONFLICT",
  );
  const firstError = {
    message: `${file.path}: changed after it was loaded (loaded sha256 ${short(loadedHash)}, now ${short(file.contentHash)}); a path loads once, as on Snowpipe: put the loaded bytes back, or replace its rows with \`retail-mds load --reload ${file.path}\` (pipe.reload)`,
  };
  const outcome = {
    status: "CONFLICT",
    rowsParsed: undefined,
    rowsLoaded: 0,
    errorCount: 1,
    firstError,
  } as const;
  if (!recorded) await writeHistory(connection, [entryOf(request, outcome)]);
  await connection.run(recorded ? "rollback" : "commit");
  return {
    file: file.path,
    table: table ? `${table.schema}.${table.name}` : undefined,
    alreadyLoaded: recorded,
    replaced: false,
    rowsReplaced: 0,
    ...outcome,
  };
}

// A reload whose new bytes fail changed nothing: the earlier rows and history stay, so the
// warehouse never loses a file's rows to a broken fix.
function failedReload(
  request: FileLoadRequest,
  table: string | undefined,
  outcome: LoadOutcome,
): FileLoad {
  return {
    file: request.file.path,
    table,
    alreadyLoaded: false,
    replaced: false,
    rowsReplaced: 0,
    ...outcome,
    firstError: outcome.firstError && {
      ...outcome.firstError,
      message: `${outcome.firstError.message} (reload refused: the rows loaded earlier are kept)`,
    },
  };
}

function entryOf(request: FileLoadRequest, outcome: LoadOutcome): LoadHistoryEntry {
  const { file, table } = request;
  return {
    file: file.path,
    contentHash: file.contentHash,
    eTag: request.eTag,
    stageLocation: request.stageLocation,
    fileSize: file.size,
    tableSchema: table?.schema,
    tableName: table?.name,
    status: outcome.status,
    rowsParsed: outcome.rowsParsed,
    rowsLoaded: outcome.rowsLoaded,
    errorCount: outcome.errorCount,
    errorLimit: request.onError === "continue" ? Math.max(outcome.rowsParsed ?? 1, 1) : 1,
    firstError: outcome.firstError,
    onError: request.onError,
    receivedAt: request.receivedAt,
    loadedAt: new Date(),
  };
}

async function loadRows(
  request: FileLoadRequest,
  table: RawTable,
  scanAt: Date,
): Promise<LoadOutcome> {
  const { connection, file, format } = request;
  const target = sqlTable(table.schema, table.name);
  const metadata = `${sqlString(file.path)}, __row, TIMESTAMP ${sqlString(utcText(scanAt))}`;
  const at = sqlFilePath(file.localPath);
  // Said, not guessed: DuckDB's guess from the name fails on an escaped path (see sqlFilePath).
  const compression = `compression = '${file.path.endsWith(".gz") ? "gzip" : "uncompressed"}'`;

  if (format === "parquet") {
    const described = (
      await connection.runAndReadAll(
        `describe select * from read_parquet(${at}, hive_partitioning = false)`,
      )
    ).getRowObjectsJson();
    const found = described.map((r) => String(r.column_name));
    const problem = columnsProblem(table, found, false);
    if (problem)
      throw new PipeError(problem.message, {
        file: file.path,
        ...(problem.column ? { column: problem.column } : {}),
      });
    const sourceTypes = new Map(
      described.map((r) => [String(r.column_name), String(r.column_type)]),
    );
    const source = `select file_row_number + 1 as __row, * from read_parquet(${at}, file_row_number = true, hive_partitioning = false)`;
    if (table.columns.every((c) => exactType(sourceTypes.get(c.name) ?? "", c.type))) {
      // The common case: the writer used the entity's types, so no row can fail a cast.
      const casts = table.columns
        .map((c) => `cast(${sqlIdentifier(c.name)} as ${c.type})`)
        .join(", ");
      const inserted = await connection.run(
        `insert into ${target} select ${casts}, ${metadata} from (${source})`,
      );
      const rows = inserted.rowsChanged;
      return {
        status: "LOADED",
        rowsParsed: rows,
        rowsLoaded: rows,
        errorCount: 0,
        firstError: undefined,
      };
    }
    return stageAndLoad(request, table, source, sourceTypes, metadata, 0);
  }

  if (format === "csv") {
    const header = await csvHeader(file.localPath);
    if (!header)
      throw new PipeError("file is empty: expected a header line", { file: file.path, row: 0 });
    const problem = columnsProblem(table, header, true);
    if (problem)
      throw new PipeError(problem.message, {
        file: file.path,
        row: 0,
        ...(problem.column ? { column: problem.column } : {}),
      });
  } else {
    const keys = (
      await connection.runAndReadAll(
        `select distinct unnest(json_keys(json)) as k from read_ndjson_objects(${at}, hive_partitioning = false, ${compression})`,
      )
    ).getRowObjectsJson();
    const unknown = keys
      .map((k) => String(k.k))
      .filter((k) => !table.columns.some((c) => c.name === k));
    if (unknown.length > 0) {
      const problem = columnsProblem(
        table,
        [...table.columns.map((c) => c.name), ...unknown],
        false,
      );
      throw new PipeError(problem?.message ?? "wrong columns", {
        file: file.path,
        ...(problem?.column ? { column: problem.column } : {}),
      });
    }
  }
  // Text is read as VARCHAR and cast by the checks below: no sniffing, and every bad value is
  // found with its row and column instead of DuckDB's first conversion error.
  const columns = `{${table.columns.map((c) => `${sqlString(c.name)}: 'VARCHAR'`).join(", ")}}`;
  const reader =
    format === "csv"
      ? `read_csv(${at}, hive_partitioning = false, ${compression}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', nullstr = '', allow_quoted_nulls = false, columns = ${columns})`
      : `read_json(${at}, hive_partitioning = false, ${compression}, format = 'newline_delimited', columns = ${columns})`;
  // Row order: a single-file scan keeps insertion order, so row_number() is the record number.
  const source = `select row_number() over () as __row, * from ${reader}`;
  const sourceTypes = new Map(table.columns.map((c) => [c.name, "VARCHAR"]));
  return stageAndLoad(request, table, source, sourceTypes, metadata, format === "csv" ? 1 : 0);
}

async function stageAndLoad(
  request: FileLoadRequest,
  table: RawTable,
  source: string,
  sourceTypes: ReadonlyMap<string, string>,
  metadata: string,
  headerLines: number,
): Promise<LoadOutcome> {
  const { connection, file, onError } = request;
  await connection.run(`create or replace temp table ${STAGE} as ${source}`);
  try {
    const checks = table.columns.map((c) =>
      badValueCondition(c, sourceTypes.get(c.name) ?? "VARCHAR"),
    );
    const anyBad = checks.filter((c) => c !== "false").join(" or ") || "false";
    const counts = (
      await connection.runAndReadAll(
        `select count(*)::INTEGER as parsed, count(*) filter (where ${anyBad})::INTEGER as bad from ${STAGE}`,
      )
    ).getRowObjectsJson()[0] as { parsed: number; bad: number };
    let firstError: LoadErrorDetail | undefined;
    if (counts.bad > 0) {
      const flags = checks.map((check, i) => `(${check}) as e${i}`).join(", ");
      const values = table.columns
        .map((c, i) => `cast(${sqlIdentifier(c.name)} as VARCHAR) as v${i}`)
        .join(", ");
      const first = (
        await connection.runAndReadAll(
          `select __row::INTEGER as row, ${flags}, ${values} from ${STAGE} where ${anyBad} order by __row limit 1`,
        )
      ).getRowObjectsJson()[0] as Record<string, unknown>;
      const index = table.columns.findIndex((_, i) => first[`e${i}`] === true);
      const column = table.columns[index];
      const row = Number(first.row);
      firstError = {
        message: `${file.path}: row ${row}, column "${column?.name}": ${JSON.stringify(first[`v${index}`])} is not a valid ${column?.type}${counts.bad > 1 ? ` (${counts.bad} bad rows in the file)` : ""}`,
        line: row + headerLines,
        ...(column ? { column: column.name } : {}),
      };
      if (onError !== "continue" || counts.bad === counts.parsed) {
        return {
          status: "LOAD_FAILED",
          rowsParsed: counts.parsed,
          rowsLoaded: 0,
          errorCount: counts.bad,
          firstError,
        };
      }
    }
    const casts = table.columns
      .map((c) => `cast(${sqlIdentifier(c.name)} as ${c.type})`)
      .join(", ");
    const inserted = await connection.run(
      `insert into ${sqlTable(table.schema, table.name)} select ${casts}, ${metadata} from ${STAGE} where not coalesce(${anyBad}, false) order by __row`,
    );
    return {
      status: counts.bad > 0 ? "PARTIALLY_LOADED" : "LOADED",
      rowsParsed: counts.parsed,
      rowsLoaded: inserted.rowsChanged,
      errorCount: counts.bad,
      firstError,
    };
  } finally {
    await connection.run(`drop table if exists ${STAGE}`).catch(() => undefined);
  }
}

const TIMESTAMP_TEXT = String.raw`[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|\+00(:?00)?)?`;

/** SQL that is true when a staged value cannot become its column's type without loss. */
function badValueCondition(column: RawTable["columns"][number], sourceType: string): string {
  if (exactType(sourceType, column.type)) return "false";
  const value = sqlIdentifier(column.name);
  const cast = `try_cast(${value} as ${column.type})`;
  if (sourceType !== "VARCHAR") {
    // A wider number must come back unchanged: 3000000000 is no INTEGER, 1.005 no DECIMAL(12,2).
    const numeric = /^(INTEGER|DECIMAL)/.test(column.type)
      ? ` or cast(${cast} as ${sourceType}) <> ${value}`
      : "";
    return `(${value} is not null and (${cast} is null${numeric}))`;
  }
  const logical = column.logical.type;
  const pattern =
    logical.kind === "decimal"
      ? `[+-]?[0-9]+${logical.scale > 0 ? String.raw`(\.[0-9]{1,${logical.scale}})?` : ""}`
      : logical.kind === "int"
        ? "[+-]?[0-9]+"
        : logical.kind === "date"
          ? "[0-9]{4}-[0-9]{2}-[0-9]{2}"
          : logical.kind === "timestamp"
            ? TIMESTAMP_TEXT
            : undefined;
  const shape = pattern ? `not regexp_full_match(${value}, ${sqlString(pattern)}) or ` : "";
  return `(${value} is not null and (${shape}${cast} is null))`;
}

const SMALL_INTS = new Set(["TINYINT", "SMALLINT", "INTEGER", "UTINYINT", "USMALLINT"]);
const TIMESTAMPS = new Set([
  "TIMESTAMP",
  "TIMESTAMP WITH TIME ZONE",
  "TIMESTAMP_MS",
  "TIMESTAMP_S",
  "TIMESTAMP_NS",
]);

/** Whether every value of `source` fits `target` exactly, so no row needs checking. */
export function exactType(source: string, target: string): boolean {
  // Anything becomes text without loss; the legacy feed relies on it.
  if (source === target || target === "VARCHAR") return true;
  if (target === "INTEGER") return SMALL_INTS.has(source);
  if (target === "TIMESTAMP") return TIMESTAMPS.has(source);
  const want = /^DECIMAL\((\d+),(\d+)\)$/.exec(target);
  const have = /^DECIMAL\((\d+),(\d+)\)$/.exec(source);
  if (want && have)
    return Number(have[2]) === Number(want[2]) && Number(have[1]) <= Number(want[1]);
  return false;
}

/** Turns a DuckDB or check error into a one-line first error naming the file, line and column. */
function describeError(error: unknown, request: FileLoadRequest): LoadErrorDetail {
  const { file } = request;
  if (error instanceof PipeError) {
    return {
      message: `${file.path}: ${error.message}`,
      ...(error.row !== undefined ? { line: error.row + (request.format === "csv" ? 1 : 0) } : {}),
      ...(error.column ? { column: error.column } : {}),
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  const kept: string[] = [];
  for (const line of text.split("\n")) {
    if (
      line.startsWith("LINE ") ||
      line.startsWith("Possible fixes") ||
      (line.trim() === "" && kept.length > 0)
    )
      break;
    if (line.startsWith("Original Line") || line.trim() === "") continue;
    kept.push(line.trim());
  }
  const message = kept.join("; ").replaceAll(file.localPath, file.path);
  const lineNo = /on Line: (\d+)|in line (\d+)|line (\d+)/i.exec(message);
  const found = lineNo ? Number(lineNo[1] ?? lineNo[2] ?? lineNo[3]) : undefined;
  return { message: `${file.path}: ${message}`, ...(found !== undefined ? { line: found } : {}) };
}
