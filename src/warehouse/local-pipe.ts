import { mkdir, readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import { type EntitiesOption, registeredEntities } from "../entities/index.js";
import {
  type BlobCreatedEvent,
  type EventSink,
  type FileFormat,
  formatOf,
  groupUnregistered,
  type LakeStore,
  parseLakePath,
  rewrittenBetween,
  type UnlistedEntry,
  type UnregisteredEntity,
} from "../lake/index.js";
import type { LegacyLayout } from "../legacy/define-legacy-layout.js";
import { parseLegacyRawPath } from "../legacy/land-legacy-file.js";
import type { UnregisteredLayout } from "../legacy/unregistered-layout.js";
import { databasePathProblem } from "./database-path.js";
import { sqlIdentifier } from "./duckdb-sql.js";
import { type FileLoad, loadFile } from "./file-loader.js";
import { lakeSource, type SourceObject, type StagedFile } from "./lake-source.js";
import {
  type CopyHistoryRow,
  copyHistoryRow,
  copyHistorySql,
  loadHistorySql,
  ON_ERROR_VALUES,
  type OnError,
} from "./load-history.js";
import { loadParquetGroup } from "./parquet-group-loader.js";
import { LoadAbortedError, PipeError } from "./pipe-error.js";
import {
  type LegacyRawTable,
  layoutTableProblems,
  legacyRawTable,
  RAW_SCHEMA,
  type RawTable,
  rawTable,
  rawTableSql,
} from "./raw-table.js";

/** The database file the CLI and the demo use when none is given. */
export const DEFAULT_DATABASE = "./warehouse/retail.duckdb";

/** `ALTER PIPE ... REFRESH` queues only files staged within the last 7 days (Snowflake's ALTER PIPE). */
export const SNOWFLAKE_REFRESH_WINDOW_MS = 7 * 86_400_000;

/**
 * Parquet files, and their bytes, a scan loads with one insert at most. Fewer, larger inserts
 * cost less: a week of 50 stores x 5 000 SKUs in runs of 32 hourly files took 1.45x the CPU of
 * one insert per table (each insert leaves partly filled row groups, each commit its own work);
 * in runs of 128 files and more, about the same as one insert. The byte cap bounds what a run
 * that fails (a corrupt file) reads in vain before it is loaded file by file.
 */
const GROUP_FILES = 512;
const GROUP_BYTES = 256 * 1024 * 1024;

/** How to open a local pipe. */
export interface LocalPipeOptions {
  /** The lake: a folder path, or a `LakeStore` (a remote store is read through `get`). */
  readonly lake: LakeStore | string;
  /** DuckDB database file; its folder is created. Default `./warehouse/retail.duckdb`. */
  readonly database?: string;
  /** ON_ERROR for files with bad rows; `skip_file` by default, as Snowpipe. */
  readonly onError?: OnError;
  /**
   * Your entities, each with a RAW table, added to the built-in ones (`[priceChange]`, or a
   * project config's `entities`). A lake file of an entity not registered is left pending
   * (`PipeRunSummary.unregistered`), never recorded.
   */
  readonly entities?: EntitiesOption["entities"];
  /** `false`: RAW tables for `entities` only, not the built-ins. */
  readonly builtIns?: boolean;
  /**
   * Legacy layouts (`defineLegacyLayout`, or a project config's `layouts`): the files under
   * `legacy_raw/<layout>/` load into `raw.legacy_<layout>`, one row per physical line. Files of a
   * layout folder not given are left pending (`PipeRunSummary.unregisteredLayouts`), never recorded.
   */
  readonly layouts?: readonly LegacyLayout[];
}

/** Called after each file is committed (or found already loaded), for progress displays. */
export interface ProgressOptions {
  readonly onFile?: (load: FileLoad) => void;
}

/** Options of `refresh`, as `ALTER PIPE ... REFRESH [PREFIX = ...] [MODIFIED_AFTER = ...]`. */
export interface RefreshOptions extends ProgressOptions {
  /** Only paths starting with this (relative to the lake). */
  readonly prefix?: string;
  /** Only files last modified at or after this instant. */
  readonly modifiedAfter?: Date;
}

/**
 * Totals of a refresh or of a consumed event stream. `loaded` and `partiallyLoaded` count files
 * loaded for the first time, `replaced` the files whose earlier rows were replaced; `failed` and
 * `conflicts` count every file still in that state, found again or not.
 */
export interface PipeRunSummary {
  /** Every file the pipe looked at, in order, except the ignored ones. */
  readonly files: readonly FileLoad[];
  /** Lake paths that are not data (quarantine, manifests, temporary or foreign files). */
  readonly ignored: readonly string[];
  /**
   * Entries not read, with the reason: symlinks (never followed), FIFOs, unreadable folders
   * (see `listFolder`), and files that vanished between the listing and their load.
   */
  readonly unlisted: readonly UnlistedEntry[];
  /**
   * Data files of entities this pipe was not given: not loaded and not recorded in the load
   * history, so a pipe opened with the entity registered loads them.
   */
  readonly unregistered: readonly UnregisteredEntity[];
  /** Files under `legacy_raw/<layout>/` of layouts this pipe was not given: pending, as `unregistered`. */
  readonly unregisteredLayouts: readonly UnregisteredLayout[];
  readonly loaded: number;
  readonly partiallyLoaded: number;
  readonly failed: number;
  readonly skipped: number;
  /** Files changed after they were loaded under the same path: not loaded (status `CONFLICT`). */
  readonly conflicts: number;
  /** Files whose earlier rows were replaced (a quarantine rewrite; `reload`). */
  readonly replaced: number;
  /** Files whose bytes are already loaded (or skipped) as they are: nothing to do. */
  readonly alreadyLoaded: number;
  /**
   * Files this refresh loaded that Snowflake's `ALTER PIPE ... REFRESH` would not have: staged
   * more than 7 days before it (load those with a one-off COPY INTO on Snowflake). Empty for events.
   */
  readonly snowflakeWouldSkip: readonly string[];
  /** Files a refresh left out because `modifiedAfter` excludes them (not loaded, not recorded). */
  readonly notQueued: readonly string[];
  readonly rowsLoaded: number;
  /** Rows parsed and not loaded in this run (bad rows, files skipped whole). */
  readonly rowsRejected: number;
}

/** Where a lake file loads: its RAW table and how it is read. */
interface Target {
  readonly table: RawTable | LegacyRawTable;
  readonly format: FileFormat | "lines";
}

/** A well-named file no table takes: its entity or layout is not registered. */
interface PendingFile {
  readonly kind: "entity" | "layout";
  readonly name: string;
  readonly path: string;
}

/**
 * A local Snowpipe: loads lake files into DuckDB RAW tables once each, with a load history.
 * It is an `EventSink`, so a lake writer can publish BlobCreated events straight into it.
 */
export interface LocalPipe extends EventSink {
  /** Absolute path of the database file. */
  readonly database: string;
  /** URL of the lake, as STAGE_LOCATION reports it. */
  readonly stageLocation: string;
  /** Loads the file an event names; resolves once its rows are committed (or it is recorded as failed). */
  publish(event: BlobCreatedEvent): Promise<void>;
  /** As `publish`, returning what happened; undefined when the event is not for a data file of this lake. */
  ingest(event: BlobCreatedEvent): Promise<FileLoad | undefined>;
  /** Loads every event of a stream (an Azure Storage Queue receiver, say) until it ends. */
  consume(
    events: AsyncIterable<BlobCreatedEvent>,
    options?: ProgressOptions,
  ): Promise<PipeRunSummary>;
  /**
   * Reloads one file (a lake-relative path, as the history names it): its earlier rows and
   * history go and its current bytes load, in one transaction, with this pipe's ON_ERROR. The way
   * to load a file fixed after it was loaded (a `CONFLICT`). When the current bytes fail to
   * load, nothing changes: the result is `LOAD_FAILED` and the earlier rows stay.
   */
  reload(path: string): Promise<FileLoad>;
  /**
   * Scans the lake and loads every file not yet in the history: `ALTER PIPE ... REFRESH`.
   * Unlike Snowflake's, it does not stop at files staged more than 7 days ago (so an older lake,
   * or the demo re-run on one, still loads); it names them in `snowflakeWouldSkip`.
   * `modifiedAfter` is REFRESH's MODIFIED_AFTER: older files are left out (`notQueued`).
   */
  refresh(options?: RefreshOptions): Promise<PipeRunSummary>;
  /** The load history in the columns of Snowflake's COPY_HISTORY, optionally for one table. */
  copyHistory(options?: { readonly table?: string }): Promise<CopyHistoryRow[]>;
  /** Runs a read query on the warehouse (after the pending loads) and returns rows as JSON values. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Waits for pending loads, checkpoints and closes the database so another process (dbt) can open it. */
  close(): Promise<void>;
}

/**
 * Opens (or creates) the warehouse database, its RAW tables and the load history.
 * @example
 * const pipe = await openLocalPipe({ lake: "./lake", database: "./warehouse/retail.duckdb" });
 * const summary = await pipe.refresh();
 * console.log(summary.rowsLoaded, await pipe.copyHistory());
 * await pipe.close();
 */
export async function openLocalPipe(options: LocalPipeOptions): Promise<LocalPipe> {
  const database = resolve(options.database ?? DEFAULT_DATABASE);
  const onError = options.onError ?? "skip_file";
  // A program in plain JavaScript can pass any string: "CONTINUE" would have skipped files whole.
  if (!(ON_ERROR_VALUES as readonly string[]).includes(onError))
    throw new PipeError(
      `onError must be one of ${ON_ERROR_VALUES.join(", ")} (Snowflake's ON_ERROR, in lower case); got ${JSON.stringify(onError)}`,
    );
  const source = lakeSource(options.lake);
  const known = new Map(registeredEntities(options).map((e) => [e.name, e]));
  const layouts = options.layouts ?? [];
  const [clash] = layoutTableProblems([...known.values()], layouts);
  if (clash) throw new PipeError(clash.problem);

  // A "?" in the path, or a catalog named like a pipe schema (raw.duckdb): see databasePathProblem.
  const problem = databasePathProblem(database);
  if (problem) throw new PipeError(problem);
  await mkdir(dirname(database), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(database);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/Could not set lock/i.test(text)) {
      const holder = /\(PID (\d+)\)/.exec(text)?.[1];
      throw new PipeError(
        `the warehouse ${database} is locked by another process${holder ? ` (PID ${holder})` : ""}: ` +
          "DuckDB lets one process at a time write a file; wait for it (a load, demo or dbt build) to end, or stop it, then run again",
        {},
        { cause: error },
      );
    }
    throw new PipeError(`cannot open the warehouse ${database}: ${text}`, {}, { cause: error });
  }
  const connection = await DuckDBConnection.create(instance);
  await connection.run("set TimeZone = 'UTC'");
  await connection.run(`create schema if not exists ${sqlIdentifier(RAW_SCHEMA)}`);
  for (const statement of loadHistorySql()) await connection.run(statement);
  const tables = new Map<string, RawTable>();
  for (const entity of known.values()) {
    for (const feed of ["data", "legacy"] as const) {
      const table = rawTable(entity, feed);
      await connection.run(rawTableSql(table));
      tables.set(`${feed}/${entity.name}`, table);
    }
  }
  const layoutTables = new Map<string, LegacyRawTable>();
  for (const layout of layouts) {
    const table = legacyRawTable(layout);
    await connection.run(rawTableSql(table));
    layoutTables.set(layout.name, table);
  }

  /** Where a lake path loads; a pending file when no table takes it; `undefined`: not data. */
  const routeOf = (path: string): Target | PendingFile | undefined => {
    const legacy = parseLegacyRawPath(path);
    if (legacy) {
      const table = layoutTables.get(legacy.layout);
      return table ? { table, format: "lines" } : { kind: "layout", name: legacy.layout, path };
    }
    const parsed = parseLakePath(path);
    if (!parsed || parsed.feed === "quarantine") return undefined;
    const table = tables.get(`${parsed.feed}/${parsed.entity}`);
    return table
      ? { table, format: formatOf(parsed.extension) }
      : { kind: "entity", name: parsed.entity, path };
  };

  // One connection, one load at a time: loads are serialised in arrival order.
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const exclusive = <T>(task: () => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new PipeError(`the pipe on ${database} is closed`));
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  // Rewrite notices are small JSON files in the lake; a missing or unreadable one explains nothing.
  const readNotice = async (noticePath: string): Promise<Uint8Array | undefined> => {
    try {
      const staged = await source.stage(noticePath);
      if (!staged) return undefined;
      try {
        return await readFile(staged.localPath);
      } finally {
        await staged.release();
      }
    } catch {
      return undefined;
    }
  };

  // Loads one staged file; runs inside `exclusive`.
  const loadStaged = async (
    path: string,
    target: Target,
    staged: StagedFile,
    eTag: string | undefined,
    receivedAt: Date,
    replace = false,
  ): Promise<FileLoad> => {
    const result = await loadFile({
      replace,
      explainChange: (from, to) => rewrittenBetween(path, from, to, readNotice),
      connection,
      file: staged,
      table: target.table,
      format: target.format,
      onError,
      stageLocation: source.url,
      eTag,
      receivedAt,
    });
    // A file that failed before fails the statement again until it is fixed, as COPY would.
    if (onError === "abort_statement" && result.status === "LOAD_FAILED") {
      throw new LoadAbortedError(
        `load aborted (ON_ERROR = ABORT_STATEMENT): ${result.firstError?.message ?? path}`,
        {
          file: path,
          ...(result.firstError?.line !== undefined ? { row: result.firstError.line } : {}),
          ...(result.firstError?.column ? { column: result.firstError.column } : {}),
        },
      );
    }
    return result;
  };

  // A listed file gone before it is staged (deleted or renamed meanwhile) is not an error.
  const vanishedEntry = (path: string): UnlistedEntry => ({
    path,
    reason: "vanished",
    detail: "gone, or no longer a plain file of the lake, before it was read (not loaded)",
  });

  const loadPath = (
    path: string,
    eTag: string | undefined,
    receivedAt: Date,
    onVanished: (entry: UnlistedEntry) => void = () => undefined,
    onUnregistered: (file: PendingFile) => void = () => undefined,
  ): Promise<FileLoad | undefined> => {
    const route = routeOf(path);
    if (!route) return Promise.resolve(undefined);
    // Recording such a file (as SKIPPED, say) would keep it out for good once it is registered.
    if ("kind" in route) {
      onUnregistered(route);
      return Promise.resolve(undefined);
    }
    return exclusive(async () => {
      const staged = await source.stage(path);
      if (!staged) {
        onVanished(vanishedEntry(path));
        return undefined;
      }
      try {
        return await loadStaged(path, route, staged, eTag, receivedAt);
      } finally {
        await staged.release();
      }
    });
  };

  // A scan loads runs of Parquet files of one table with one insert (see loadParquetGroup);
  // anything else, or a group that cannot go in whole, file by file.
  const loadGroup = (
    listed: readonly SourceObject[],
    receivedAt: Date,
    onVanished: (entry: UnlistedEntry) => void,
  ): Promise<FileLoad[]> =>
    exclusive(async () => {
      const staged: StagedFile[] = [];
      const objects: SourceObject[] = [];
      try {
        for (const object of listed) {
          const file = await source.stage(object.path);
          if (!file) onVanished(vanishedEntry(object.path));
          else {
            staged.push(file);
            objects.push(object);
          }
        }
        if (objects.length === 0) return [];
        const { table } = routeOf(objects[0]?.path ?? "") as Target;
        const grouped = await loadParquetGroup({
          connection,
          files: staged,
          table: table as RawTable,
          onError,
          stageLocation: source.url,
          receivedAt,
        });
        if (grouped) return grouped;
        const results: FileLoad[] = [];
        for (const [i, object] of objects.entries()) {
          results.push(
            await loadStaged(
              object.path,
              routeOf(object.path) as Target,
              staged[i] as StagedFile,
              object.eTag,
              receivedAt,
            ),
          );
        }
        return results;
      } finally {
        for (const file of staged) await file.release();
      }
    });

  const ingestWith = async (
    event: BlobCreatedEvent,
    onUnregistered?: (file: PendingFile) => void,
  ): Promise<FileLoad | undefined> => {
    if (event.eventType !== "Microsoft.Storage.BlobCreated") return undefined;
    const path = source.pathOfUrl(event.data.url);
    if (path === undefined) return undefined;
    return loadPath(path, event.data.eTag, new Date(event.eventTime), undefined, onUnregistered);
  };
  const ingest = (event: BlobCreatedEvent) => ingestWith(event);

  const summarise = (
    files: FileLoad[],
    ignored: string[],
    unlisted: UnlistedEntry[] = [],
    pending: PendingFile[] = [],
    window: { readonly stagedAt?: ReadonlyMap<string, Date>; readonly notQueued?: string[] } = {},
  ): PipeRunSummary => {
    const fresh = files.filter((f) => !f.alreadyLoaded);
    const horizon = Date.now() - SNOWFLAKE_REFRESH_WINDOW_MS;
    const snowflakeWouldSkip = fresh
      .filter((f) => {
        const stagedAt = window.stagedAt?.get(f.file);
        return stagedAt !== undefined && stagedAt.getTime() < horizon;
      })
      .map((f) => f.file);
    const count = (status: FileLoad["status"]) =>
      fresh.filter((f) => f.status === status && !f.replaced).length;
    // Failures and conflicts count in every summary until they are fixed, not as "already loaded".
    const unresolved = (status: FileLoad["status"]) =>
      files.filter((f) => f.status === status).length;
    return {
      files,
      ignored,
      unlisted,
      unregistered: groupUnregistered(
        pending.filter((p) => p.kind === "entity").map((p) => ({ entity: p.name, path: p.path })),
      ),
      unregisteredLayouts: groupUnregistered(
        pending.filter((p) => p.kind === "layout").map((p) => ({ entity: p.name, path: p.path })),
      ).map((g) => ({ layout: g.entity, files: g.files })),
      loaded: count("LOADED"),
      partiallyLoaded: count("PARTIALLY_LOADED"),
      failed: unresolved("LOAD_FAILED"),
      skipped: count("SKIPPED"),
      conflicts: unresolved("CONFLICT"),
      replaced: fresh.filter((f) => f.replaced).length,
      alreadyLoaded: files.filter(
        (f) => f.alreadyLoaded && f.status !== "LOAD_FAILED" && f.status !== "CONFLICT",
      ).length,
      snowflakeWouldSkip,
      notQueued: window.notQueued ?? [],
      rowsLoaded: fresh.reduce((n, f) => n + f.rowsLoaded, 0),
      rowsRejected: fresh.reduce((n, f) => n + Math.max(0, (f.rowsParsed ?? 0) - f.rowsLoaded), 0),
    };
  };

  return {
    database,
    stageLocation: source.url,
    async publish(event) {
      await ingest(event);
    },
    ingest,
    reload(path) {
      const route = routeOf(path);
      if (!route) {
        return Promise.reject(
          new PipeError(
            `cannot reload ${JSON.stringify(path)}: not a data or legacy file of the lake (give its path relative to the lake, as the load history names it, e.g. sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet)`,
            { file: path },
          ),
        );
      }
      if ("kind" in route) {
        return Promise.reject(
          new PipeError(
            `cannot reload ${JSON.stringify(path)}: ${route.kind} ${route.name} is not registered with this pipe (${route.kind === "layout" ? "layouts" : "entities"} option, or the config's)`,
            { file: path },
          ),
        );
      }
      return exclusive(async () => {
        const staged = await source.stage(path);
        if (!staged)
          throw new PipeError(`cannot reload ${path}: no such file in the lake ${source.url}`, {
            file: path,
          });
        try {
          return await loadStaged(path, route, staged, undefined, new Date(), true);
        } finally {
          await staged.release();
        }
      });
    },
    async consume(events, consumeOptions = {}) {
      const files: FileLoad[] = [];
      const ignored: string[] = [];
      const unregistered: PendingFile[] = [];
      for await (const event of events) {
        const pending = unregistered.length;
        const result = await ingestWith(event, (file) => unregistered.push(file));
        if (result) {
          files.push(result);
          consumeOptions.onFile?.(result);
        } else if (unregistered.length === pending) ignored.push(event.data.url);
      }
      return summarise(files, ignored, [], unregistered);
    },
    async refresh(refreshOptions: RefreshOptions = {}) {
      const files: FileLoad[] = [];
      const ignored: string[] = [];
      const unlisted: UnlistedEntry[] = [];
      const unregistered: PendingFile[] = [];
      const onUnregistered = (file: PendingFile) => unregistered.push(file);
      const onUnlisted = (entry: UnlistedEntry) => {
        if (!refreshOptions.prefix || entry.path.startsWith(refreshOptions.prefix))
          unlisted.push(entry);
      };
      const listed: SourceObject[] = [];
      const notQueued: string[] = [];
      const stagedAt = new Map<string, Date>();
      const after = refreshOptions.modifiedAfter?.getTime();
      for await (const object of source.list({ onUnlisted })) {
        if (refreshOptions.prefix && !object.path.startsWith(refreshOptions.prefix)) continue;
        if (object.lastModified) stagedAt.set(object.path, object.lastModified);
        if (after !== undefined && object.lastModified && object.lastModified.getTime() < after) {
          notQueued.push(object.path);
          continue;
        }
        listed.push(object);
      }
      // Reference data first, then facts in path order (time order, given the layout).
      const order = [...known.keys()];
      const rank = (path: string) => {
        const entity = parseLakePath(path)?.entity ?? "";
        const i = order.indexOf(entity);
        return i < 0 ? order.length : i;
      };
      listed.sort(
        (a, b) => rank(a.path) - rank(b.path) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
      );
      const receivedAt = new Date();
      const groupKey = (path: string) => {
        const parsed = parseLakePath(path);
        if (parsed?.feed !== "data" || parsed.extension !== "parquet" || !known.has(parsed.entity))
          return undefined;
        return parsed.entity;
      };
      for (let i = 0; i < listed.length; ) {
        const key = groupKey(listed[i]?.path ?? "");
        let end = i + 1;
        let bytes = listed[i]?.size ?? 0;
        while (
          key &&
          end < listed.length &&
          end - i < GROUP_FILES &&
          bytes + (listed[end]?.size ?? 0) <= GROUP_BYTES &&
          groupKey(listed[end]?.path ?? "") === key
        )
          bytes += listed[end++]?.size ?? 0;
        const run = listed.slice(i, end);
        i = end;
        if (run.length > 1) {
          for (const result of await loadGroup(run, receivedAt, onUnlisted)) {
            files.push(result);
            refreshOptions.onFile?.(result);
          }
          continue;
        }
        const object = run[0] as SourceObject;
        const pending = unregistered.length;
        const result = await loadPath(
          object.path,
          object.eTag,
          receivedAt,
          onUnlisted,
          onUnregistered,
        );
        if (result) {
          files.push(result);
          refreshOptions.onFile?.(result);
        } else if (unregistered.length === pending && unlisted.at(-1)?.path !== object.path)
          ignored.push(object.path); // neither pending nor vanished
      }
      return summarise(files, ignored, unlisted, unregistered, { stagedAt, notQueued });
    },
    copyHistory(historyOptions = {}) {
      return exclusive(async () => {
        const rows = (
          await connection.runAndReadAll(copyHistorySql("_pipe"), [historyOptions.table ?? null])
        ).getRowObjectsJson();
        return rows.map((row) => copyHistoryRow(row as Record<string, unknown>));
      });
    },
    query(sql) {
      return exclusive(
        async () =>
          (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[],
      );
    },
    async close() {
      if (closed) return;
      await queue;
      closed = true;
      await connection.run("checkpoint").catch(() => undefined);
      connection.closeSync();
      instance.closeSync();
    },
  };
}
