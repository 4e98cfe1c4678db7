import { expect, test } from "vitest";
import {
  encodeRewriteNotice,
  type RewriteNotice,
  rewriteNoticePath,
  rewrittenBetween,
} from "../../src/lake/index.js";
import { judgeVersion } from "../../src/warehouse/file-identity.js";

const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);
const v = (contentHash: string, status: Parameters<typeof judgeVersion>[0][number]["status"]) => ({
  contentHash,
  status,
  firstError: undefined,
});

test("the path is the identity: loaded bytes are known, other bytes under a loaded path are a change", () => {
  expect(judgeVersion([], A)).toEqual({ kind: "new" });
  expect(judgeVersion([v(A, "LOADED")], A)).toMatchObject({ kind: "known", status: "LOADED" });
  expect(judgeVersion([v(A, "PARTIALLY_LOADED")], B)).toEqual({ kind: "changed", loadedHash: A });
  // A conflict recorded for B: the loaded A still decides, and A's bytes back end it.
  expect(judgeVersion([v(A, "LOADED"), v(B, "CONFLICT")], B)).toEqual({
    kind: "changed",
    loadedHash: A,
  });
  expect(judgeVersion([v(A, "LOADED"), v(B, "CONFLICT")], A)).toMatchObject({ kind: "known" });
  // Nothing in RAW: the same failed bytes are known (still failed), fixed bytes are new.
  expect(judgeVersion([v(A, "LOAD_FAILED")], A)).toMatchObject({
    kind: "known",
    status: "LOAD_FAILED",
  });
  expect(judgeVersion([v(A, "LOAD_FAILED")], B)).toEqual({ kind: "new" });
});

test("rewrite notices chain versions of one file, and explain nothing else", async () => {
  const file =
    "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0900Z-00001.parquet";
  const notice = (from: string, to: string, of = file): RewriteNotice => ({
    file: of,
    from,
    to,
    removed: 1,
    reason: "quarantine",
    quarantine: [],
  });
  const lake = new Map<string, Uint8Array>([
    [rewriteNoticePath(file, A), encodeRewriteNotice(notice(A, B))],
    [rewriteNoticePath(file, B), encodeRewriteNotice(notice(B, C))],
  ]);
  const read = async (path: string) => lake.get(path);
  expect(await rewrittenBetween(file, A, B, read)).toBe(true);
  expect(await rewrittenBetween(file, A, C, read)).toBe(true);
  expect(await rewrittenBetween(file, B, A, read)).toBe(false);
  expect(await rewrittenBetween(file, C, A, read)).toBe(false);
  // A notice stored under this file's name but written for another file explains nothing.
  const other =
    "sale_line/dt=2026-11-01/hour=09/sale_line-20261101T0900Z-20261101T1000Z-00001.parquet";
  lake.set(rewriteNoticePath(file, C), encodeRewriteNotice(notice(C, A, other)));
  expect(await rewrittenBetween(file, C, A, read)).toBe(false);
  lake.set(rewriteNoticePath(file, C), new TextEncoder().encode("not json"));
  expect(await rewrittenBetween(file, C, A, read)).toBe(false);
});
