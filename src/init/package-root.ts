import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder of the installed retail-mds package (or of this repository, run from source). */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): {
  readonly root: string;
  readonly version: string;
} {
  // dist/cli.js, a dist/ chunk, or src/init/*.ts: walk up to the package.json that names us.
  for (let dir = dirname(from); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string };
    if (pkg.name === "retail-mds") return { root: dir, version: pkg.version ?? "0.0.0" };
  }
  throw new Error(`retail-mds: cannot find the package's own package.json above ${from}`);
}
