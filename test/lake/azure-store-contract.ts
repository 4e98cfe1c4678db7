/**
 * The contract every cloud lake store meets, registered once per store by the azure-*.test.ts
 * files: put/get/list/exists/delete, atomic visibility, url and api. Not a test file itself.
 */
import { expect, test } from "vitest";
import type { LakeObject, LakeStore, PublishApi } from "../../src/lake/index.js";
import { LakeWriteError, ObjectExistsError } from "../../src/lake/index.js";

export interface ContractTarget {
  /** Label in test names: "blob on Azurite". */
  readonly name: string;
  /** A fresh store on an empty root for each call. */
  readonly store: () => Promise<LakeStore>;
  readonly kind: LakeStore["kind"];
  /** What a small and a large (multi-block) put report. */
  readonly api: { readonly small: PublishApi; readonly large: PublishApi };
  /** Bodies larger than this are uploaded in several requests by the store under test. */
  readonly largeBytes: number;
  /** The URL scheme and host part every object URL starts with. */
  readonly urlPattern: RegExp;
}

const PATH = "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.csv";
const text = (s: string) => new TextEncoder().encode(s);

async function all(iterable: AsyncIterable<LakeObject>): Promise<LakeObject[]> {
  const out: LakeObject[] = [];
  for await (const o of iterable) out.push(o);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

function bytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

/**
 * Runs create-only puts of `bodies` on `path` at once and checks the race's outcome: exactly one
 * wins, every other fails with `ObjectExistsError`, and the object holds the winner's bytes.
 */
export async function expectOneWinner(
  store: LakeStore,
  path: string,
  bodies: readonly Uint8Array[],
): Promise<void> {
  const results = await Promise.allSettled(
    bodies.map((body) => store.put(path, body, { ifAbsent: true })),
  );
  const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [i] : []));
  expect(winners).toHaveLength(1);
  for (const r of results) {
    if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ObjectExistsError);
  }
  const stored = Buffer.from(await store.get(path));
  expect(stored.equals(Buffer.from(bodies[winners[0] as number] as Uint8Array))).toBe(true);
}

