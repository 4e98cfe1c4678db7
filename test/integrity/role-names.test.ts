import fc from "fast-check";
import { expect, test } from "vitest";
import { type DdlNode, snowpipePlan, storedName } from "../../src/snowflake/index.js";

const config = {
  account: "retaillake",
  container: "lake",
  queueUrl: "https://retaillake.queue.core.windows.net/snowpipe-events",
  tenantId: "11111111-2222-3333-4444-555555555555",
} as const;

// The account-level names a plan creates: roles and integrations are shared by every database.
function accountNames(database: string): string[] {
  return snowpipePlan({ ...config, database })
    .filter((n: DdlNode) =>
      ["role", "storage-integration", "notification-integration"].includes(n.kind),
    )
    .map((n) => storedName((n as { name: string }).name));
}

test("issue 12 #12: different databases never share roles or integrations", () => {
  const pairs = [
    ["日本", "中国"],
    ["RET'AIL", 'RET"AIL'],
    ["my-db", "MY_DB"],
    ["a b", "a_b"],
    // A plain name that looks like a sanitised one.
    ["RET'AIL", "RET_AIL_E8AF834D"],
  ];
  for (const [a, b] of pairs) {
    const shared = accountNames(a as string).filter((n) => accountNames(b as string).includes(n));
    expect(shared, `${a} and ${b}`).toEqual([]);
  }
  // Over any two names Snowflake stores differently (`retail` and `RETAIL` are one database).
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ minLength: 1, maxLength: 40 }),
      (a, b) => {
        fc.pre(storedName(a) !== storedName(b));
        const left = new Set(accountNames(a));
        expect(accountNames(b).filter((n) => left.has(n))).toEqual([]);
      },
    ),
    { numRuns: 300 },
  );
});

test("issue 12 #12: a plain name keeps its readable roles; a sanitised one gets a stable hash", () => {
  expect(accountNames("retail")).toEqual(accountNames("RETAIL"));
  expect({
    RETAIL: accountNames("RETAIL"),
    日本: accountNames("日本"),
    "RET'AIL": accountNames("RET'AIL"),
    'RET"AIL': accountNames('RET"AIL'),
    "2026-sales": accountNames("2026-sales"),
  }).toMatchInlineSnapshot(`
    {
      "2026-sales": [
        "DB_2026_SALES_0D9B20D1_LOADER",
        "DB_2026_SALES_0D9B20D1_TRANSFORMER",
        "DB_2026_SALES_0D9B20D1_REPORTER",
        "DB_2026_SALES_0D9B20D1_LAKE",
        "DB_2026_SALES_0D9B20D1_LAKE_EVENTS",
      ],
      "RET"AIL": [
        "RET_AIL_58C9DE12_LOADER",
        "RET_AIL_58C9DE12_TRANSFORMER",
        "RET_AIL_58C9DE12_REPORTER",
        "RET_AIL_58C9DE12_LAKE",
        "RET_AIL_58C9DE12_LAKE_EVENTS",
      ],
      "RET'AIL": [
        "RET_AIL_E8AF834D_LOADER",
        "RET_AIL_E8AF834D_TRANSFORMER",
        "RET_AIL_E8AF834D_REPORTER",
        "RET_AIL_E8AF834D_LAKE",
        "RET_AIL_E8AF834D_LAKE_EVENTS",
      ],
      "RETAIL": [
        "RETAIL_LOADER",
        "RETAIL_TRANSFORMER",
        "RETAIL_REPORTER",
        "RETAIL_LAKE",
        "RETAIL_LAKE_EVENTS",
      ],
      "日本": [
        "DB_CF2ABF0C_LOADER",
        "DB_CF2ABF0C_TRANSFORMER",
        "DB_CF2ABF0C_REPORTER",
        "DB_CF2ABF0C_LAKE",
        "DB_CF2ABF0C_LAKE_EVENTS",
      ],
    }
  `);
  // Every derived name is a plain identifier, usable unquoted in USE ROLE and in a profile.
  for (const db of ["日本", "RET'AIL", "2026-sales", "x".repeat(255)])
    for (const name of accountNames(db)) expect(name).toMatch(/^[A-Z_][A-Z0-9_$]{0,254}$/);
});
