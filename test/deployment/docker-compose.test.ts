import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect, test } from "vitest";
import { parse } from "yaml";

// No Docker engine (nor the compose plugin) here: the file is checked against the Compose
// Specification schema and for the structure production needs; `docker compose config` runs in
// docs/deploy.md's first step wherever Docker is installed.
const root = join(import.meta.dirname, "..", "..");
const text = readFileSync(join(root, "docker-compose.yaml"), "utf8");
// Compose resolves `<<:` merge keys; YAML 1.2 needs them asked for.
const compose = parse(text, { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
}
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "schemas", "compose-spec.json"), "utf8"),
);
const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(
  schema,
);
const airflow = Object.entries(compose.services).filter(([name]) => name.startsWith("airflow-"));

test("docker-compose.yaml validates against the Compose Specification schema", () => {
  const ok = validate(compose);
  expect(ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
});

test("the compose schema check catches a broken service", () => {
  const broken = structuredClone(compose) as unknown as {
    services: Record<string, Record<string, unknown>>;
  };
  (broken.services.postgres as Record<string, unknown>).healthcheck = {
    test: "pg_isready",
    interval: 10,
  };
  (broken.services.postgres as Record<string, unknown>).restart_policy = "always";
  expect(validate(broken)).toBe(false);
});

test("Airflow runs as in production: PostgreSQL metadata database, every Airflow 3 component, one image", () => {
  expect(airflow.map(([name]) => name).sort()).toEqual([
    "airflow-apiserver",
    "airflow-dag-processor",
    "airflow-init",
    "airflow-scheduler",
    "airflow-triggerer",
  ]);
  expect(compose.services.postgres?.image).toMatch(/^postgres:\d+$/);
  expect(compose.services.postgres?.healthcheck?.test).toEqual([
    "CMD",
    "pg_isready",
    "-U",
    "airflow",
  ]);
  for (const [name, service] of airflow) {
    expect({ name, image: service.image, build: service.build }).toEqual({
      name,
      image: "retail-mds-airflow:latest",
      build: { context: ".", dockerfile: "deploy/airflow/Dockerfile" },
    });
    const env = service.environment ?? {};
    expect(env.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN).toMatch(
      /^postgresql\+psycopg2:\/\/airflow:.*@postgres:5432\/airflow$/,
    );
    expect(env.AIRFLOW__CORE__EXECUTOR).toBe("LocalExecutor");
    expect(env.AIRFLOW__CORE__EXECUTION_API_SERVER_URL).toBe(
      "http://airflow-apiserver:8080/execution/",
    );
    expect(service.depends_on?.postgres).toEqual({ condition: "service_healthy" });
    if (name !== "airflow-init")
      expect(service.depends_on?.["airflow-init"]).toEqual({
        condition: "service_completed_successfully",
      });
    expect(service.volumes).toEqual(
      expect.arrayContaining([
        "lake:/data/lake",
        "warehouse:/data/warehouse",
        "reports:/data/reports",
      ]),
    );
  }
  expect(Object.keys(compose.volumes).sort()).toEqual([
    "airflow-auth",
    "lake",
    "postgres",
    "reports",
    "warehouse",
  ]);
});

// Compose's `${NAME:?message}`: the variable is required, and compose stops with the message.
const required = (name: string) => `$\{${name}:?set ${name}}`;

test("no secret is written into the compose file: each is required from the environment", () => {
  const env = compose.services["airflow-scheduler"]?.environment ?? {};
  expect(env.AIRFLOW__CORE__FERNET_KEY).toBe(required("AIRFLOW_FERNET_KEY"));
  expect(env.AIRFLOW__API_AUTH__JWT_SECRET).toBe(required("AIRFLOW_JWT_SECRET"));
  expect(compose.services["airflow-init"]?.environment?.AIRFLOW_ADMIN_PASSWORD).toBe(
    required("AIRFLOW_ADMIN_PASSWORD"),
  );
});

test("the image pins the Airflow and dbt versions of requirements.txt and carries the DAGs, dbt and the CLI", () => {
  const dockerfile = readFileSync(join(root, "deploy", "airflow", "Dockerfile"), "utf8");
  const requirements = readFileSync(join(root, "requirements.txt"), "utf8");
  const airflowPin = /^apache-airflow==(\S+)$/m.exec(requirements)?.[1];
  const pythonMinor = execFileSync(join(root, ".venv", "bin", "python"), [
    "-c",
    "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1]}')",
  ])
    .toString()
    .trim();
  expect(dockerfile).toContain(`FROM apache/airflow:${airflowPin}-python${pythonMinor}\n`);
  expect(dockerfile).toContain(
    "grep -E '^(duckdb|dbt-core|dbt-duckdb|dbt-snowflake)==' /tmp/requirements.txt",
  );
  for (const pin of ["duckdb", "dbt-core", "dbt-duckdb", "dbt-snowflake"])
    expect(requirements).toMatch(new RegExp(`^${pin}==`, "m"));
  expect(dockerfile).toContain("COPY --chown=airflow:0 dags /opt/airflow/dags\n");
  expect(dockerfile).toContain("COPY --chown=airflow:0 dbt /opt/retail-mds/dbt\n");
  expect(dockerfile).toContain("exec node /opt/retail-mds/dist/cli.js");
  const ignore = readFileSync(join(root, "deploy", "airflow", "Dockerfile.dockerignore"), "utf8");
  expect(ignore.split("\n").filter((l) => l.startsWith("!"))).toEqual([
    "!package.json",
    "!package-lock.json",
    "!tsconfig.json",
    "!tsup.config.ts",
    "!src/**",
    "!requirements.txt",
    "!dbt/**",
    "!dags/**",
  ]);
});
