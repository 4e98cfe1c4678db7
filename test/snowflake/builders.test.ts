import { expect, test } from "vitest";
import { customer, saleLine } from "../../src/entities/index.js";
import {
  applyMasking,
  assertOneIntegrationPerQueue,
  copyInto,
  createDatabase,
  createPipe,
  createSchema,
  createStage,
  createTable,
  csvFileFormat,
  entityCopy,
  grant,
  grantRole,
  maskingPolicy,
  notificationIntegration,
  parquetFileFormat,
  pausePipeNode,
  refreshPipeNode,
  renderNode,
  role,
  snowflakeRawTable,
  storageIntegration,
} from "../../src/snowflake/index.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const at = (name: string) => ({ database: "RETAIL", schema: "RAW", name });
const LAKE = "azure://retaillake.blob.core.windows.net/lake/";
const storage = storageIntegration("retail_lake", TENANT).allow(LAKE).toNode();
const events = notificationIntegration(
  "retail_lake_events",
  "https://retaillake.queue.core.windows.net/events",
  TENANT,
).toNode();

test("database and schema are created only if missing", () => {
  expect(
    renderNode(createDatabase("retail").dataRetentionDays(7).comment("it's ours").toNode()),
  ).toMatchInlineSnapshot(`
    "CREATE DATABASE IF NOT EXISTS RETAIL
      DATA_RETENTION_TIME_IN_DAYS = 7
      COMMENT = 'it\\'s ours'"
  `);
  expect(
    renderNode(createSchema("retail", "raw").managedAccess().comment("RAW").toNode()),
  ).toMatchInlineSnapshot(`
    "CREATE SCHEMA IF NOT EXISTS RETAIL.RAW WITH MANAGED ACCESS
      COMMENT = 'RAW'"
  `);
  expect(() => createDatabase("retail").dataRetentionDays(91)).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: database "retail" (DATA_RETENTION_TIME_IN_DAYS): must be a whole number of days from 0 to 90, got 91]`,
  );
});

test("builders are immutable: a method returns a new builder", () => {
  const base = createDatabase("retail");
  const commented = base.comment("x");
  expect(base.toNode()).toEqual({ kind: "database", name: "retail" });
  expect(commented.toNode()).toEqual({ kind: "database", name: "retail", comment: "x" });
});

test("CSV file format: header, delimiter, enclosure, NULL_IF, encoding, compression", () => {
  expect(renderNode(csvFileFormat(at("lake_csv")).toNode())).toMatchInlineSnapshot(`
    "CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LAKE_CSV
      TYPE = CSV
      FIELD_DELIMITER = ','
      SKIP_HEADER = 1
      FIELD_OPTIONALLY_ENCLOSED_BY = '"'
      NULL_IF = ()
      EMPTY_FIELD_AS_NULL = TRUE
      ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE
      ENCODING = 'UTF8'
      COMPRESSION = AUTO"
  `);
  expect(
    renderNode(
      csvFileFormat(at("legacy_semicolon"))
        .header("parse")
        .delimiter(";")
        .enclosure(undefined)
        .nullIf("NULL", "\\N")
        .encoding("iso-8859-1")
        .compression("GZIP")
        .toNode(),
    ),
  ).toMatchInlineSnapshot(`
    "CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LEGACY_SEMICOLON
      TYPE = CSV
      FIELD_DELIMITER = ';'
      PARSE_HEADER = TRUE
      FIELD_OPTIONALLY_ENCLOSED_BY = NONE
      NULL_IF = ('NULL', '\\\\N')
      EMPTY_FIELD_AS_NULL = TRUE
      ERROR_ON_COLUMN_COUNT_MISMATCH = FALSE
      ENCODING = 'ISO88591'
      COMPRESSION = GZIP"
  `);
  expect(() => csvFileFormat(at("f")).delimiter(";;")).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: file format "f" (FIELD_DELIMITER): must be one character other than a line break, got ";;"]`,
  );
  expect(() => csvFileFormat(at("f")).delimiter('"').toNode()).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: file format "f" (FIELD_OPTIONALLY_ENCLOSED_BY): the enclosure cannot be the delimiter]`,
  );
  // Snowflake's ENCODING values have no hyphens; the IANA spelling is taken and rendered as such.
  const encodingOf = (e: string) =>
    /ENCODING = '([^']+)'/.exec(renderNode(csvFileFormat(at("f")).encoding(e).toNode()))?.[1];
  expect(
    ["UTF-8", "windows-1252", "WINDOWS1252", "ISO-8859-15", "utf-16le"].map(encodingOf),
  ).toEqual(["UTF8", "WINDOWS1252", "WINDOWS1252", "ISO885915", "UTF16LE"]);
  expect(() => csvFileFormat(at("f")).encoding("EBCDIC")).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: file format "f" (ENCODING): must be one of UTF8, UTF16, UTF16BE, UTF16LE, ISO88591, ISO885915, WINDOWS1252 (hyphens optional), got "EBCDIC"]`,
  );
});

