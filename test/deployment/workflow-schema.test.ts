import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { expect, test } from "vitest";
import { parse } from "yaml";

const root = join(import.meta.dirname, "..", "..");
const workflows = join(root, ".github", "workflows");
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "schemas", "github-workflow.json"), "utf8"),
);
// strict: false because SchemaStore schemas carry keywords Ajv does not know ($comment-like extras).
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

function load(name: string): Record<string, unknown> {
  return parse(readFileSync(join(workflows, name), "utf8"));
}

function errorsOf(doc: unknown): string[] {
  return validate(doc)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

test("every workflow file validates against the GitHub Actions workflow schema", () => {
  const files = readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f));
  expect(files.sort()).toEqual(["ci.yml", "release.yml"]);
  for (const file of files)
    expect({ file, errors: errorsOf(load(file)) }).toEqual({ file, errors: [] });
});

test("the schema check catches a broken workflow", () => {
  const broken = load("ci.yml") as { jobs: Record<string, Record<string, unknown>> };
  const check = broken.jobs.check as Record<string, unknown>;
  check["runs-on"] = undefined;
  check.step = check.steps;
  check.steps = undefined;
  expect(errorsOf(JSON.parse(JSON.stringify(broken)))).not.toEqual([]);
});

test("CI runs lint, typecheck, build, publint and attw, every test suite, the dbt build and the DAG tests", () => {
  const ci = load("ci.yml") as { jobs: Record<string, { steps: { run?: string }[] }> };
  const commands = Object.values(ci.jobs).flatMap((job) =>
    job.steps.map((s) => s.run).filter(Boolean),
  );
  expect(commands).toEqual(
    expect.arrayContaining([
      "make setup",
      "npm run lint",
      "npm run typecheck",
      "make build",
      "npm run check:package",
      "make test",
      "make demo",
      ".venv/bin/dbt build --project-dir dbt --profiles-dir dbt --target local",
      ".venv/bin/python -m pytest -q dags/tests",
      "terraform fmt -check -recursive",
      "terraform init -backend=false -input=false && terraform validate",
    ]),
  );
});

test("release versions or publishes through changesets with the least permissions it needs", () => {
  const release = load("release.yml") as {
    permissions: unknown;
    jobs: {
      release: { permissions: unknown; steps: { uses?: string; with?: Record<string, string> }[] };
    };
  };
  expect(release.permissions).toEqual({ contents: "read" });
  expect(release.jobs.release.permissions).toEqual({
    contents: "write",
    "pull-requests": "write",
    "id-token": "write",
  });
  const step = release.jobs.release.steps.find((s) => s.uses?.startsWith("changesets/action@"));
  expect(step?.with).toMatchObject({
    version: "npx changeset version",
    publish: "npm run release",
  });
});
