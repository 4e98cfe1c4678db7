/**
 * A small in-memory ADLS Gen2 (DFS) server for tests, because Azurite has no DFS endpoint
 * (Azure/Azurite issues 409 and 553). It implements exactly the REST calls that
 * @azure/storage-file-datalake makes for the lake's adlsStore, on one loopback port that serves
 * both the dfs and the blob shapes (the SDK maps IP-style URLs to themselves):
 *
 *   PUT    /{acct}/{fs}?restype=container                file system create (blob endpoint)
 *   DELETE /{acct}/{fs}?restype=container                file system delete (blob endpoint)
 *   PUT    /{acct}/{fs}/{path}?resource=file|directory   Path - Create
 *   PUT    /{acct}/{fs}/{path}  x-ms-rename-source       Path - Create (rename, mode=legacy)
 *   PATCH  /{acct}/{fs}/{path}?action=append&position=N  Path - Update (append)
 *   PATCH  /{acct}/{fs}/{path}?action=flush&position=N&close=true   Path - Update (flush)
 *   HEAD   /{acct}/{fs}/{path}                           Get Blob Properties / exists
 *   GET    /{acct}/{fs}/{path}  [x-ms-range]             Get Blob (read)
 *   GET    /{acct}/{fs}?resource=filesystem&recursive=&directory=   Path - List
 *   DELETE /{acct}/{fs}/{path}                           Path - Delete
 *
 * Conditional headers follow Path - Create (learn.microsoft.com/rest/api/storageservices/
 * datalakestoragegen2/path/create: "To fail if the destination already exists, use a conditional
 * request with If-None-Match: \"*\"") and "Specifying conditional headers for Blob service
 * operations": on create and on a rename's destination `If-None-Match: *` fails with 409
 * PathAlreadyExists when the path exists, an `If-None-Match: <etag>` that matches and an
 * `If-Match` that does not (or names a missing path) fail with 412 ConditionNotMet; a rename's
 * source is checked the same way against `x-ms-source-if-match` / `x-ms-source-if-none-match`
 * (412 SourceConditionNotMet).
 *
 * Authentication is NOT verified: a Shared Key `Authorization` header, a SAS query or a bearer
 * token is accepted as it comes (recorded, so tests can check the SDK signed its requests).
 * Errors follow the service: JSON `{"error":{code,message}}` on dfs calls, XML on blob calls,
 * `x-ms-error-code` on both. Anything else answers 501 naming the call, so an SDK change shows.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const DFS_ACCOUNT = "devstoreaccount1";
/** Azurite's public development key; the server does not check it, the SDK needs one to sign. */
export const DFS_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

interface Entry {
  kind: "file" | "directory";
  data: Buffer;
  /** Appended but not yet flushed, by position. */
  pending: Map<number, Buffer>;
  etag: string;
  lastModified: Date;
  created: Date;
  contentType: string;
}

/** One request as the server saw it: for tests that check the SDK's call sequence. */
export interface DfsRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly renameSource?: string;
  readonly authorization: "SharedKey" | "SAS" | "Bearer" | "none";
}

export interface DfsServer {
  /** `http://127.0.0.1:<port>/devstoreaccount1` */
  readonly url: string;
  /** Account connection string pointing the SDK at this server. */
  readonly connectionString: string;
  readonly requests: DfsRequest[];
  close(): Promise<void>;
}