test("Parquet file format reads logical types", () => {
  expect(
    renderNode(parquetFileFormat(at("lake_parquet")).comment("lake").toNode()),
  ).toMatchInlineSnapshot(`
    "CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LAKE_PARQUET
      TYPE = PARQUET
      COMPRESSION = AUTO
      USE_LOGICAL_TYPE = TRUE
      BINARY_AS_TEXT = FALSE
      COMMENT = 'lake'"
  `);
});

test("storage integration for Azure with allowed locations", () => {
  expect(
    renderNode(
      storageIntegration("retail_lake", TENANT).allow(LAKE).block(`${LAKE}_quarantine/`).toNode(),
    ),
  ).toMatchInlineSnapshot(`
    "CREATE STORAGE INTEGRATION IF NOT EXISTS RETAIL_LAKE
      TYPE = EXTERNAL_STAGE
      STORAGE_PROVIDER = 'AZURE'
      ENABLED = TRUE
      AZURE_TENANT_ID = '11111111-2222-3333-4444-555555555555'
      STORAGE_ALLOWED_LOCATIONS = ('azure://retaillake.blob.core.windows.net/lake/')
      STORAGE_BLOCKED_LOCATIONS = ('azure://retaillake.blob.core.windows.net/lake/_quarantine/')"
  `);
  expect(() => storageIntegration("x", "not-a-guid")).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: storage integration "x" (AZURE_TENANT_ID): AZURE_TENANT_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got "not-a-guid"]`,
  );
  expect(() =>
    storageIntegration("x", TENANT).allow("azure://Bad.blob.core.windows.net/lake/"),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: azure location "azure://Bad.blob.core.windows.net/lake/" (STORAGE_ALLOWED_LOCATIONS): expected azure://<account>.blob.core.windows.net/<container>/<path>/ ending with a slash]`,
  );
  expect(() =>
    storageIntegration("x", TENANT).allow("azure://retaillake.blob.core.windows.net/lake"),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: azure location "azure://retaillake.blob.core.windows.net/lake" (STORAGE_ALLOWED_LOCATIONS): expected azure://<account>.blob.core.windows.net/<container>/<path>/ ending with a slash]`,
  );
  expect(() => storageIntegration("x", TENANT).toNode()).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: storage integration "x" (STORAGE_ALLOWED_LOCATIONS): needs at least one allowed location]`,
  );
});

test("notification integration on an Azure storage queue; one integration per queue", () => {
  expect(renderNode(events)).toMatchInlineSnapshot(`
    "CREATE NOTIFICATION INTEGRATION IF NOT EXISTS RETAIL_LAKE_EVENTS
      ENABLED = TRUE
      TYPE = QUEUE
      NOTIFICATION_PROVIDER = AZURE_STORAGE_QUEUE
      AZURE_STORAGE_QUEUE_PRIMARY_URI = 'https://retaillake.queue.core.windows.net/events'
      AZURE_TENANT_ID = '11111111-2222-3333-4444-555555555555'"
  `);
  expect(() =>
    notificationIntegration("x", "https://retaillake.queue.core.windows.net/Events';--", TENANT),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: notification integration "x" (AZURE_STORAGE_QUEUE_PRIMARY_URI): expected https://<account>.queue.core.windows.net/<queue> (queue: 3-63 lower-case letters, digits, single dashes), got "https://retaillake.queue.core.windows.net/Events';--"]`,
  );
  const second = notificationIntegration(
    "other",
    "https://retaillake.queue.core.windows.net/events",
    TENANT,
  ).toNode();
  expect(() => assertOneIntegrationPerQueue([events, second])).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: notification integration "other" (AZURE_STORAGE_QUEUE_PRIMARY_URI): queue https://retaillake.queue.core.windows.net/events already feeds notification integration "retail_lake_events"; one integration per queue]`,
  );
});

