import { type EntitiesOption, type Entity, registeredEntities } from "../entities/index.js";
import { fileEncoder } from "../lake/file-encoder.js";
import type { UnlistedEntry } from "../lake/folder-listing.js";
import { formatOf, parseLakePath } from "../lake/lake-path.js";
import { type LakeFileContent, LakeReadError, readLakeFile } from "../lake/lake-reader.js";
import type { LakeStore } from "../lake/lake-store.js";
import { sha256Hex } from "../lake/local-store.js";
import { encodeRewriteNotice, rewriteNoticePath } from "../lake/rewrite-notice.js";
import { groupUnregistered, type UnregisteredEntity } from "../lake/unregistered-entity.js";
import { qualityRules } from "./entity-rules.js";
import { createEvaluator } from "./evaluator.js";
import { lakeQuarantine } from "./lake-quarantine.js";
import { type QualityReport, reconcile } from "./quality-report.js";
import type { RuleSet } from "./rule-set.js";

/** Options of `checkLake`. */
export interface CheckLakeOptions {
  /** Only this entity, one of `entities` (default every entity with files in the lake). */
  readonly entity?: string;
  /**
   * Your entities, checked with their `qualityRules`, added to the built-in ones (a project
   * config's `entities` is fine as is). Files of any other entity are not checked; they are
   * reported in `unregistered` and make `ok` false.
   */
  readonly entities?: EntitiesOption["entities"];
  /** `false`: check `entities` only, not the built-ins. */
  readonly builtIns?: boolean;
  /**
   * Move failing records out of the data files into `_quarantine/`: each file with failures
   * is rewritten with the records that passed (kept with no records when none did, so its name
   * stays taken), after a rewrite notice (`_quarantine/_rewrites/`) that lets a pipe which
   * loaded the old bytes replace that file's rows instead of reporting a conflict.
   */
  readonly quarantine?: boolean;
  readonly sampleSize?: number;
  /** The rules of an entity (default `qualityRules`). */
  readonly rules?: (entity: Entity) => RuleSet;
}

/** What `checkLake` found and did. */
export interface CheckLakeResult {
  readonly ok: boolean;
  readonly reports: readonly QualityReport[];
  /** Rules left out because the lake holds no (readable) files of the entity they reference. */
  readonly skipped: readonly { readonly rule: string; readonly reason: string }[];
  /**
   * Data files that could not be read or decoded, each with the `LakeReadError` message naming
   * it; the other files are checked, and `ok` is false.
   */
  readonly unreadable: readonly UnreadableFile[];
  /** Entries not read: symlinks, FIFOs, unreadable folders, files that vanished mid-check. */
  readonly unlisted: readonly UnlistedEntry[];
  /** Data files of entities not in `entities`: not checked (see `CheckLakeOptions.entities`). */
  readonly unregistered: readonly UnregisteredEntity[];
  readonly quarantine?: {
    readonly files: readonly string[];
    readonly records: number;
    readonly rewritten: readonly string[];
    /** Of the rewritten files, those left with no records (every record failed). */
    readonly emptied: readonly string[];
  };
}

/** A data file quality could not read. */
export interface UnreadableFile {
  readonly file: string;
  readonly row?: number;
  readonly message: string;
}

/**
 * Reads the lake's data files entity by entity (reference entities first, so their keys feed
 * `relationships`), evaluates the rules and reports; optionally moves failing records to
 * quarantine. Counts are reconciled per entity and, when moving, per file.
 * @example
 * const { ok, reports } = await checkLake(localStore("./lake"), { entity: "sale_line" });
 */
