import { expect, test } from "vitest";
import { adlsStore } from "../../src/lake/adls-store.js";
import { blobStore } from "../../src/lake/blob-store.js";
import { LakeWriteError, ObjectExistsError } from "../../src/lake/lake-write-error.js";
import {
  AttemptTimeoutError,
  backoffDelay,
  isTransient,
  RetriesExhaustedError,
  withRetry,
} from "../../src/lake/retry.js";
import { AZURITE_ACCOUNT, AZURITE_KEY, useAzurite } from "../support/azurite.js";
import { startDfsServer } from "../support/dfs-server.js";
import { type Fault, startFaultProxy } from "../support/fault-proxy.js";

const azurite = useAzurite(["blob"]);

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

function failing(...errors: unknown[]) {
  let calls = 0;
  const op = async () => {
    const e = errors[calls++];
    if (e === undefined) return "ok";
    throw e;
  };
  return { op, calls: () => calls };
}

test("back-off is exponential with full jitter, capped by maxDelayMs", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000 };
  const ceilings = [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0.999999));
  const halves = [1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0.5));
  expect({ ceilings, halves, zero: backoffDelay(4, policy, () => 0) }).toMatchInlineSnapshot(`
    {
      "ceilings": [
        99,
        199,
        399,
        799,
        999,
        999,
      ],
      "halves": [
        50,
        100,
        200,
        400,
        500,
        500,
      ],
      "zero": 0,
    }
  `);
});

test("transient faults are told from permanent ones", () => {
  const cases: Record<string, unknown> = {
    "429": { statusCode: 429 },
    "500": { statusCode: 500 },
    "503": { statusCode: 503 },
    "408": { statusCode: 408 },
    "400": { statusCode: 400 },
    "403": { statusCode: 403 },
    "404": { statusCode: 404 },
    "409": { statusCode: 409 },
    ECONNRESET: { code: "ECONNRESET" },
    ETIMEDOUT: { code: "ETIMEDOUT" },
    "ECONNRESET as cause": { message: "fetch failed", cause: { code: "ECONNRESET" } },
    ENOTFOUND: { code: "ENOTFOUND" },
    "attempt timeout": new AttemptTimeoutError(10),
    "caller abort": Object.assign(new Error("aborted"), { name: "AbortError" }),
    "plain error": new Error("boom"),
  };
  expect(
    Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, isTransient(v)])),
  ).toMatchInlineSnapshot(`
    {
      "400": false,
      "403": false,
      "404": false,
      "408": true,
      "409": false,
      "429": true,
      "500": true,
      "503": true,
      "ECONNRESET": true,
      "ECONNRESET as cause": true,
      "ENOTFOUND": false,
      "ETIMEDOUT": true,
      "attempt timeout": true,
      "caller abort": false,
      "plain error": false,
    }
  `);
});

test("withRetry retries transient faults with the jittered delays and returns the first success", async () => {
  const { delays, sleep } = recordingSleep();
  const { op, calls } = failing({ statusCode: 503 }, { code: "ECONNRESET" }, { statusCode: 429 });
  const seen: number[] = [];
  const result = await withRetry(op, {
    baseDelayMs: 100,
    maxDelayMs: 1000,
    random: () => 0.5,
    sleep,
    onRetry: (e) => seen.push(e.attempt),
  });
  expect({ result, calls: calls(), delays, seen }).toEqual({
    result: "ok",
    calls: 4,
    delays: [50, 100, 200],
    seen: [1, 2, 3],
  });
});

test("withRetry fails fast on a permanent fault: one call, no sleep, the error as it was", async () => {
  const { delays, sleep } = recordingSleep();
  const forbidden = { statusCode: 403, message: "forbidden" };
  const { op, calls } = failing(forbidden);
  await expect(withRetry(op, { sleep })).rejects.toBe(forbidden);
  expect({ calls: calls(), delays }).toEqual({ calls: 1, delays: [] });
});

test("withRetry gives up after `attempts`, and never sleeps past maxDelayMs", async () => {
  const { delays, sleep } = recordingSleep();
  const reset = { code: "ECONNRESET" };
  const { op, calls } = failing(...Array(10).fill(reset));
  const error = await withRetry(op, {
    attempts: 4,
    baseDelayMs: 400,
    maxDelayMs: 1000,
    random: () => 0.999999,
    sleep,
  }).catch((e) => e);
  expect(error).toBeInstanceOf(RetriesExhaustedError);
  expect(error.attempts).toBe(4);
  expect(error.lastError).toBe(reset);
  expect({ calls: calls(), delays }).toEqual({ calls: 4, delays: [399, 799, 999] });
});