test("a stage's URL must lie inside its integration's allowed locations", () => {
  expect(
    renderNode(
      createStage(at("lake"), `${LAKE}v1/`)
        .integration(storage)
        .fileFormat(at("lake_parquet"))
        .toNode(),
    ),
  ).toMatchInlineSnapshot(`
    "CREATE STAGE IF NOT EXISTS RETAIL.RAW.LAKE
      URL = 'azure://retaillake.blob.core.windows.net/lake/v1/'
      STORAGE_INTEGRATION = RETAIL_LAKE
      FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_PARQUET')"
  `);
  expect(() =>
    createStage(at("lake"), "azure://otheraccount.blob.core.windows.net/lake/")
      .integration(storage)
      .toNode(),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: stage "lake" (URL): URL azure://otheraccount.blob.core.windows.net/lake/ is outside the allowed locations of storage integration "retail_lake" (azure://retaillake.blob.core.windows.net/lake/)]`,
  );
  expect(() =>
    createStage(at("lake"), "azure://retaillake.blob.core.windows.net/lakehouse/")
      .integration(storage)
      .toNode(),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: stage "lake" (URL): URL azure://retaillake.blob.core.windows.net/lakehouse/ is outside the allowed locations of storage integration "retail_lake" (azure://retaillake.blob.core.windows.net/lake/)]`,
  );
  expect(() => createStage(at("lake"), LAKE).toNode()).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: stage "lake" (STORAGE_INTEGRATION): needs a storage integration]`,
  );
});

test("RAW table of an entity: mapped types, NOT NULL, load metadata; legacy is all VARCHAR", () => {
  expect(
    renderNode(snowflakeRawTable(saleLine, { database: "RETAIL", schema: "RAW" }).toNode()),
  ).toMatchInlineSnapshot(`
    "CREATE TABLE IF NOT EXISTS RETAIL.RAW.SALE_LINE (
      TRANSACTION_ID VARCHAR NOT NULL COMMENT 'Ticket or order number; with line_no, the natural key.',
      LINE_NO NUMBER(10,0) NOT NULL COMMENT 'Line number within the ticket, from 1.',
      SOLD_AT TIMESTAMP_NTZ NOT NULL COMMENT 'Instant of the sale, UTC.',
      STORE_ID VARCHAR NOT NULL COMMENT 'Store where the sale happened.',
      SKU VARCHAR NOT NULL COMMENT 'Product sold.',
      CUSTOMER_ID VARCHAR COMMENT 'Loyalty customer; null for an anonymous ticket.',
      QUANTITY NUMBER(10,0) NOT NULL COMMENT 'Units sold; negative for a return.',
      UNIT_PRICE NUMBER(12,2) NOT NULL COMMENT 'Price per unit charged, including VAT.',
      DISCOUNT_AMOUNT NUMBER(12,2) NOT NULL COMMENT 'Promotion discount on the line, including VAT.',
      NET_AMOUNT NUMBER(12,2) NOT NULL COMMENT 'quantity x unit_price - discount_amount, including VAT.',
      VAT_AMOUNT NUMBER(12,2) NOT NULL COMMENT 'VAT included in net_amount.',
      PAYMENT_METHOD VARCHAR NOT NULL COMMENT 'Tender: card, cash, gift_card, mobile or paypal.',
      CHANNEL VARCHAR NOT NULL COMMENT 'Sales channel: store, web or drive.',
      CURRENCY VARCHAR NOT NULL COMMENT 'ISO 4217 currency of the amounts.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'One line of a ticket. net_amount = quantity x unit_price - discount_amount, to the cent; prices include VAT and vat_amount is the VAT part of net_amount. Loaded by Snowpipe from the lake.'"
  `);
  expect(
    renderNode(
      snowflakeRawTable(customer, { database: "RETAIL", schema: "RAW" }, "legacy").toNode(),
    ),
  ).toMatchInlineSnapshot(`
    "CREATE TABLE IF NOT EXISTS RETAIL.RAW.CUSTOMER_LEGACY (
      CUSTOMER_ID VARCHAR COMMENT 'Loyalty customer number, the natural key.',
      FIRST_NAME VARCHAR COMMENT 'Given name.',
      LAST_NAME VARCHAR COMMENT 'Family name.',
      EMAIL VARCHAR COMMENT 'E-mail address.',
      SEGMENT VARCHAR COMMENT 'Loyalty segment: standard, premium or vip.',
      CITY VARCHAR COMMENT 'City of residence.',
      COUNTRY VARCHAR COMMENT 'ISO 3166-1 alpha-2 country of residence.',
      SIGNUP_ON VARCHAR COMMENT 'Date the customer joined the programme.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Legacy flat-file feed of customer, loaded as text by Snowpipe. A loyalty-programme member; anonymous tickets have no customer.'"
  `);
  expect(() =>
    createTable(at("t")).column({ name: "a", type: "VARCHAR; DROP", nullable: true }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: table "t" (a): type "VARCHAR; DROP" is not a Snowflake type name]`,
  );
  expect(() =>
    createTable(at("t"))
      .column({ name: "a", type: "VARCHAR", nullable: true })
      .column({ name: "A", type: "DATE", nullable: true }),
  ).toThrowErrorMatchingInlineSnapshot(`[DdlError: table "t" (A): duplicate column]`);
});

