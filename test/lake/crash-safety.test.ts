import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, expect, test } from "vitest";
import { type LakeObject, localStore } from "../../src/lake/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const roots: string[] = [];
// The killed write leaves up to 512 MB of temp file behind.
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

test("a process killed in the middle of a write leaves no visible partial file", async () => {
  const root = mkdtempSync(join(tmpdir(), "lake-crash-"));
  roots.push(root);
  const path = "sale_line/dt=2026-11-01/hour=08/sale_line-20261101T0800Z-20261101T0805Z-00001.csv";
  const folder = join(root, "sale_line", "dt=2026-11-01", "hour=08");
  const megabytes = 512;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(here, "crash-child.ts"), root, path, String(megabytes)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  // Kill as soon as the temp file holds some bytes, well before all of them are written.
  let tempSize = 0;
  for (let i = 0; i < 60_000 && tempSize === 0; i++) {
    const temp = safeList(folder).find((name) => name.startsWith("."));
    if (temp) tempSize = statSync(join(folder, temp), { throwIfNoEntry: false })?.size ?? 0;
    else await new Promise((resolve) => setTimeout(resolve, 1));
  }
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  expect(output).not.toContain("published");

  const leftovers = safeList(folder);
  expect(leftovers.length).toBe(1);
  expect(leftovers[0]).toMatch(/^\.sale_line-.*\.csv\.[0-9a-f-]{36}\.tmp$/);
  expect(statSync(join(folder, leftovers[0] as string)).size).toBeLessThan(megabytes * 1024 * 1024);

  const store = localStore(root);
  const listed: LakeObject[] = [];
  for await (const object of store.list()) listed.push(object);
  expect(listed).toEqual([]);
  expect(await store.exists(path)).toBe(false);
  // A re-run publishes the file whole; the dead temp file stays invisible.
  await store.put(path, Buffer.from("sku\r\nP000001\r\n"));
  const after: string[] = [];
  for await (const object of store.list()) after.push(object.path);
  expect(after).toEqual([path]);
});

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}
