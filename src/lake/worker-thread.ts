import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker thread whose entry is `./<name>.<ext>` next to the module at `here` (pass
 * `import.meta.url`): `dist/<name>.js` beside the ESM chunks, `dist/<name>.cjs` beside the CJS
 * ones (tsup shims import.meta.url there), the built CLI's `dist/cli.js` finds it beside itself,
 * and `src/<area>/<name>.ts` when the sources run under tsx or Vitest. Each such entry is built
 * as its own file (tsup.config.ts).
 */
export function startWorkerThread(
  here: string,
  name: string,
  options: Pick<WorkerOptions, "workerData" | "transferList"> = {},
): Worker {
  const ts = here.endsWith(".ts");
  const extension = ts ? "ts" : here.endsWith(".cjs") ? "cjs" : "js";
  const url = new URL(`./${name}.${extension}`, here);
  return ts ? new Worker(tsxBootstrap(url), { ...options, eval: true }) : new Worker(url, options);
}

// From the sources, the worker registers tsx's loader before importing its TypeScript entry
// (Node 20 ignores --import in a worker's execArgv). tsx is a development dependency: this path
// is only taken where the sources themselves run.
function tsxBootstrap(url: URL): string {
  return `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
}

// Resolved here, not in the worker: an eval'ed worker resolves a bare specifier from the working
// folder, where there is no tsx when the CLI runs from the sources in another folder (tests).
// Not with import.meta.resolve, which the CJS build keeps as written (a syntax error that broke
// require("retail-mds")), nor require.resolve, which picks tsx's CJS API (it cannot register
// the ESM loader): tsx's own export map names its ESM API.
function tsxApi(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const { exports } = require(manifest) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = exports["./esm/api"]?.import?.default;
  return entry ? pathToFileURL(join(dirname(manifest), entry)).href : "tsx/esm/api";
}
