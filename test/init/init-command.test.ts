import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { expect, test } from "vitest";
import { parse } from "yaml";
import { command as init } from "../../src/cli/init-command.js";
import { findDbt } from "../../src/warehouse/index.js";
import { tempFolder } from "../warehouse/lake-fixture.js";

const root = join(import.meta.dirname, "..", "..");

async function runInit(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => lines.push(parts.join(" "));
  try {
    return { code: await init.run(args), out: lines.join("\n") };
  } finally {
    console.log = log;
  }
}

function filesUnder(dir: string, prefix = ""): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory()
      ? filesUnder(full, `${prefix}${name}/`)
      : [`${prefix}${name}`];
  });
}

test("init writes every part of a project, from the same files as the repository's deployment", async () => {
  const shop = join(tempFolder("init"), "shop");
  const { code, out } = await runInit([shop]);
  expect(code).toBe(0);
  expect(out).toMatch(/files created, 0 overwritten, 0 unchanged, 0 kept/);
  expect(out).toContain("pip install -r requirements.txt");
  for (const path of [
    "README.md",
    "retail-mds.config.mjs",
    ".gitignore",
    ".github/workflows/ci.yml",
    "requirements.txt",
    "dbt/dbt_project.yml",
    "dbt/profiles.yml",
    "dbt/models/gold/fct_sales.sql",
    "dags/retail_mds.py",
    "dags/retail_mds_support/steps.py",
    "azure-function/src/functions/tick.ts",
    "azure-function/host.json",
    "infra/terraform/main.tf",
    "docker-compose.yaml",
    "deploy/airflow/Dockerfile",
  ])
    expect(existsSync(join(shop, path)), path).toBe(true);

  // One source: the dbt project and the DAG are the repository's, byte for byte, minus build
  // output and the repository's own tests.
  const repoDbt = filesUnder(join(root, "dbt")).filter(
    (f) => !/^(target|logs)\/|\.user\.yml/.test(f),
  );
  expect(filesUnder(join(shop, "dbt")).sort()).toEqual(repoDbt.sort());
  for (const f of repoDbt)
    expect(readFileSync(join(shop, "dbt", f)).equals(readFileSync(join(root, "dbt", f))), f).toBe(
      true,
    );
  expect(existsSync(join(shop, "dags", "tests"))).toBe(false);
  expect(readFileSync(join(shop, "dags", "retail_mds.py"), "utf8")).toBe(
    readFileSync(join(root, "dags", "retail_mds.py"), "utf8"),
  );

  // What must differ outside the repository: the library by name, the image from the registry,
  // dbt's pins only.
  const handler = readFileSync(join(shop, "azure-function", "src", "tick-handler.ts"), "utf8");
  expect(handler).not.toContain("../src/");
  expect(handler).toContain('from "retail-mds/generators"');
  expect(handler).toContain('from "retail-mds/lake"');
  const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
  const fn = JSON.parse(readFileSync(join(shop, "azure-function", "package.json"), "utf8"));
  expect(fn.dependencies["retail-mds"]).toBe(`^${version}`);
  expect(existsSync(join(shop, "azure-function", "tick-handler.test.ts"))).toBe(false);
  const dockerfile = readFileSync(join(shop, "deploy", "airflow", "Dockerfile"), "utf8");
  expect(dockerfile).not.toMatch(/COPY src|npx tsup/);
  expect(dockerfile).toContain(`npm pack --silent retail-mds@${version}`);
  expect(dockerfile).toContain("COPY --from=package /build/dist /opt/retail-mds/dist");
  const pins = readFileSync(join(shop, "requirements.txt"), "utf8")
    .split("\n")
    .filter((l) => l && !l.startsWith("#"));
  expect(pins.map((p) => p.split("==")[0])).toEqual([
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "dbt-snowflake",
  ]);
  for (const pin of pins)
    expect(readFileSync(join(root, "requirements.txt"), "utf8")).toContain(pin);

  const schema = JSON.parse(
    readFileSync(join(root, "test", "deployment", "schemas", "github-workflow.json"), "utf8"),
  );
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const workflow = readFileSync(join(shop, ".github", "workflows", "ci.yml"), "utf8");
  expect(validate(parse(workflow)), JSON.stringify(validate.errors)).toBe(true);
  expect(workflow).toContain(`retail-mds@^${version}`);
  expect(readFileSync(join(shop, "README.md"), "utf8")).not.toContain("__RETAIL_MDS_VERSION__");
});