test("pipe: auto-ingest COPY with a SELECT transform, Parquet by field and CSV by position", () => {
  const parquet = entityCopy(saleLine, {
    database: "RETAIL",
    schema: "RAW",
    feed: "data",
    format: "parquet",
    stage: at("lake"),
    fileFormat: at("lake_parquet"),
  }).toNode();
  expect(
    renderNode(
      createPipe(at("sale_line_pipe"))
        .integration(events)
        .errorIntegration("retail_pipe_errors")
        .copy(parquet)
        .toNode(),
    ),
  ).toMatchInlineSnapshot(`
    "CREATE PIPE IF NOT EXISTS RETAIL.RAW.SALE_LINE_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      ERROR_INTEGRATION = RETAIL_PIPE_ERRORS
      AS
        COPY INTO RETAIL.RAW.SALE_LINE (
          TRANSACTION_ID,
          LINE_NO,
          SOLD_AT,
          STORE_ID,
          SKU,
          CUSTOMER_ID,
          QUANTITY,
          UNIT_PRICE,
          DISCOUNT_AMOUNT,
          NET_AMOUNT,
          VAT_AMOUNT,
          PAYMENT_METHOD,
          CHANNEL,
          CURRENCY,
          _SOURCE_FILE,
          _SOURCE_ROW,
          _LOADED_AT
        )
        FROM (
          SELECT
            $1:transaction_id::VARCHAR,
            $1:line_no::NUMBER(10,0),
            CONVERT_TIMEZONE('UTC', $1:sold_at::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
            $1:store_id::VARCHAR,
            $1:sku::VARCHAR,
            $1:customer_id::VARCHAR,
            $1:quantity::NUMBER(10,0),
            $1:unit_price::NUMBER(12,2),
            $1:discount_amount::NUMBER(12,2),
            $1:net_amount::NUMBER(12,2),
            $1:vat_amount::NUMBER(12,2),
            $1:payment_method::VARCHAR,
            $1:channel::VARCHAR,
            $1:currency::VARCHAR,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/sale_line/
        )
        PATTERN = '^(sale_line/)?dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/sale_line-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]parquet$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_PARQUET')
        ON_ERROR = SKIP_FILE"
  `);
  const csv = entityCopy(customer, {
    database: "RETAIL",
    schema: "RAW",
    feed: "legacy",
    format: "csv",
    stage: at("lake"),
    fileFormat: at("legacy_csv"),
  }).toNode();
  expect(
    renderNode(
      createPipe(at("customer_legacy_pipe")).integration(events).copy(csv).replace().toNode(),
    ),
  ).toMatchInlineSnapshot(`
    "CREATE OR REPLACE PIPE RETAIL.RAW.CUSTOMER_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      AS
        COPY INTO RETAIL.RAW.CUSTOMER_LEGACY (
          CUSTOMER_ID,
          FIRST_NAME,
          LAST_NAME,
          EMAIL,
          SEGMENT,
          CITY,
          COUNTRY,
          SIGNUP_ON,
          _SOURCE_FILE,
          _SOURCE_ROW,
          _LOADED_AT
        )
        FROM (
          SELECT
            $1,
            $2,
            $3,
            $4,
            $5,
            $6,
            $7,
            $8,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/legacy/customer/
        )
        PATTERN = '^(legacy/customer/)?customer-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LEGACY_CSV')
        ON_ERROR = SKIP_FILE"
  `);
});