test("withRetry honours Retry-After up to maxDelayMs", async () => {
  const { delays, sleep } = recordingSleep();
  const busy = (after: string) => ({
    statusCode: 503,
    response: { headers: { get: (h: string) => (h === "retry-after" ? after : undefined) } },
  });
  const { op } = failing(busy("2"), busy("60"));
  await withRetry(op, { baseDelayMs: 100, maxDelayMs: 5000, random: () => 0, sleep });
  expect(delays).toEqual([2000, 5000]);
});

test("an attempt that outlives attemptTimeoutMs is aborted and retried", async () => {
  const signals: AbortSignal[] = [];
  const result = await withRetry(
    (signal, attempt) => {
      signals.push(signal);
      if (attempt > 1) return Promise.resolve(`attempt ${attempt}`);
      return new Promise((_, reject) =>
        signal.addEventListener("abort", () => reject(new Error("aborted by signal"))),
      );
    },
    { attemptTimeoutMs: 20, sleep: async () => {} },
  );
  expect(result).toBe("attempt 2");
  expect(signals[0]?.aborted).toBe(true);
});

test("a caller's abort is never retried", async () => {
  const controller = new AbortController();
  let calls = 0;
  const running = withRetry(
    (signal) => {
      calls++;
      controller.abort(new Error("stop"));
      return Promise.reject(signal.reason ?? new Error("aborted"));
    },
    { signal: controller.signal, sleep: async () => {} },
  );
  await expect(running).rejects.toThrow("stop");
  expect(calls).toBe(1);
});

// Real faults: a loopback proxy in front of real Azurite.

