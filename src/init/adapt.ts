/**
 * The few edits a copied file needs outside this repository, each keyed by its project path. Kept
 * to what cannot be the same in both places: imports of the library by path instead of by name,
 * and building the package from source instead of installing it.
 */
export function adaptForProject(to: string, text: string, version: string): string {
  if (to === "requirements.txt") return dbtRequirements(text);
  if (to === "azure-function/package.json") return withLibraryDependency(text, version);
  if (to.startsWith("azure-function/src/") && to.endsWith(".ts")) return importByName(text);
  if (to === "deploy/airflow/Dockerfile") return installedPackageStage(text, version);
  if (to === "README.md" || to === ".github/workflows/ci.yml")
    return text.replaceAll("__RETAIL_MDS_VERSION__", version);
  return text;
}

/** The project's venv needs dbt and its adapters only; the pins are the repository's. */
function dbtRequirements(text: string): string {
  const pins = text.split("\n").filter((line) => /^(duckdb|dbt-[a-z]+)==/.test(line));
  return `# dbt for this project, pinned as in the retail-mds package it was scaffolded from.\n# duckdb is pinned to the engine of @duckdb/node-api so the CLI and dbt read the same file.\n#   python3 -m venv .venv && .venv/bin/pip install -r requirements.txt\n${pins.join("\n")}\n`;
}

/** In the repository the function bundles the library from src/; a project imports the package. */
function importByName(text: string): string {
  return text.replace(/(["'])(?:\.\.\/)+src\/([a-z-]+)\/index\.js\1/g, "$1retail-mds/$2$1");
}

function withLibraryDependency(text: string, version: string): string {
  const pkg = JSON.parse(text) as { dependencies?: Record<string, string> };
  pkg.dependencies = Object.fromEntries(
    Object.entries({ ...pkg.dependencies, "retail-mds": `^${version}` }).sort(([a], [b]) =>
      a.localeCompare(b),
    ),
  );
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const PACKAGE_STAGE = /# --- the package:[^\n]*\n[\s\S]*?(?=\n# --- )/;

/** The image installs the published package instead of building this repository's src/. */
function installedPackageStage(text: string, version: string): string {
  if (!PACKAGE_STAGE.test(text))
    throw new Error("deploy/airflow/Dockerfile: the package stage marker is missing");
  return text.replace(
    PACKAGE_STAGE,
    `# --- the package: retail-mds ${version} from the npm registry, production dependencies only ---
FROM node:20-bookworm-slim AS package
WORKDIR /build
RUN npm pack --silent retail-mds@${version} \\
 && tar -xzf retail-mds-${version}.tgz --strip-components=1 && rm retail-mds-${version}.tgz \\
 && npm install --omit=dev --no-audit --no-fund --loglevel=error
`,
  );
}