test("a pipe rejects the copy options Snowpipe does not accept, saying what to do instead", () => {
  const base = copyInto(at("t"), at("lake"), "t/", at("f")).column("a", {
    kind: "position",
    position: 1,
  });
  const pipe = (options: Parameters<typeof base.options>[0]) => () =>
    createPipe(at("p")).integration(events).copy(base.options(options).toNode()).toNode();
  const messages = [
    { purge: true },
    { files: ["a.csv"] },
    { validationMode: "RETURN_ERRORS" as const },
    { onError: "ABORT_STATEMENT" as const },
    { sizeLimit: 10 },
    { returnFailedOnly: true },
    { force: true },
  ].map((o) => {
    try {
      pipe(o)();
      return "accepted";
    } catch (error) {
      return (error as Error).message;
    }
  });
  expect(messages).toMatchInlineSnapshot(`
    [
      "pipe "p" (purge): copy option not accepted by a pipe: PURGE: Snowpipe never deletes staged files; use a lifecycle rule on the container",
      "pipe "p" (files): copy option not accepted by a pipe: FILES: a pipe loads the files its notifications name; use ALTER PIPE ... REFRESH or a one-off COPY",
      "pipe "p" (validationMode): copy option not accepted by a pipe: VALIDATION_MODE: a pipe cannot dry-run; check loads with VALIDATE_PIPE_LOAD or COPY_HISTORY",
      "pipe "p" (onError): copy option not accepted by a pipe: ON_ERROR = ABORT_STATEMENT: a pipe loads file by file; use SKIP_FILE (the default) or CONTINUE",
      "pipe "p" (sizeLimit): copy option not accepted by a pipe: SIZE_LIMIT: not supported by Snowpipe",
      "pipe "p" (returnFailedOnly): copy option not accepted by a pipe: RETURN_FAILED_ONLY: not supported by Snowpipe",
      "pipe "p" (force): copy option not accepted by a pipe: FORCE: not supported by Snowpipe, which loads each file once by design",
    ]
  `);
  // The same options are fine in a one-off COPY.
  expect(
    renderNode(
      base
        .options({ purge: true, force: true, files: ["t/a.csv"], onError: "ABORT_STATEMENT" })
        .toNode(),
    ),
  ).toMatchInlineSnapshot(`
    "COPY INTO RETAIL.RAW.T (
      A
    )
    FROM (
      SELECT
        $1
      FROM @RETAIL.RAW.LAKE/t/
    )
    FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.F')
    FILES = ('t/a.csv')
    ON_ERROR = ABORT_STATEMENT
    PURGE = TRUE
    FORCE = TRUE"
  `);
  expect(() => createPipe(at("p")).copy(base.toNode()).toNode()).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: pipe "p" (INTEGRATION): AUTO_INGEST needs a notification integration]`,
  );
  expect(() =>
    base.options({ onError: "SKIP_FILE; DROP" as never }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: copy into "t" (ON_ERROR): "SKIP_FILE; DROP" is not an ON_ERROR value]`,
  );
  expect(() => copyInto(at("t"), at("lake"), "../x/", at("f"))).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: copy into "t" (path): stage path "../x/" must be folders of letters, digits, _ = . - each ending with /]`,
  );
});

test("ALTER PIPE: pause, refresh with prefix and modified-after", () => {
  expect(renderNode(pausePipeNode(at("p")))).toMatchInlineSnapshot(
    `"ALTER PIPE IF EXISTS RETAIL.RAW.P SET PIPE_EXECUTION_PAUSED = TRUE"`,
  );
  expect(
    renderNode(
      refreshPipeNode(at("p"), {
        prefix: "sale_line/dt=2026-11-01/",
        modifiedAfter: "2026-11-20T00:00:00Z",
      }),
    ),
  ).toMatchInlineSnapshot(
    `"ALTER PIPE RETAIL.RAW.P REFRESH PREFIX = 'sale_line/dt=2026-11-01/' MODIFIED_AFTER = '2026-11-20T00:00:00.000Z'"`,
  );
  expect(() =>
    refreshPipeNode(at("p"), { modifiedAfter: "yesterday" }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: pipe "p" (MODIFIED_AFTER): "yesterday" is not an ISO instant]`,
  );
});