function viaProxy(origin: string) {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${origin}/${AZURITE_ACCOUNT};`;
}
const noWait = { random: () => 0, sleep: async () => {} };
let containers = 0;

async function proxiedBlobStore(
  plan: (method: string, url: string, index: number) => Fault,
  attempts = 5,
) {
  const proxy = await startFaultProxy(azurite().blobUrl, (req, i) =>
    plan(req.method ?? "", req.url ?? "", i),
  );
  const log: string[] = [];
  const container = `retry-${++containers}`;
  const direct = blobStore({
    container,
    credential: { connectionString: azurite().connectionString },
    createContainer: true,
  });
  await direct.put("warmup.csv", new Uint8Array([0]));
  const store = blobStore({
    container,
    credential: { connectionString: viaProxy(proxy.origin) },
    retry: { ...noWait, attempts },
    log: (l) => log.push(l),
  });
  return { proxy, store, direct, log };
}

test("blob on Azurite behind a proxy: 503 twice then forwarded, the put succeeds on the third request", async () => {
  const { proxy, store, direct, log } = await proxiedBlobStore((method, _url, i) =>
    method === "PUT" && i < 2
      ? { kind: "status", status: 503, code: "ServerBusy" }
      : { kind: "forward" },
  );
  try {
    const put = await store.put("a.csv", new TextEncoder().encode("x,y\n"));
    expect(put.api).toBe("PutBlob");
    expect(proxy.requests.map((r) => `${r.method} ${r.fault}`)).toEqual([
      "PUT status",
      "PUT status",
      "PUT forward",
    ]);
    expect(Buffer.from(await direct.get("a.csv")).toString()).toBe("x,y\n");
    expect(log.map((l) => l.replace(/127\.0\.0\.1:\d+/, "<host>"))).toMatchInlineSnapshot(`
      [
        "blob store http://<host>/devstoreaccount1/retry-1: put blob "a.csv" attempt 1 failed (503 ServerBusy: injected by the fault proxy); retrying in 0 ms",
        "blob store http://<host>/devstoreaccount1/retry-1: put blob "a.csv" attempt 2 failed (503 ServerBusy: injected by the fault proxy); retrying in 0 ms",
      ]
    `);
  } finally {
    await proxy.close();
  }
});

test("blob on Azurite behind a proxy: connection resets on staged blocks are retried and the committed file is whole", async () => {
  let resets = 0;
  const { proxy, store, direct } = await proxiedBlobStore((method, url) =>
    method === "PUT" && url.includes("comp=block&") && resets++ < 2
      ? { kind: "reset" }
      : { kind: "forward" },
  );
  try {
    const body = new Uint8Array(5 * 1024 * 1024).map((_, i) => i % 251);
    const put = await store.put("big.bin", body);
    expect(put.api).toBe("PutBlockList");
    expect(proxy.requests.filter((r) => r.fault === "reset")).toHaveLength(2);
    expect(Buffer.from(await direct.get("big.bin")).equals(Buffer.from(body))).toBe(true);
  } finally {
    await proxy.close();
  }
});

test("blob on Azurite behind a proxy: a permanent 403 fails at once with a LakeWriteError naming store, path and cause", async () => {
  const { proxy, store } = await proxiedBlobStore((method) =>
    method === "PUT"
      ? { kind: "status", status: 403, code: "AuthorizationPermissionMismatch" }
      : { kind: "forward" },
  );
  try {
    const error = await store.put("b.csv", new Uint8Array([1])).catch((e) => e);
    expect(error).toBeInstanceOf(LakeWriteError);
    expect(proxy.requests).toHaveLength(1);
    expect(error.message.replace(/127\.0\.0\.1:\d+/, "<host>")).toMatchInlineSnapshot(
      `"lake write to http://<host>/devstoreaccount1/retry-3 at "b.csv" failed: put blob: 403 AuthorizationPermissionMismatch: injected by the fault proxy"`,
    );
  } finally {
    await proxy.close();
  }
});

test("blob on Azurite behind a proxy: an outage longer than the policy gives up after `attempts` requests", async () => {
  const { proxy, store } = await proxiedBlobStore(
    () => ({ kind: "status", status: 500, code: "InternalError" }),
    3,
  );
  try {
    const error = await store.exists("c.csv").catch((e) => e);
    expect(error).toBeInstanceOf(LakeWriteError);
    expect(proxy.requests).toHaveLength(3);
    expect(error.message).toMatch(
      /failed: exists: gave up after 3 attempts, last: 500 InternalError/,
    );
  } finally {
    await proxy.close();
  }
});

test("blob on Azurite behind a proxy: a create-only commit whose response was lost is retried and recognised as its own, small or large", async () => {
  // The first commit (Put Blob, or Put Block List) lands but its answer is lost.
  const isCommit = (method: string, url: string) =>
    method === "PUT" && !url.includes("comp=block&") && !url.includes("restype=container");
  let lost = 0;
  const { proxy, store, direct } = await proxiedBlobStore((method, url) =>
    isCommit(method, url) && lost++ % 2 === 0 ? { kind: "lose-response" } : { kind: "forward" },
  );
  try {
    const small = new TextEncoder().encode("x,y\n");
    const large = new Uint8Array(5 * 1024 * 1024).map((_, i) => i % 249);
    expect((await store.put("small.csv", small, { ifAbsent: true })).api).toBe("PutBlob");
    expect((await store.put("large.bin", large, { ifAbsent: true })).api).toBe("PutBlockList");
    expect(proxy.requests.filter((r) => r.fault === "lose-response")).toHaveLength(2);
    expect(Buffer.from(await direct.get("large.bin")).equals(Buffer.from(large))).toBe(true);
    // Another writer's blob at the name is still refused, even on a retried attempt.
    const error = await store
      .put("small.csv", new TextEncoder().encode("other\n"), { ifAbsent: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectExistsError);
    expect(Buffer.from(await direct.get("small.csv")).toString()).toBe("x,y\n");
  } finally {
    await proxy.close();
  }
});

test.each([
  ["a rename", {}],
  ["a create-only rename", { ifAbsent: true }],
])(
  "adls on the DFS test server behind a proxy: %s whose response was lost is retried and recognised as done",
  async (_, putOptions) => {
    const dfs = await startDfsServer();
    const proxy = await startFaultProxy(dfs.url, (req) =>
      req.headers["x-ms-rename-source"] && !proxy.requests.some((r) => r.fault === "lose-response")
        ? { kind: "lose-response" }
        : { kind: "forward" },
    );
    try {
      const connectionString = dfs.connectionString.replace(
        /BlobEndpoint=http:\/\/127\.0\.0\.1:\d+/,
        `BlobEndpoint=${proxy.origin}`,
      );
      const store = adlsStore({
        fileSystem: "lost",
        credential: { connectionString },
        createFileSystem: true,
        retry: noWait,
      });
      const put = await store.put("p/x.csv", new TextEncoder().encode("hello"), putOptions);
      expect(put.api).toBe("FlushWithClose");
      expect(proxy.requests.map((r) => r.fault)).toContain("lose-response");
      expect(Buffer.from(await store.get("p/x.csv")).toString()).toBe("hello");
      const names: string[] = [];
      for await (const o of store.list()) names.push(o.path);
      expect(names).toEqual(["p/x.csv"]);
    } finally {
      await proxy.close();
      await dfs.close();
    }
  },
);
