import { expect, test } from "vitest";
import {
  connectionFromEnv,
  copyHistorySql,
  DdlError,
  parseCopyHistory,
  parsePipeStatus,
  pipeStatus,
  pipeStatusSql,
  type Row,
  refreshPipe,
  SecretRedactor,
  type SqlRunner,
} from "../../src/snowflake/index.js";

const pipe = { database: "RETAIL", schema: "RAW", name: "SALE_LINE_PIPE" };

// Snowflake's functions cannot run here (fakesnow has no pipes): a runner that answers with
// documented result shapes and records the SQL it was sent.
function recordingRunner(answer: Row[]): SqlRunner & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    query: async (sql) => {
      sent.push(sql);
      return answer;
    },
    close: async () => {},
    redact: (t) => t,
  };
}

test("pipeStatus() parses SYSTEM$PIPE_STATUS JSON into a typed object", async () => {
  const json =
    '{"executionState":"RUNNING","pendingFileCount":3,"lastIngestedTimestamp":"2026-11-24T10:00:01.123Z","lastIngestedFilePath":"sale_line/dt=2026-11-24/hour=09/sale_line-20261124T0900Z-20261124T0905Z-00001.parquet","notificationChannelName":"https://retaillake.queue.core.windows.net/events","numOutstandingMessagesOnChannel":"2","lastReceivedMessageTimestamp":"2026-11-24T10:00:00Z"}';
  const runner = recordingRunner([{ STATUS: json }]);
  const status = await pipeStatus(runner, pipe);
  expect(runner.sent[0]).toBe(pipeStatusSql(pipe));
  expect(runner.sent).toMatchInlineSnapshot(`
    [
      "SELECT SYSTEM$PIPE_STATUS('RETAIL.RAW.SALE_LINE_PIPE') AS STATUS",
    ]
  `);
  expect(status).toMatchInlineSnapshot(`
    {
      "executionState": "RUNNING",
      "lastIngestedFilePath": "sale_line/dt=2026-11-24/hour=09/sale_line-20261124T0900Z-20261124T0905Z-00001.parquet",
      "lastIngestedTimestamp": "2026-11-24T10:00:01.123Z",
      "lastReceivedMessageTimestamp": "2026-11-24T10:00:00Z",
      "notificationChannelName": "https://retaillake.queue.core.windows.net/events",
      "numOutstandingMessagesOnChannel": 2,
      "pendingFileCount": 3,
    }
  `);
  expect(() => parsePipeStatus("not json")).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: pipe "pipe": SYSTEM$PIPE_STATUS did not return JSON: not json]`,
  );
  expect(() => parsePipeStatus('{"pendingFileCount":0}')).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: pipe "pipe" (executionState): unexpected SYSTEM$PIPE_STATUS: Invalid input: expected string, received undefined]`,
  );
});

