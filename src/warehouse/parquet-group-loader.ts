import type { DuckDBConnection } from "@duckdb/node-api";
import { sqlFilePath, sqlIdentifier, sqlString, sqlTable } from "./duckdb-sql.js";
import { judgeVersion } from "./file-identity.js";
import { exactType, type FileLoad, knownVersionsOf } from "./file-loader.js";
import type { StagedFile } from "./lake-source.js";
import { type OnError, utcText, writeHistory } from "./load-history.js";
import type { RawTable } from "./raw-table.js";

/** Several Parquet files for one RAW table, found by a scan. */
export interface ParquetGroupRequest {
  readonly connection: DuckDBConnection;
  readonly files: readonly StagedFile[];
  readonly table: RawTable;
  readonly onError: OnError;
  readonly stageLocation: string;
  readonly receivedAt: Date;
}

/**
 * Loads a group of clean Parquet files with ONE insert, in one transaction that also writes one
 * history row per file: a scan then reads files in parallel as DuckDB would on its own, instead
 * of paying a statement and a commit per file. Returns `undefined`, having changed nothing, when
 * any file is not an exact match of the entity (schema, types) or anything fails: the caller then
 * loads the files one by one, which finds and records the bad one.
 */
export async function loadParquetGroup(
  request: ParquetGroupRequest,
): Promise<FileLoad[] | undefined> {
  const { connection, files, table } = request;
  const tableName = `${table.schema}.${table.name}`;
  await connection.run("begin transaction");
  try {
    const results: FileLoad[] = [];
    const fresh: StagedFile[] = [];
    const history = await knownVersionsOf(
      connection,
      files.map((f) => f.path),
    );
    for (const file of files) {
      const versions = history.get(file.path) ?? [];
      const verdict = judgeVersion(versions, file.contentHash);
      if (
        verdict.kind === "known" &&
        (verdict.status === "LOADED" || verdict.status === "PARTIALLY_LOADED")
      ) {
        results.push({
          file: file.path,
          table: tableName,
          status: verdict.status,
          alreadyLoaded: true,
          replaced: false,
          rowsReplaced: 0,
          rowsParsed: undefined,
          rowsLoaded: 0,
          errorCount: 0,
          firstError: undefined,
        });
      } else if (versions.length === 0) fresh.push(file);
      else {
        // A known failure, a conflict or a rewrite: the per-file path decides and reports it.
        await connection.run("rollback");
        return undefined;
      }
    }
    if (fresh.length === 0) {
      await connection.run("rollback");
      return results;
    }
    const list = `[${fresh.map((f) => sqlFilePath(f.localPath)).join(", ")}]`;
    const schema = (
      await connection.runAndReadAll(
        `select file_name, name, duckdb_type from parquet_schema(${list}) where num_children is null or num_children = 0`,
      )
    ).getRowObjectsJson();
    for (const file of fresh) {
      const columns = schema.filter((c) => c.file_name === file.localPath);
      const types = new Map(columns.map((c) => [String(c.name), String(c.duckdb_type)]));
      const exact =
        columns.length === table.columns.length &&
        table.columns.every((c) => types.has(c.name) && exactType(types.get(c.name) ?? "", c.type));
      if (!exact) {
        await connection.run("rollback");
        return undefined;
      }
    }
    const counts = new Map(
      (
        await connection.runAndReadAll(
          `select file_name, num_rows::DOUBLE as n from parquet_file_metadata(${list})`,
        )
      )
        .getRowObjectsJson()
        .map((r) => [String(r.file_name), Number(r.n)]),
    );
    const scanAt = new Date();
    const casts = table.columns
      .map((c) => `cast(scanned.${sqlIdentifier(c.name)} as ${c.type})`)
      .join(", ");
    // Each row's lake path by a hash join on the group's few files: a CASE of one branch per file
    // costs a comparison per branch per row. The join also frees DuckDB from keeping the files'
    // row order, which RAW never promised (each row carries its file and row number).
    const sourceFiles = fresh
      .map((f) => `(${sqlString(f.localPath)}, ${sqlString(f.path)})`)
      .join(", ");
    const inserted = await connection.run(
      `insert into ${sqlTable(table.schema, table.name)} select ${casts}, source_files.path, scanned.file_row_number + 1, TIMESTAMP ${sqlString(utcText(scanAt))}
       from read_parquet(${list}, filename = true, file_row_number = true, hive_partitioning = false) as scanned
       join (values ${sourceFiles}) as source_files(local_path, path) on scanned.filename = source_files.local_path`,
    );
    const expected = fresh.reduce((n, f) => n + (counts.get(f.localPath) ?? Number.NaN), 0);
    if (inserted.rowsChanged !== expected) {
      await connection.run("rollback");
      return undefined;
    }
    const loadedAt = new Date();
    const rowsOf = (file: StagedFile) => counts.get(file.localPath) ?? 0;
    await writeHistory(
      connection,
      fresh.map((file) => ({
        file: file.path,
        contentHash: file.contentHash,
        eTag: undefined,
        stageLocation: request.stageLocation,
        fileSize: file.size,
        tableSchema: table.schema,
        tableName: table.name,
        status: "LOADED",
        rowsParsed: rowsOf(file),
        rowsLoaded: rowsOf(file),
        errorCount: 0,
        errorLimit: request.onError === "continue" ? Math.max(rowsOf(file), 1) : 1,
        firstError: undefined,
        onError: request.onError,
        receivedAt: request.receivedAt,
        loadedAt,
      })),
    );
    for (const file of fresh) {
      results.push({
        file: file.path,
        table: tableName,
        status: "LOADED",
        alreadyLoaded: false,
        replaced: false,
        rowsReplaced: 0,
        rowsParsed: rowsOf(file),
        rowsLoaded: rowsOf(file),
        errorCount: 0,
        firstError: undefined,
      });
    }
    // A file replaced since its hash would go in under the old one: the per-file path refuses it.
    for (const file of files) if (await file.changed()) throw new Error(`${file.path} changed`);
    await connection.run("commit");
    return results;
  } catch {
    // Whatever failed (a corrupt file, most likely), the per-file path will name it.
    await connection.run("rollback").catch(() => undefined);
    return undefined;
  }
}
