import type { Dirent, Stats } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";

/** Why an entry of a lake folder is not listed (see `listFolder`). */
export type UnlistedReason =
  | "outside-lake"
  | "inside-lake"
  | "dangling"
  | "loop"
  | "not-a-file"
  | "unreadable"
  | "vanished";

/** An entry a reader did not read, with the reason: reported, never silently dropped. */
export interface UnlistedEntry {
  /** Path relative to the lake root, `/`-separated. */
  readonly path: string;
  readonly reason: UnlistedReason;
  /** One line for a person: what the entry is and why it is not read. */
  readonly detail: string;
}

/** A regular file found under a lake folder. */
export interface ListedFile {
  /** Path relative to the lake root, `/`-separated. */
  readonly path: string;
  /** Absolute file-system path. */
  readonly localPath: string;
  readonly size: number;
  readonly mtime: Date;
  readonly mtimeMs: number;
}

/** Options of `listFolder`. */
export interface FolderListingOptions {
  /** Only under this `/`-separated folder of the root (default the whole root). */
  readonly under?: string;
  /** Told about every entry that is not listed, in walk order. */
  readonly onUnlisted?: (entry: UnlistedEntry) => void;
}

/**
 * The one listing rule of a lake on a local folder, used by the local store, the local pipe and
 * quality, so that they all see the same files:
 * - regular files only, in path order; dot-named entries (temp files of a publish in progress,
 *   editors' `.#lock` links) are never listed;
 * - a symlink is never followed, so no file is read from outside the lake, none is read twice
 *   under two names, and no loop can hang a scan. Each one is reported with what it points to:
 *   `outside-lake`, `inside-lake` (that file is listed under its own name), `dangling` or `loop`
 *   (it leads to itself or to a folder holding it);
 * - FIFOs, sockets and devices are reported (`not-a-file`): opening a FIFO would block a reader;
 * - a file or folder that vanishes mid-scan (a writer's temp file renamed, a file deleted) is
 *   left out without a word; a folder that cannot be read is reported (`unreadable`).
 * The lake root itself may be a symlink (`./lake -> /data/lake`): only entries below it count.
 * @example
 * for await (const file of listFolder("./lake", { onUnlisted: (e) => console.warn(e.detail) }))
 *   console.log(file.path, file.size);
 */
export async function* listFolder(
  root: string,
  options: FolderListingOptions = {},
): AsyncGenerator<ListedFile> {
  const realRoot = await realpath(root).catch(() => undefined);
  if (realRoot === undefined) return;
  const under = options.under ?? "";
  // A starting folder reached through a symlink is outside the rule: nothing under it is listed.
  if (under) {
    const start = await realpath(join(root, ...under.split("/"))).catch(() => undefined);
    if (start !== join(realRoot, ...under.split("/"))) return;
  }
  const notify = options.onUnlisted ?? (() => undefined);
  yield* walk({ root, realRoot, notify }, under);
}

interface Walk {
  readonly root: string;
  readonly realRoot: string;
  readonly notify: (entry: UnlistedEntry) => void;
}

async function* walk(context: Walk, folder: string): AsyncGenerator<ListedFile> {
  const full = folder ? join(context.root, ...folder.split("/")) : context.root;
  let entries: Dirent[];
  try {
    entries = await readdir(full, { withFileTypes: true });
  } catch (error) {
    if (vanished(error)) return;
    context.notify({
      path: folder,
      reason: "unreadable",
      detail: `folder not readable: ${codeOf(error)}`,
    });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = folder ? `${folder}/${entry.name}` : entry.name;
    const localPath = join(full, entry.name);
    if (entry.isDirectory()) yield* walk(context, path);
    else if (entry.isSymbolicLink()) {
      const unlisted = await symlinkEntry(context, path, localPath);
      if (unlisted) context.notify(unlisted);
    } else if (entry.isFile()) {
      let info: Stats | undefined;
      try {
        info = await stat(localPath);
      } catch (error) {
        if (!vanished(error))
          context.notify({ path, reason: "unreadable", detail: `not readable: ${codeOf(error)}` });
      }
      // Replaced by something else between readdir and stat: judged at the next scan.
      if (info?.isFile()) yield fileOf(path, localPath, info);
    } else {
      context.notify({ path, reason: "not-a-file", detail: "not a regular file (not read)" });
    }
  }
}

function fileOf(path: string, localPath: string, info: Stats): ListedFile {
  return { path, localPath, size: info.size, mtime: info.mtime, mtimeMs: info.mtimeMs };
}

/** What a symlink is, as a report; undefined when it vanished. */
async function symlinkEntry(
  context: Walk,
  path: string,
  localPath: string,
): Promise<UnlistedEntry | undefined> {
  const unlisted = (reason: UnlistedReason, what: string, why = ""): UnlistedEntry => ({
    path,
    reason,
    detail: `symlink ${what} (not followed${why})`,
  });
  let target: string;
  try {
    target = await realpath(localPath);
  } catch (error) {
    const code = codeOf(error);
    if (code === "ELOOP") return unlisted("loop", "that leads to itself");
    if (code === "ENOENT" || code === "ENOTDIR") {
      // The link itself may have gone: only a link still there is dangling.
      const there = await lstat(localPath).then(
        () => true,
        () => false,
      );
      return there ? unlisted("dangling", "to nothing") : undefined;
    }
    return unlisted("dangling", `that cannot be resolved: ${code}`);
  }
  const inside = relative(context.realRoot, target);
  if (inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return unlisted("outside-lake", "leaving the lake");
  const linkFolder = await realpath(dirname(localPath)).catch(() => localPath);
  if (inside === "" || `${linkFolder}${sep}`.startsWith(`${target}${sep}`))
    return unlisted("loop", "to a folder holding it");
  return unlisted(
    "inside-lake",
    `to ${inside.split(sep).join("/")}`,
    ": a file of the lake is read under its own name only",
  );
}

function vanished(error: unknown): boolean {
  const code = codeOf(error);
  return code === "ENOENT" || code === "ENOTDIR";
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}

/**
 * The file-system path of a listed file if it is still a regular file reached without any
 * symlink from the root, else `undefined` (it vanished, or a symlink took its place or one of
 * its folders' since it was listed): a reader re-checks this right before it reads.
 */
export async function listedFilePath(root: string, path: string): Promise<string | undefined> {
  const localPath = join(root, ...path.split("/"));
  try {
    const [realRoot, real, info] = await Promise.all([
      realpath(root),
      realpath(localPath),
      lstat(localPath),
    ]);
    return info.isFile() && real === join(realRoot, ...path.split("/")) ? real : undefined;
  } catch (error) {
    if (vanished(error) || codeOf(error) === "ELOOP") return undefined;
    throw error;
  }
}