export async function checkLake(
  store: LakeStore,
  options: CheckLakeOptions = {},
): Promise<CheckLakeResult> {
  const all = registeredEntities(options);
  const wanted = options.entity ? all.filter((e) => e.name === options.entity) : all;
  if (options.entity && wanted.length === 0) {
    throw new RangeError(
      `unknown entity "${options.entity}"; entities: ${all.map((e) => e.name).join(", ")}`,
    );
  }
  const unlisted: UnlistedEntry[] = [];
  const paths = new Map<string, string[]>();
  for await (const object of store.list(undefined, { onUnlisted: (e) => unlisted.push(e) })) {
    const file = parseLakePath(object.path);
    if (file?.feed !== "data") continue;
    const list = paths.get(file.entity) ?? [];
    list.push(object.path);
    paths.set(file.entity, list);
  }
  for (const list of paths.values()) list.sort();
  // With one entity asked for, the others are not this check's business.
  const unregistered = options.entity
    ? []
    : groupUnregistered(
        [...paths]
          .filter(([name]) => !all.some((e) => e.name === name))
          .flatMap(([entity, files]) => files.map((path) => ({ entity, path }))),
      );

  // One verdict per file, even when it is read twice (for keys, then for its own rules).
  const unreadable = new Map<string, UnreadableFile>();
  const gone = new Set<string>();
  const read = async (path: string, entity: Entity): Promise<LakeFileContent | undefined> => {
    if (unreadable.has(path) || gone.has(path)) return undefined;
    try {
      return await readLakeFile(store, path, { entity });
    } catch (error) {
      if (!(await store.exists(path).catch(() => true))) {
        gone.add(path);
        unlisted.push({
          path,
          reason: "vanished",
          detail: "gone before it was read (not checked)",
        });
        return undefined;
      }
      unreadable.set(path, {
        file: path,
        ...(error instanceof LakeReadError && error.row !== undefined ? { row: error.row } : {}),
        message:
          error instanceof LakeReadError
            ? error.message
            : `${path}: ${error instanceof Error ? error.message : String(error)}`,
      });
      return undefined;
    }
  };

  const keysOf = new Map<string, Set<string> | string>();
  // The keys of an entity, or why they are not known (no files, or an unreadable one).
  const loadKeys = async (entity: Entity): Promise<Set<string> | string> => {
    const known = keysOf.get(entity.name);
    if (known) return known;
    const files = paths.get(entity.name);
    let keys: Set<string> | string = `no ${entity.name} files in the lake`;
    if (files) {
      const found = new Set<string>();
      let bad = 0;
      for (const path of files) {
        const content = await read(path, entity);
        if (!content) bad += unreadable.has(path) ? 1 : 0;
        for (const r of content?.records ?? []) found.add(entity.keyOf(r));
      }
      keys = bad > 0 ? `${bad} ${entity.name} file(s) unreadable` : found;
    }
    keysOf.set(entity.name, keys);
    return keys;
  };

  const reports: QualityReport[] = [];
  const skipped: { rule: string; reason: string }[] = [];
  const sink = options.quarantine ? lakeQuarantine(store) : undefined;
  const rewritten: string[] = [];
  const emptied: string[] = [];
  for (const entity of wanted) {
    const files = paths.get(entity.name);
    if (!files) continue;
    let rules = (options.rules ?? qualityRules)(entity);
    const references: Record<string, Set<string>> = {};
    for (const rule of rules.rules) {
      if (rule.spec.kind !== "relationships") continue;
      const to = (rule.spec as { to: string }).to;
      const parent = all.find((e) => e.name === to);
      const keys = parent ? await loadKeys(parent) : `no entity "${to}"`;
      if (typeof keys !== "string") references[to] = keys;
      else {
        skipped.push({ rule: rule.name, reason: keys });
        rules = rules.without(rule.name);
      }
    }
    const evaluator = createEvaluator(rules, {
      references,
      ...(options.sampleSize ? { sampleSize: options.sampleSize } : {}),
    });
    let kept = 0;
    for (const path of files) {
      const content = await read(path, entity);
      if (!content) continue;
      const file = content.file;
      const window = windowOf(file.window);
      const { passed, rejected } = evaluator.split(content.records, {
        file: path,
        firstRow: 1,
        window,
      });
      if (!sink || rejected.length === 0) {
        kept += passed.length;
        continue;
      }
      // Quarantine file, then notice, then the rewrite: a crash in between leaves the old
      // bytes (a re-run redoes it all) or a notice that explains the new ones.
      const already = sink.files.length;
      await sink.reject(rejected);
      const before = sha256Hex(await store.get(path));
      const encoder = fileEncoder({
        format: formatOf(file.extension),
        compression: file.extension.endsWith(".gz")
          ? "gzip"
          : formatOf(file.extension) === "parquet"
            ? "snappy"
            : "none",
      });
      const after = await encoder.encode(entity.columns, passed);
      await store.put(
        rewriteNoticePath(path, before),
        encodeRewriteNotice({
          file: path,
          from: before,
          to: sha256Hex(after),
          removed: rejected.length,
          reason: "quarantine",
          quarantine: sink.files.slice(already),
        }),
        { contentType: "application/json" },
      );
      await store.put(path, after, { contentType: encoder.contentType });
      rewritten.push(path);
      if (passed.length === 0) emptied.push(path);
      kept += passed.length;
    }
    const report = evaluator.report();
    reconcile(report, { written: kept });
    reports.push(report);
  }
  if (sink) {
    const quarantined = reports.reduce((n, r) => n + r.quarantined, 0);
    reconcile(
      { entity: "lake", input: quarantined, passed: 0, quarantined },
      { quarantineWritten: sink.written },
    );
  }
  return {
    ok: reports.every((r) => r.ok) && unreadable.size === 0 && unregistered.length === 0,
    reports,
    skipped,
    unreadable: [...unreadable.values()].sort((a, b) => (a.file < b.file ? -1 : 1)),
    unlisted,
    unregistered,
    ...(sink
      ? { quarantine: { files: sink.files, records: sink.written, rewritten, emptied } }
      : {}),
  };
}

// `20261101T0800Z-20261101T0805Z` back to ISO instants, for freshness against the window.
function windowOf(token: string): { from: string; to: string } {
  const iso = (t: string) =>
    `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:00Z`;
  const [from = "", to = ""] = token.split("-");
  return { from: iso(from), to: iso(to) };
}