export function storeContract(target: ContractTarget): void {
  const { name } = target;

  test(`${name}: put then get returns the same bytes, and the put result describes the object`, async () => {
    const store = await target.store();
    expect(store.kind).toBe(target.kind);
    expect(store.url).toMatch(target.urlPattern);
    expect(store.url).not.toMatch(/[?#]|\/$/);
    const body = text("sku,qty\nA-1,2\n");
    const put = await store.put(PATH, body, { contentType: "text/csv" });
    expect(put).toMatchObject({
      path: PATH,
      size: body.byteLength,
      api: target.api.small,
      contentType: "text/csv",
    });
    expect(put.url).toBe(`${store.url}/${PATH}`);
    expect(put.eTag).not.toBe("");
    expect(put.lastModified).toBeInstanceOf(Date);
    expect(Buffer.from(await store.get(PATH)).toString()).toBe("sku,qty\nA-1,2\n");
  });

  test(`${name}: a large body goes up in several requests, is reported as ${target.api.large} and reads back whole`, async () => {
    const store = await target.store();
    const body = bytes(target.largeBytes * 3 + 17);
    const put = await store.put(PATH, body);
    expect(put.api).toBe(target.api.large);
    expect(put.size).toBe(body.byteLength);
    expect(Buffer.from(await store.get(PATH)).equals(Buffer.from(body))).toBe(true);
  });

  test(`${name}: exists and list see exactly the published objects under a prefix`, async () => {
    const store = await target.store();
    const other = "product/product-20261101T0000Z-20261102T0000Z-00001.ndjson";
    await store.put(PATH, text("a"));
    await store.put(PATH.replace("00001.csv", "00002.csv"), text("bb"));
    await store.put(other, text("ccc"));
    expect(await store.exists(PATH)).toBe(true);
    expect(await store.exists(PATH.replace("00001", "00009"))).toBe(false);
    const sales = await all(store.list("sale_line/dt=2026-11-01/"));
    expect(sales.map((o) => [o.path, o.size])).toEqual([
      [PATH, 1],
      [PATH.replace("00001.csv", "00002.csv"), 2],
    ]);
    expect(sales.every((o) => o.eTag !== "" && o.lastModified instanceof Date)).toBe(true);
    expect((await all(store.list())).map((o) => o.path)).toEqual([
      other,
      PATH,
      PATH.replace("00001.csv", "00002.csv"),
    ]);
    expect(await all(store.list("sale_line/dt=2026-11-0"))).toHaveLength(2);
    expect(await all(store.list("stock_snapshot/"))).toEqual([]);
  });

  test(`${name}: delete removes an object, deleting a missing one is not an error, get of a missing one fails naming the path`, async () => {
    const store = await target.store();
    await store.put(PATH, text("x"));
    await store.delete(PATH);
    expect(await store.exists(PATH)).toBe(false);
    await expect(store.delete(PATH)).resolves.toBeUndefined();
    const error = await store.get(PATH).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LakeWriteError);
    expect((error as LakeWriteError).path).toBe(PATH);
    expect((error as LakeWriteError).store).toBe(store.url);
    expect((error as Error).message).toMatch(/ 404 /);
  });

  test(`${name}: a reader polling during a multi-request put sees nothing or the whole file, never a part or a temp file`, async () => {
    const store = await target.store();
    const body = bytes(target.largeBytes * 6 + 1);
    let done = false;
    const seen: string[] = [];
    const putting = store.put(PATH, body).finally(() => {
      done = true;
    });
    while (!done) {
      for (const o of await all(store.list("sale_line/"))) seen.push(`${o.path}:${o.size}`);
    }
    await putting;
    for (const o of await all(store.list("sale_line/"))) seen.push(`${o.path}:${o.size}`);
    expect(new Set(seen)).toEqual(new Set([`${PATH}:${body.byteLength}`]));
  });

  test(`${name}: a create-only put onto an existing object fails with ObjectExistsError and changes nothing`, async () => {
    const store = await target.store();
    const large = bytes(target.largeBytes * 2 + 5);
    for (const [path, first] of [
      [PATH, text("first")],
      [PATH.replace("00001", "00002"), large],
    ] as const) {
      await store.put(path, first, { ifAbsent: true });
      for (const second of [text("second"), bytes(target.largeBytes * 3)]) {
        const error = await store.put(path, second, { ifAbsent: true }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ObjectExistsError);
        expect((error as ObjectExistsError).path).toBe(path);
        expect((error as ObjectExistsError).store).toBe(store.url);
      }
      expect(Buffer.from(await store.get(path)).equals(Buffer.from(first))).toBe(true);
    }
    // Without ifAbsent a put still replaces.
    await store.put(PATH, text("replaced"));
    expect(Buffer.from(await store.get(PATH)).toString()).toBe("replaced");
  });

  test(`${name}: two create-only puts racing for one name, small or large: exactly one wins and the object holds its bytes`, async () => {
    const store = await target.store();
    const sizes = [
      [5, 6],
      [target.largeBytes * 3 + 1, target.largeBytes * 2 + 3],
      [7, target.largeBytes * 2],
    ];
    for (const [round, [a, b]] of sizes.entries()) {
      const path = PATH.replace("00001", String(round + 1).padStart(5, "0"));
      const bodies = [bytes(a as number), bytes(b as number).map((x) => x ^ 0xff)];
      await expectOneWinner(store, path, bodies);
    }
    // The loser leaves no temp object behind.
    expect(await all(store.list())).toHaveLength(sizes.length);
  });

  test(`${name}: paths that would leave the root are rejected before any request`, async () => {
    const store = await target.store();
    await expect(store.put("../escape.csv", text("x"))).rejects.toThrowErrorMatchingInlineSnapshot(
      `[RangeError: store path "../escape.csv" has a ".." segment]`,
    );
    await expect(store.get("/abs.csv")).rejects.toThrowErrorMatchingInlineSnapshot(
      `[RangeError: store path "/abs.csv" is absolute]`,
    );
  });
}
