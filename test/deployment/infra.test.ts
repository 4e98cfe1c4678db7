import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { settingsSchema } from "../../examples/azure-function/src/settings.js";

// `terraform validate` needs the azurerm provider, downloaded from the internet: it runs in CI
// (.github/workflows/ci.yml, job infra). Here the configuration is read as text and checked for
// what the deployment depends on, and every reference is checked to resolve.
const dir = join(import.meta.dirname, "..", "..", "infra", "terraform");
const source = readdirSync(dir)
  .filter((f) => f.endsWith(".tf"))
  .map((f) => readFileSync(join(dir, f), "utf8"))
  .join("\n");

/** The body of each top-level `kind "a" "b" {...}` block, by `a.b` (or `a` for variables). */
function blocks(kind: "resource" | "variable" | "output" | "data"): Map<string, string> {
  const found = new Map<string, string>();
  const header = new RegExp(`^${kind} "([^"]+)"(?: "([^"]+)")? \\{`, "gm");
  for (const m of source.matchAll(header)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < source.length; end++) {
      if (source[end] === "{") depth++;
      else if (source[end] === "}" && --depth === 0) break;
    }
    found.set(
      m[2] ? `${m[1]}.${m[2]}` : (m[1] as string),
      source.slice(m.index + m[0].length, end),
    );
  }
  return found;
}

const resources = blocks("resource");
const resource = (name: string) => {
  const body = resources.get(name);
  if (body === undefined) throw new Error(`infra/terraform has no resource ${name}`);
  return body;
};
const attr = (body: string, name: string) =>
  new RegExp(`^\\s*${name}\\s*=\\s*(.+)$`, "m").exec(body)?.[1]?.trim();

test("every var.*, resource and data reference resolves to a declaration", () => {
  const variables = blocks("variable");
  const data = blocks("data");
  for (const [, name] of source.matchAll(/\bvar\.([a-z_]+)/g))
    expect(variables.has(name as string), `var.${name}`).toBe(true);
  for (const [, type, name] of source.matchAll(/(?<!data\.)\b(azurerm_[a-z_]+)\.([a-z_]+)\./g)) {
    expect(resources.has(`${type}.${name}`), `${type}.${name}`).toBe(true);
  }
  for (const [, type, name] of source.matchAll(/\bdata\.([a-z_]+)\.([a-z_]+)/g))
    expect(data.has(`${type}.${name}`), `data.${type}.${name}`).toBe(true);
});

test("the lake is an ADLS Gen2 account taking Entra ID only, with the landing container and the event queue", () => {
  const lake = resource("azurerm_storage_account.lake");
  expect(attr(lake, "is_hns_enabled")).toBe("true");
  expect(attr(lake, "shared_access_key_enabled")).toBe("false");
  expect(attr(lake, "allow_nested_items_to_be_public")).toBe("false");
  expect(attr(lake, "min_tls_version")).toBe('"TLS1_2"');
  expect(attr(resource("azurerm_storage_container.landing"), "storage_account_id")).toBe(
    "azurerm_storage_account.lake.id",
  );
  expect(attr(resource("azurerm_storage_queue.events"), "storage_account_name")).toBe(
    "azurerm_storage_account.lake.name",
  );
});

test("Event Grid sends BlobCreated with data.api FlushWithClose under the landing prefix to the queue, in the Event Grid schema", () => {
  const topic = resource("azurerm_eventgrid_system_topic.lake");
  expect(attr(topic, "topic_type")).toBe('"Microsoft.Storage.StorageAccounts"');
  expect(attr(topic, "source_resource_id")).toBe("azurerm_storage_account.lake.id");
  const sub = resource("azurerm_eventgrid_system_topic_event_subscription.landing_to_queue");
  expect(attr(sub, "included_event_types")).toBe('["Microsoft.Storage.BlobCreated"]');
  expect(attr(sub, "event_delivery_schema")).toBe('"EventGridSchema"');
  expect(attr(sub, "subject_begins_with")).toBe(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform interpolation, read as text
    '"/blobServices/default/containers/${var.landing_container}/blobs/${var.landing_prefix}"',
  );
  expect(sub).toMatch(/string_in \{\s*key\s*=\s*"data\.api"\s*values\s*=\s*var\.publish_apis\s*\}/);
  expect(blocks("variable").get("publish_apis")).toMatch(/default\s*=\s*\["FlushWithClose"\]/);
  expect(sub).toMatch(
    /storage_queue_endpoint \{\s*storage_account_id\s*=\s*azurerm_storage_account\.lake\.id\s*queue_name\s*=\s*azurerm_storage_queue\.events\.name\s*\}/,
  );
  expect(sub).toMatch(/delivery_identity \{\s*type = "SystemAssigned"\s*\}/);
  const send = resource("azurerm_role_assignment.topic_sends_to_queue");
  expect(attr(send, "role_definition_name")).toBe('"Storage Queue Data Message Sender"');
  expect(attr(send, "principal_id")).toBe(
    "azurerm_eventgrid_system_topic.lake.identity[0].principal_id",
  );
});

test("the function app runs Node 20 with its own identity, the roles it needs, and only settings the function reads", () => {
  const app = resource("azurerm_linux_function_app.generator");
  expect(app).toMatch(/identity \{\s*type = "SystemAssigned"\s*\}/);
  expect(app).toMatch(/node_version = "20"/);
  expect(attr(app, "storage_uses_managed_identity")).toBe("true");
  const settings = /app_settings = \{([^}]*)\}/.exec(app)?.[1] ?? "";
  const names = [...settings.matchAll(/^\s*([A-Z_]+)\s*=/gm)].map((m) => m[1] as string);
  const known = Object.keys(settingsSchema.shape);
  expect(names.filter((n) => !known.includes(n))).toEqual([]);
  expect(names).toEqual(
    expect.arrayContaining([
      "RETAIL_MDS_ACCOUNT_URL",
      "RETAIL_MDS_TICK_SCHEDULE",
      "RETAIL_MDS_STORE_KIND",
    ]),
  );
  expect(names).not.toContain("RETAIL_MDS_CONNECTION_STRING");
  const roles = [...resources.entries()]
    .filter(
      ([name, body]) =>
        name.startsWith("azurerm_role_assignment.") &&
        body.includes("azurerm_linux_function_app.generator.identity"),
    )
    .map(([, body]) => `${attr(body, "role_definition_name")} on ${attr(body, "scope")}`)
    .sort();
  expect(roles).toEqual([
    '"Storage Blob Data Contributor" on azurerm_storage_container.landing.id',
    '"Storage Blob Data Owner" on azurerm_storage_account.host.id',
    '"Storage Queue Data Contributor" on azurerm_storage_account.host.id',
  ]);
});

test("Snowflake's principals get read access once their object IDs are given", () => {
  const blob = resource("azurerm_role_assignment.snowflake_reads_landing");
  const queue = resource("azurerm_role_assignment.snowflake_reads_queue");
  expect(attr(blob, "role_definition_name")).toBe('"Storage Blob Data Reader"');
  expect(attr(blob, "count")).toBe('var.snowflake_storage_principal_id == "" ? 0 : 1');
  expect(attr(queue, "role_definition_name")).toBe('"Storage Queue Data Contributor"');
  expect(attr(queue, "count")).toBe('var.snowflake_queue_principal_id == "" ? 0 : 1');
  expect([...blocks("output").keys()].sort()).toEqual([
    "function_app_name",
    "lake_dfs_endpoint",
    "landing_url",
    "queue_url",
    "tenant_id",
  ]);
});