let etagCounter = 0;
const nextEtag = () => `"0x8DD${(++etagCounter).toString(16).toUpperCase().padStart(11, "0")}"`;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startDfsServer(): Promise<DfsServer> {
  const fileSystems = new Map<string, Map<string, Entry>>();
  const requests: DfsRequest[] = [];

  const fsOf = (name: string) => {
    const fs = fileSystems.get(name);
    if (!fs)
      throw new HttpError(404, "FilesystemNotFound", "The specified filesystem does not exist.");
    return fs;
  };

  const ensureParents = (fs: Map<string, Entry>, path: string) => {
    const parts = path.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      const existing = fs.get(dir);
      if (existing?.kind === "file")
        throw new HttpError(409, "PathConflict", `"${dir}" is a file.`);
      if (!existing) fs.set(dir, newEntry("directory", ""));
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const query = Object.fromEntries(url.searchParams);
    const segments = withAccount(url.pathname);
    const [account, fsName, ...rest] = segments;
    const path = rest.join("/");
    const method = req.method ?? "GET";
    const auth = req.headers.authorization ?? "";
    const renameSource = header(req, "x-ms-rename-source");
    requests.push({
      method,
      path: `/${fsName ?? ""}${path ? `/${path}` : ""}`,
      query,
      ...(renameSource ? { renameSource } : {}),
      authorization: auth.startsWith("SharedKey ")
        ? "SharedKey"
        : auth.startsWith("Bearer ")
          ? "Bearer"
          : query.sig
            ? "SAS"
            : "none",
    });
    const isBlobCall =
      (method === "GET" || method === "HEAD") && path !== "" && !query.action && !query.resource;
    const blobError = isBlobCall || query.restype === "container";
    try {
      if (account !== DFS_ACCOUNT || !fsName)
        throw new HttpError(400, "InvalidUri", `unknown account or file system in ${url.pathname}`);

      if (path === "" && query.restype === "container") {
        if (method === "PUT") {
          if (fileSystems.has(fsName))
            throw new HttpError(
              409,
              "ContainerAlreadyExists",
              "The specified container already exists.",
            );
          fileSystems.set(fsName, new Map());
          return send(res, 201, { ETag: nextEtag(), "Last-Modified": new Date().toUTCString() });
        }
        if (method === "DELETE") {
          if (!fileSystems.delete(fsName))
            throw new HttpError(
              404,
              "ContainerNotFound",
              "The specified container does not exist.",
            );
          return send(res, 202);
        }
      }

      if (path === "" && method === "GET" && query.resource === "filesystem") {
        const fs = fsOf(fsName);
        const directory = (query.directory ?? "").replace(/\/$/, "");
        if (directory !== "" && fs.get(directory)?.kind !== "directory") {
          throw new HttpError(404, "PathNotFound", "The specified path does not exist.");
        }
        const recursive = query.recursive === "true";
        const names = [...fs.keys()]
          .filter((name) => {
            if (directory !== "" && !name.startsWith(`${directory}/`)) return false;
            const below = directory === "" ? name : name.slice(directory.length + 1);
            return recursive || !below.includes("/");
          })
          .sort();
        const start = Number(query.continuation ?? 0);
        const max = Number(query.maxResults ?? 5000);
        const page = names.slice(start, start + max);
        const paths = page.map((name) => {
          const e = fs.get(name) as Entry;
          // The service sends numbers and booleans as strings here; the SDK converts them.
          return {
            name,
            ...(e.kind === "directory" ? { isDirectory: "true" } : {}),
            contentLength: String(e.data.byteLength),
            eTag: e.etag.replace(/"/g, ""),
            lastModified: e.lastModified.toUTCString(),
            owner: "$superuser",
            group: "$superuser",
            permissions: e.kind === "directory" ? "rwxr-x---" : "rw-r-----",
            creationTime: String(toFileTime(e.created)),
          };
        });
        const more: Record<string, string> =
          start + max < names.length ? { "x-ms-continuation": String(start + max) } : {};
        return sendJson(res, 200, { paths }, more);
      }

      if (path === "")
        throw new HttpError(
          501,
          "NotImplemented",
          `${method} ${url.pathname}${url.search} is not implemented`,
        );
      const fs = fsOf(fsName);

      if (method === "PUT" && renameSource) {
        const [, sourceFs, ...sourceRest] = withAccount(
          new URL(renameSource, "http://localhost").pathname,
        );
        const sourcePath = sourceRest.join("/");
        const from = fileSystems.get(sourceFs ?? "")?.get(sourcePath);
        if (from?.kind !== "file")
          throw new HttpError(
            404,
            "SourcePathNotFound",
            "The source path for a rename operation does not exist.",
          );
        checkConditions(
          from,
          header(req, "x-ms-source-if-match"),
          header(req, "x-ms-source-if-none-match"),
          "SourceConditionNotMet",
        );
        const target = fs.get(path);
        checkConditions(target, header(req, "if-match"), header(req, "if-none-match"));
        if (target?.kind === "directory")
          throw new HttpError(
            409,
            "RenameDestinationParentPathNotFound",
            "The destination is a directory.",
          );
        ensureParents(fs, path);
        fileSystems.get(sourceFs as string)?.delete(sourcePath);
        fs.set(path, from);
        // Rename is a metadata operation: the file keeps its ETag.
        return send(res, 201, {
          ETag: from.etag,
          "Last-Modified": from.lastModified.toUTCString(),
          "Content-Length": "0",
        });
      }

      if (method === "PUT" && (query.resource === "file" || query.resource === "directory")) {
        const existing = fs.get(path);
        checkConditions(existing, header(req, "if-match"), header(req, "if-none-match"));
        if (existing?.kind === "directory" && query.resource === "file")
          throw new HttpError(409, "PathConflict", "The path is a directory.");
        ensureParents(fs, path);
        const entry =
          existing?.kind === "directory"
            ? existing
            : newEntry(query.resource, header(req, "x-ms-content-type") ?? "");
        fs.set(path, entry);
        return send(res, 201, {
          ETag: entry.etag,
          "Last-Modified": entry.lastModified.toUTCString(),
          "Content-Length": "0",
        });
      }

      if (method === "PATCH" && (query.action === "append" || query.action === "flush")) {
        const entry = fs.get(path);
        if (entry?.kind !== "file")
          throw new HttpError(404, "PathNotFound", "The specified path does not exist.");
        const position = Number(query.position);
        if (!Number.isInteger(position) || position < 0)
          throw new HttpError(400, "InvalidQueryParameterValue", "position is required.");
        if (query.action === "append") {
          if (position < entry.data.byteLength)
            throw new HttpError(
              400,
              "InvalidAppendPosition",
              "Data can only be appended at the end.",
            );
          entry.pending.set(position, body);
          return send(res, 202, { "Content-Length": "0" });
        }
        let data = entry.data;
        while (data.byteLength < position) {
          const chunk = entry.pending.get(data.byteLength);
          if (!chunk) break;
          data = Buffer.concat([data, chunk]);
        }
        if (data.byteLength !== position) {
          throw new HttpError(
            400,
            "InvalidFlushPosition",
            "The uploaded data is not contiguous or the position query parameter value is not equal to the length of the file after appending the uploaded data.",
          );
        }
        entry.data = data;
        entry.pending.clear();
        entry.etag = nextEtag();
        entry.lastModified = new Date();
        entry.contentType = header(req, "x-ms-content-type") ?? entry.contentType;
        return send(res, 200, {
          ETag: entry.etag,
          "Last-Modified": entry.lastModified.toUTCString(),
          "Content-Length": "0",
        });
      }

      if (method === "HEAD" || method === "GET") {
        const entry = fs.get(path);
        if (!entry) throw new HttpError(404, "BlobNotFound", "The specified blob does not exist.");
        const headers: Record<string, string> = {
          ETag: entry.etag,
          "Last-Modified": entry.lastModified.toUTCString(),
          "Content-Type": entry.contentType || "application/octet-stream",
          "x-ms-blob-type": "BlockBlob",
          "x-ms-creation-time": entry.created.toUTCString(),
          "x-ms-resource-type": entry.kind,
          ...(entry.kind === "directory" ? { "x-ms-meta-hdi_isfolder": "true" } : {}),
          "Accept-Ranges": "bytes",
        };
        const range = /^bytes=(\d+)-(\d*)$/.exec(
          header(req, "x-ms-range") ?? header(req, "range") ?? "",
        );
        const size = entry.data.byteLength;
        if (method === "GET" && range) {
          const from = Number(range[1]);
          const to = Math.min(size - 1, range[2] ? Number(range[2]) : size - 1);
          if (from >= size && size > 0)
            throw new HttpError(
              416,
              "InvalidRange",
              "The range specified is invalid for the current size of the resource.",
            );
          const slice = entry.data.subarray(from, to + 1);
          return send(
            res,
            206,
            {
              ...headers,
              "Content-Length": String(slice.byteLength),
              "Content-Range": `bytes ${from}-${to}/${size}`,
            },
            slice,
          );
        }
        return send(
          res,
          200,
          { ...headers, "Content-Length": String(size) },
          method === "GET" ? entry.data : undefined,
        );
      }

      if (method === "DELETE") {
        const entry = fs.get(path);
        if (!entry) throw new HttpError(404, "PathNotFound", "The specified path does not exist.");
        const children = [...fs.keys()].filter((name) => name.startsWith(`${path}/`));
        if (children.length > 0 && query.recursive !== "true")
          throw new HttpError(
            409,
            "DirectoryNotEmpty",
            "The recursive query parameter value must be true to delete a non-empty directory.",
          );
        for (const name of [path, ...children]) fs.delete(name);
        return send(res, 200, { "Content-Length": "0" });
      }

      throw new HttpError(
        501,
        "NotImplemented",
        `${method} ${url.pathname}${url.search} is not implemented by the DFS test server`,
      );
    } catch (e) {
      const error = e instanceof HttpError ? e : new HttpError(500, "InternalError", String(e));
      const requestId = randomUUID();
      const message = `${error.message}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`;
      if (method === "HEAD") return send(res, error.status, { "x-ms-error-code": error.code });
      if (blobError) {
        const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${error.code}</Code><Message>${message}</Message></Error>`;
        return send(
          res,
          error.status,
          { "x-ms-error-code": error.code, "Content-Type": "application/xml" },
          Buffer.from(xml),
        );
      }
      return sendJson(
        res,
        error.status,
        { error: { code: error.code, message } },
        { "x-ms-error-code": error.code },
      );
    }
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handle(req, res, Buffer.concat(chunks)).catch((e) => {
        res.statusCode = 500;
        res.end(String(e));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/${DFS_ACCOUNT}`;
  return {
    url,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${DFS_ACCOUNT};AccountKey=${DFS_KEY};BlobEndpoint=${url};`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Path segments with the account first. On an IP-style URL the SDK puts the account in the path,
 * except for a rename's destination, which it builds as `/{fs}/{path}` (the host-style form of
 * real accounts): both forms are accepted.
 */
function withAccount(pathname: string): string[] {
  const segments = pathname.split("/").slice(1).map(decodeURIComponent);
  return segments[0] === DFS_ACCOUNT ? segments : [DFS_ACCOUNT, ...segments];
}

/** Path - Create's conditional headers against the entry at a path (undefined when absent). */
function checkConditions(
  entry: Entry | undefined,
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
  failed = "ConditionNotMet",
): void {
  const unquote = (tag: string) => tag.trim().replace(/^"|"$/g, "");
  const matches = (list: string) =>
    entry !== undefined &&
    list.split(",").some((tag) => tag.trim() === "*" || unquote(tag) === unquote(entry.etag));
  if (ifNoneMatch?.trim() === "*" && entry && failed === "ConditionNotMet")
    throw new HttpError(409, "PathAlreadyExists", "The specified path already exists.");
  if (ifNoneMatch !== undefined && matches(ifNoneMatch))
    throw new HttpError(
      412,
      failed,
      "The condition specified using HTTP conditional header(s) is not met.",
    );
  if (ifMatch !== undefined && !matches(ifMatch))
    throw new HttpError(
      412,
      failed,
      "The condition specified using HTTP conditional header(s) is not met.",
    );
}

function newEntry(kind: "file" | "directory", contentType: string): Entry {
  const now = new Date();
  return {
    kind,
    data: Buffer.alloc(0),
    pending: new Map(),
    etag: nextEtag(),
    lastModified: now,
    created: now,
    contentType,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
  body?: Buffer,
): void {
  res.writeHead(status, {
    "x-ms-request-id": randomUUID(),
    "x-ms-version": "2025-01-05",
    Date: new Date().toUTCString(),
    ...(body === undefined && !("Content-Length" in headers) ? { "Content-Length": "0" } : {}),
    ...headers,
  });
  res.end(body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = Buffer.from(JSON.stringify(value));
  send(
    res,
    status,
    {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": String(body.byteLength),
      ...headers,
    },
    body,
  );
}

/** Windows file time (100 ns ticks since 1601), as the service reports creationTime. */
function toFileTime(date: Date): bigint {
  return (BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n;
}
