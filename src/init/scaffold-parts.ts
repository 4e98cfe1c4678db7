/**
 * What `retail-mds init` copies into a project, and from where in the installed package. The
 * repository's own reference deployment (dbt/, dags/, examples/azure-function/, infra/, the
 * Airflow image) is the one source: the package ships those folders (`files` in package.json) and
 * init copies them, adapting only what must differ outside this repository (see adapt.ts).
 */
export interface ScaffoldPart {
  /** Path in the package (a folder or a file). */
  readonly from: string;
  /** Path in the project. */
  readonly to: string;
  /** Paths under `from` never copied: build output, caches, this repository's own tests. */
  readonly skip?: RegExp;
}

export const SCAFFOLD_PARTS: readonly ScaffoldPart[] = [
  { from: "scaffold/README.md", to: "README.md" },
  { from: "scaffold/retail-mds.config.mjs", to: "retail-mds.config.mjs" },
  { from: "scaffold/gitignore", to: ".gitignore" },
  { from: "scaffold/ci.yml", to: ".github/workflows/ci.yml" },
  { from: "requirements.txt", to: "requirements.txt" },
  { from: "dbt", to: "dbt", skip: /^(target|logs|dbt_packages)(\/|$)|^\.user\.yml$/ },
  { from: "dags", to: "dags", skip: /^tests(\/|$)|(^|\/)__pycache__(\/|$)/ },
  {
    from: "examples/azure-function",
    to: "azure-function",
    skip: /^(node_modules|dist)(\/|$)|\.test\.ts$|^local\.settings\.json$/,
  },
  { from: "infra", to: "infra", skip: /(^|\/)\.terraform(\/|$)|\.tfstate/ },
  { from: "docker-compose.yaml", to: "docker-compose.yaml" },
  { from: "deploy/airflow", to: "deploy/airflow" },
];