test("re-running init keeps an edited file and says so; --force overwrites it", async () => {
  const shop = tempFolder("init-again");
  await runInit([shop]);
  const model = join(shop, "dbt", "models", "gold", "dim_store.sql");
  const edited = `${readFileSync(model, "utf8")}\n-- our own column comes here\n`;
  writeFileSync(model, edited);

  const again = await runInit([shop]);
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/0 files created, 0 overwritten, \d+ unchanged, 1 kept/);
  expect(again.out).toContain(
    "kept (they differ from the package's; --force overwrites them):\n  dbt/models/gold/dim_store.sql",
  );
  expect(readFileSync(model, "utf8")).toBe(edited);

  const forced = await runInit([shop, "--force"]);
  expect(forced.out).toMatch(/0 files created, 1 overwritten/);
  expect(readFileSync(model, "utf8")).toBe(
    readFileSync(join(root, "dbt", "models", "gold", "dim_store.sql"), "utf8"),
  );
});

test("a folder that is a file, or two folders, is a usage error before anything is written", async () => {
  const file = join(tempFolder("init-file"), "shop");
  writeFileSync(file, "not a folder");
  await expect(init.run([file])).rejects.toThrow(`init: ${file} exists and is not a folder`);
  await expect(init.run(["a", "b"])).rejects.toThrow("init: one folder at most; got a, b");
  await expect(init.run(["--forse"])).rejects.toThrow(/init: Unknown option '--forse'/);
});

test("in a new project without dbt, the error says the exact commands that install it", async () => {
  const shop = tempFolder("init-no-dbt");
  await runInit([shop]);
  expect(() => findDbt({ projectDir: join(shop, "dbt"), cwd: shop, env: { PATH: "" } })).toThrow(
    `install it: cd ${shop} && python3 -m venv .venv && .venv/bin/pip install -r requirements.txt (the pinned dbt)`,
  );
});

test("init's next steps say what the folder's .venv still needs, never to create one that is there", async () => {
  const nextOf = (out: string) => out.slice(out.indexOf("\nnext:"));
  const fresh = await runInit([tempFolder("init-venv-none")]);
  expect(nextOf(fresh.out)).toContain(
    "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt",
  );

  // A venv without dbt: install into it.
  const bare = tempFolder("init-venv-bare");
  mkdirSync(join(bare, ".venv", "bin"), { recursive: true });
  writeFileSync(join(bare, ".venv", "pyvenv.cfg"), "home = /usr/bin\n");
  const intoBare = nextOf((await runInit([bare])).out);
  expect(intoBare).not.toContain("python3 -m venv");
  expect(intoBare).toMatch(
    /^ {2}\.venv\/bin\/pip install -r requirements\.txt +# dbt, pinned, into the \.venv here$/m,
  );

  // A venv with dbt: the demo finds it; the pins are the only thing left to offer.
  const ready = tempFolder("init-venv-dbt");
  mkdirSync(join(ready, ".venv", "bin"), { recursive: true });
  writeFileSync(join(ready, ".venv", "pyvenv.cfg"), "home = /usr/bin\n");
  writeFileSync(join(ready, ".venv", "bin", "dbt"), "#!/bin/sh\n", { mode: 0o755 });
  const withDbt = nextOf((await runInit([ready])).out);
  expect(withDbt).not.toContain("python3 -m venv");
  expect(withDbt).toMatch(
    /^ {2}\.venv\/bin\/pip install -r requirements\.txt +# dbt is in \.venv already/m,
  );

  // Something else named .venv: say so rather than suggest a command that would mix into it.
  const other = tempFolder("init-venv-other");
  mkdirSync(join(other, ".venv"));
  const notVenv = nextOf((await runInit([other])).out);
  expect(notVenv).toContain(".venv is here but is not a Python venv (no .venv/pyvenv.cfg)");
});
