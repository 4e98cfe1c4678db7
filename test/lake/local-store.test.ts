import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect, test } from "vitest";
import { checkStorePath, type LakeObject, localStore } from "../../src/lake/index.js";
import { tempDir } from "./temp-dir.js";

const root = () => tempDir("lake-local-");

async function all(iterable: AsyncIterable<LakeObject>) {
  const out: LakeObject[] = [];
  for await (const item of iterable) out.push(item);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

test("put, get, exists, list and delete on a local folder", async () => {
  const dir = root();
  const store = localStore(dir);
  expect(store.kind).toBe("local");
  expect(store.url).toBe(pathToFileURL(dir).href);
  const body = Buffer.from("sku,name\r\nP000001,Jam\r\n");
  const put = await store.put("product/product-x.csv", body, { contentType: "text/csv" });
  const sha = createHash("sha256").update(body).digest("hex");
  expect(put).toMatchObject({
    path: "product/product-x.csv",
    size: body.length,
    eTag: sha,
    api: "PutBlob",
    contentType: "text/csv",
  });
  expect(put.url).toBe(pathToFileURL(join(dir, "product", "product-x.csv")).href);
  expect(store.localPath("product/product-x.csv")).toBe(join(dir, "product", "product-x.csv"));
  expect(readFileSync(store.localPath("product/product-x.csv"))).toEqual(body);
  expect(Buffer.from(await store.get("product/product-x.csv"))).toEqual(body);
  expect(await store.exists("product/product-x.csv")).toBe(true);
  expect(await store.exists("product/nope.csv")).toBe(false);
  await store.put("sale_line/dt=2026-11-01/hour=08/a.parquet", Buffer.from("a"));
  await store.put("sale_line/dt=2026-11-01/hour=09/b.parquet", Buffer.from("bb"));
  expect((await all(store.list())).map((o) => o.path)).toEqual([
    "product/product-x.csv",
    "sale_line/dt=2026-11-01/hour=08/a.parquet",
    "sale_line/dt=2026-11-01/hour=09/b.parquet",
  ]);
  expect(
    (await all(store.list("sale_line/dt=2026-11-01/hour=0"))).map((o) => [o.path, o.size]),
  ).toEqual([
    ["sale_line/dt=2026-11-01/hour=08/a.parquet", 1],
    ["sale_line/dt=2026-11-01/hour=09/b.parquet", 2],
  ]);
  expect(await all(store.list("customer/"))).toEqual([]);
  const [listed] = await all(store.list("product"));
  expect(listed?.eTag).toBe(sha);
  await store.delete("product/product-x.csv");
  await store.delete("product/product-x.csv"); // deleting twice is not an error
  expect(await store.exists("product/product-x.csv")).toBe(false);
  await expect(store.get("product/product-x.csv")).rejects.toThrow(
    /no readable object at "product\/product-x.csv"/,
  );
});

test("put replaces a file whole, and temp files (dot-named) are never listed", async () => {
  const dir = root();
  const store = localStore(dir);
  await store.put("a/x.csv", Buffer.from("old"));
  await store.put("a/x.csv", Buffer.from("new"));
  expect(Buffer.from(await store.get("a/x.csv")).toString()).toBe("new");
  mkdirSync(join(dir, "a", ".hidden"), { recursive: true });
  writeFileSync(join(dir, "a", ".x.csv.1234.tmp"), "partial");
  writeFileSync(join(dir, "a", ".hidden", "y.csv"), "partial");
  expect((await all(store.list())).map((o) => o.path)).toEqual(["a/x.csv"]);
});

test("paths that would leave the root are rejected before any I/O", async () => {
  const store = localStore(root());
  const bad = [
    "../x.csv",
    "a/../../x",
    "/etc/passwd",
    "C:/x",
    "a\\b.csv",
    "a/\u0000b",
    "a//b",
    "./a",
    "",
    "a/\nb",
  ];
  for (const path of bad) {
    await expect(store.put(path, Buffer.from("x")), path).rejects.toThrow(RangeError);
    await expect(store.get(path), path).rejects.toThrow();
    expect(() => store.localPath(path), path).toThrow(RangeError);
  }
  expect(() => checkStorePath("../etc")).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: store path "../etc" has a ".." segment]`,
  );
  expect(() => checkStorePath("a\\b")).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: store path "a\\\\b" contains a backslash]`,
  );
  expect(() => checkStorePath("a/\u0007")).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: store path "a/\\u0007" contains a control character]`,
  );
  expect(() => checkStorePath("/abs")).toThrowErrorMatchingInlineSnapshot(
    `[RangeError: store path "/abs" is absolute]`,
  );
  await expect(async () => {
    for await (const _ of store.list("../")) break;
  }).rejects.toThrow(RangeError);
});