test("roles and grants", () => {
  expect(
    [
      role("retail_loader", "loads"),
      grantRole("retail_loader", "SYSADMIN"),
      grant(
        ["USAGE", "CREATE SCHEMA"],
        { type: "DATABASE", database: "retail" },
        "retail_transformer",
      ),
      grant(
        ["SELECT"],
        { type: "FUTURE TABLES IN SCHEMA", database: "retail", schema: "raw" },
        "retail_transformer",
      ),
      grant(["OPERATE", "MONITOR"], { type: "PIPE", name: at("p") }, "retail_loader"),
    ].map(renderNode),
  ).toMatchInlineSnapshot(`
    [
      "CREATE ROLE IF NOT EXISTS RETAIL_LOADER
      COMMENT = 'loads'",
      "GRANT ROLE RETAIL_LOADER TO ROLE SYSADMIN",
      "GRANT USAGE, CREATE SCHEMA ON DATABASE RETAIL TO ROLE RETAIL_TRANSFORMER",
      "GRANT SELECT ON FUTURE TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_TRANSFORMER",
      "GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.P TO ROLE RETAIL_LOADER",
    ]
  `);
  expect(() =>
    grant(["OWNERSHIP"], { type: "DATABASE", database: "retail" }, "r"),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: grant "r" (privileges): privilege "OWNERSHIP" cannot be granted on DATABASE; one of USAGE, MONITOR, CREATE SCHEMA]`,
  );
});

test("masking policy for PII columns, applied with FORCE so it can run again", () => {
  expect(
    renderNode({
      ...maskingPolicy(at("pii_mask_varchar"), "VARCHAR", ["retail_transformer"]),
      comment: "PII",
    }),
  ).toMatchInlineSnapshot(`
    "CREATE MASKING POLICY IF NOT EXISTS RETAIL.RAW.PII_MASK_VARCHAR
      AS (VAL VARCHAR) RETURNS VARCHAR ->
      CASE WHEN CURRENT_ROLE() IN ('RETAIL_TRANSFORMER') THEN VAL ELSE '*** masked ***' END
      COMMENT = 'PII'"
  `);
  expect(renderNode(maskingPolicy(at("pii_mask_date"), "DATE", []))).toMatchInlineSnapshot(`
    "CREATE MASKING POLICY IF NOT EXISTS RETAIL.RAW.PII_MASK_DATE
      AS (VAL DATE) RETURNS DATE ->
      NULL"
  `);
  expect(
    renderNode(applyMasking(at("customer"), "email", at("pii_mask_varchar"))),
  ).toMatchInlineSnapshot(
    `"ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER MODIFY COLUMN EMAIL SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE"`,
  );
});