test("copyHistory() SQL and typed rows", () => {
  expect(
    copyHistorySql(
      { database: "RETAIL", schema: "RAW", name: "sale_line" },
      "2026-11-24T00:00:00Z",
    ),
  ).toMatchInlineSnapshot(
    `"SELECT * FROM TABLE(RETAIL.INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'RETAIL.RAW.SALE_LINE', START_TIME => '2026-11-24T00:00:00.000Z'::TIMESTAMP_LTZ)) ORDER BY LAST_LOAD_TIME"`,
  );
  expect(() => copyHistorySql(pipe, "last week")).toThrow(DdlError);
  const rows = parseCopyHistory([
    {
      FILE_NAME: "sale_line/a.parquet",
      STAGE_LOCATION: "azure://retaillake.blob.core.windows.net/lake/",
      LAST_LOAD_TIME: new Date("2026-11-24T10:00:00Z"),
      ROW_COUNT: 500,
      ROW_PARSED: 500,
      FILE_SIZE: 12345,
      FIRST_ERROR_MESSAGE: null,
      ERROR_COUNT: 0,
      ERROR_LIMIT: 1,
      STATUS: "Loaded",
      TABLE_NAME: "SALE_LINE",
      PIPE_NAME: "SALE_LINE_PIPE",
    },
    {
      FILE_NAME: "sale_line/b.parquet",
      ROW_COUNT: 0,
      ROW_PARSED: 10,
      FIRST_ERROR_MESSAGE: "Numeric value 'x' is not recognized",
      FIRST_ERROR_LINE_NUMBER: 3,
      FIRST_ERROR_COLUMN_NAME: '"SALE_LINE"["QUANTITY":7]',
      ERROR_COUNT: 1,
      STATUS: "Load failed",
    },
  ]);
  expect(rows).toMatchInlineSnapshot(`
    [
      {
        "errorCount": 0,
        "errorLimit": 1,
        "fileName": "sale_line/a.parquet",
        "fileSize": 12345,
        "firstErrorColumn": undefined,
        "firstErrorLine": undefined,
        "firstErrorMessage": undefined,
        "lastLoadTime": "2026-11-24T10:00:00.000Z",
        "pipeName": "SALE_LINE_PIPE",
        "pipeReceivedTime": undefined,
        "rowCount": 500,
        "rowParsed": 500,
        "stageLocation": "azure://retaillake.blob.core.windows.net/lake/",
        "status": "Loaded",
        "tableName": "SALE_LINE",
      },
      {
        "errorCount": 1,
        "errorLimit": undefined,
        "fileName": "sale_line/b.parquet",
        "fileSize": undefined,
        "firstErrorColumn": ""SALE_LINE"["QUANTITY":7]",
        "firstErrorLine": 3,
        "firstErrorMessage": "Numeric value 'x' is not recognized",
        "lastLoadTime": undefined,
        "pipeName": undefined,
        "pipeReceivedTime": undefined,
        "rowCount": 0,
        "rowParsed": 10,
        "stageLocation": undefined,
        "status": "Load failed",
        "tableName": undefined,
      },
    ]
  `);
  expect(() => parseCopyHistory([{ STATUS: "Loaded" }])).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: copy history (FILE_NAME): row 1: Invalid input: expected string, received undefined]`,
  );
});

test("refreshPipe() runs ALTER PIPE ... REFRESH and returns the queued files", async () => {
  const runner = recordingRunner([{ File: "sale_line/a.parquet", Status: "SENT" }]);
  expect(await refreshPipe(runner, pipe, { modifiedAfter: "2026-11-24T00:00:00Z" })).toEqual([
    { file: "sale_line/a.parquet", status: "SENT" },
  ]);
  expect(runner.sent).toMatchInlineSnapshot(`
    [
      "ALTER PIPE RETAIL.RAW.SALE_LINE_PIPE REFRESH MODIFIED_AFTER = '2026-11-24T00:00:00.000Z'",
    ]
  `);
});

test("connection settings come from SNOWFLAKE_* variables, one way to authenticate", () => {
  // The passphrase is there for the driver, masked wherever the settings are printed.
  expect(
    connectionFromEnv({
      SNOWFLAKE_ACCOUNT: "org-acct",
      SNOWFLAKE_USER: "loader",
      SNOWFLAKE_PRIVATE_KEY_PATH: "/keys/rsa.p8",
      SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: "pw",
    }).auth,
  ).toHaveProperty("privateKeyPassphrase", "pw");
  expect(
    connectionFromEnv({
      SNOWFLAKE_ACCOUNT: "org-acct",
      SNOWFLAKE_USER: "loader",
      SNOWFLAKE_PRIVATE_KEY_PATH: "/keys/rsa.p8",
      SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: "pw",
      SNOWFLAKE_ROLE: "RETAIL_LOADER",
    }),
  ).toMatchInlineSnapshot(`
    {
      "account": "org-acct",
      "auth": {
        "kind": "key-pair",
        "privateKeyPassphrase": "***",
        "privateKeyPath": "/keys/rsa.p8",
      },
      "role": "RETAIL_LOADER",
      "username": "loader",
    }
  `);
  expect(
    connectionFromEnv({ SNOWFLAKE_ACCOUNT: "org-acct", SNOWFLAKE_OAUTH_TOKEN: "tok" }).auth.kind,
  ).toBe("oauth");
  expect(() =>
    connectionFromEnv({ SNOWFLAKE_USER: "u", SNOWFLAKE_PASSWORD: "p" }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: connection (SNOWFLAKE_ACCOUNT): set SNOWFLAKE_ACCOUNT]`,
  );
  expect(() =>
    connectionFromEnv({ SNOWFLAKE_ACCOUNT: "a", SNOWFLAKE_USER: "u" }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: connection (auth): set one of SNOWFLAKE_PASSWORD, SNOWFLAKE_PRIVATE_KEY_PATH or SNOWFLAKE_OAUTH_TOKEN]`,
  );
  // Two ways at once is refused, and the error never carries the values.
  let message = "";
  try {
    connectionFromEnv({
      SNOWFLAKE_ACCOUNT: "a",
      SNOWFLAKE_USER: "u",
      SNOWFLAKE_PASSWORD: "hunter2-secret",
      SNOWFLAKE_OAUTH_TOKEN: "token-secret",
    });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toMatchInlineSnapshot(
    `"connection (auth): set only one way to authenticate; found SNOWFLAKE_PASSWORD, SNOWFLAKE_OAUTH_TOKEN"`,
  );
  expect(message).not.toMatch(/hunter2|token-secret/);
});

test("the redactor replaces every secret, longest first", () => {
  const r = new SecretRedactor(["hunter2-secret", "hunter2-secret-longer", undefined, "ab"]);
  expect(r.redact("pw=hunter2-secret-longer and hunter2-secret, ab stays")).toMatchInlineSnapshot(
    `"pw=*** and ***, ab stays"`,
  );
});
