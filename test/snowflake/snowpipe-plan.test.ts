import { expect, test } from "vitest";
import { customer, saleLine } from "../../src/entities/index.js";
import { DdlError, renderPlan, renderSteps, snowpipePlan } from "../../src/snowflake/index.js";

const config = {
  account: "retaillake",
  container: "lake",
  path: "v1",
  queueUrl: "https://retaillake.queue.core.windows.net/snowpipe-events",
  tenantId: "11111111-2222-3333-4444-555555555555",
} as const;

test("the whole plan for all entities is deterministic and idempotent", () => {
  const plan = renderPlan(snowpipePlan(config));
  expect(renderPlan(snowpipePlan(config))).toBe(plan);
  const steps = renderSteps(snowpipePlan(config));
  // Everything is created only if missing; only grants, masking (FORCE) are re-run as such.
  for (const s of steps.filter((step) => step.executable)) {
    if (s.sql.startsWith("CREATE")) expect(s.sql.split("\n")[0]).toMatch(/IF NOT EXISTS/);
    else expect(s.sql).toMatch(/^(GRANT|ALTER TABLE IF EXISTS .* FORCE$)/);
  }
  // Six entities, each with a data and a legacy table and pipe.
  expect(steps.filter((s) => s.kind === "table")).toHaveLength(12);
  expect(steps.filter((s) => s.kind === "pipe")).toHaveLength(12);
  // No statement ends a line with a semicolon (a pipe's COPY included): the script adds them.
  for (const s of steps) expect(s.sql).not.toMatch(/;$/m);
  expect(steps.map((s) => s.kind)).toMatchInlineSnapshot(`
    [
      "role",
      "role",
      "role",
      "grant",
      "grant",
      "grant",
      "database",
      "schema",
      "file-format",
      "file-format",
      "storage-integration",
      "notification-integration",
      "note",
      "stage",
      "table",
      "table",
      "table",
      "table",
      "table",
      "table",
      "table",
      "table",
      "table",
      "table",
      "table",
      "table",
      "masking-policy",
      "apply-masking",
      "apply-masking",
      "apply-masking",
      "apply-masking",
      "apply-masking",
      "apply-masking",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "pipe",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
      "grant",
    ]
  `);
});

test("the whole plan, for two entities, one pipe recreated", () => {
  const text = renderPlan(
    snowpipePlan({
      ...config,
      format: "csv",
      entities: [saleLine, customer],
      builtIns: false,
      legacyFeeds: ["customer"],
      recreatePipes: ["sale_line"],
      refreshModifiedAfter: "2026-11-20T00:00:00Z",
      errorIntegration: "retail_pipe_errors",
    }),
  );
  expect(text).toMatchInlineSnapshot(`
    "CREATE ROLE IF NOT EXISTS RETAIL_LOADER
      COMMENT = 'Owns nothing; reads the RAW tables, operates and monitors the pipes.';

    CREATE ROLE IF NOT EXISTS RETAIL_TRANSFORMER
      COMMENT = 'dbt: reads RAW (personal data unmasked) and builds the bronze, silver and gold schemas.';

    CREATE ROLE IF NOT EXISTS RETAIL_REPORTER
      COMMENT = 'Reads the gold marts; granted SELECT by dbt grants on gold models.';

    GRANT ROLE RETAIL_LOADER TO ROLE SYSADMIN;

    GRANT ROLE RETAIL_TRANSFORMER TO ROLE SYSADMIN;

    GRANT ROLE RETAIL_REPORTER TO ROLE SYSADMIN;

    CREATE DATABASE IF NOT EXISTS RETAIL
      COMMENT = 'retail-mds warehouse: RAW landed by Snowpipe, then dbt bronze, silver and gold.';

    CREATE SCHEMA IF NOT EXISTS RETAIL.RAW
      COMMENT = 'Files from the lake as loaded by Snowpipe, one table per entity and feed.';

    CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LAKE_CSV
      TYPE = CSV
      FIELD_DELIMITER = ','
      SKIP_HEADER = 1
      FIELD_OPTIONALLY_ENCLOSED_BY = '"'
      NULL_IF = ()
      EMPTY_FIELD_AS_NULL = TRUE
      ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE
      ENCODING = 'UTF8'
      COMPRESSION = AUTO
      COMMENT = 'CSV files written by the retail-mds lake writer: header, comma, double quotes.';

    CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LEGACY_CSV
      TYPE = CSV
      FIELD_DELIMITER = ','
      SKIP_HEADER = 1
      FIELD_OPTIONALLY_ENCLOSED_BY = '"'
      NULL_IF = ()
      EMPTY_FIELD_AS_NULL = TRUE
      ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE
      ENCODING = 'UTF8'
      COMPRESSION = AUTO
      COMMENT = 'Legacy flat-file feeds: header, comma, double quotes, every field read as text.';

    CREATE STORAGE INTEGRATION IF NOT EXISTS RETAIL_LAKE
      TYPE = EXTERNAL_STAGE
      STORAGE_PROVIDER = 'AZURE'
      ENABLED = TRUE
      AZURE_TENANT_ID = '11111111-2222-3333-4444-555555555555'
      STORAGE_ALLOWED_LOCATIONS = ('azure://retaillake.blob.core.windows.net/lake/v1/')
      COMMENT = 'Read access to the retail-mds lake container.';

    CREATE NOTIFICATION INTEGRATION IF NOT EXISTS RETAIL_LAKE_EVENTS
      ENABLED = TRUE
      TYPE = QUEUE
      NOTIFICATION_PROVIDER = AZURE_STORAGE_QUEUE
      AZURE_STORAGE_QUEUE_PRIMARY_URI = 'https://retaillake.queue.core.windows.net/snowpipe-events'
      AZURE_TENANT_ID = '11111111-2222-3333-4444-555555555555'
      COMMENT = 'BlobCreated events of the lake, from Event Grid through a storage queue.';

    -- First deployment: DESC STORAGE INTEGRATION RETAIL_LAKE and DESC NOTIFICATION INTEGRATION RETAIL_LAKE_EVENTS,
    -- open each AZURE_CONSENT_URL, then grant the apps they name Storage Blob Data Reader on the container
    -- and Storage Queue Data Contributor on the queue. Until then CREATE PIPE fails to bind to the queue.
    -- Apply the plan again afterwards: every statement is idempotent.

    CREATE STAGE IF NOT EXISTS RETAIL.RAW.LAKE
      URL = 'azure://retaillake.blob.core.windows.net/lake/v1/'
      STORAGE_INTEGRATION = RETAIL_LAKE
      COMMENT = 'The retail-mds lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.SALE_LINE (
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
      COMMENT = 'One line of a ticket. net_amount = quantity x unit_price - discount_amount, to the cent; prices include VAT and vat_amount is the VAT part of net_amount. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.CUSTOMER (
      CUSTOMER_ID VARCHAR NOT NULL COMMENT 'Loyalty customer number, the natural key.',
      FIRST_NAME VARCHAR NOT NULL COMMENT 'Given name.',
      LAST_NAME VARCHAR NOT NULL COMMENT 'Family name.',
      EMAIL VARCHAR NOT NULL COMMENT 'E-mail address.',
      SEGMENT VARCHAR NOT NULL COMMENT 'Loyalty segment: standard, premium or vip.',
      CITY VARCHAR NOT NULL COMMENT 'City of residence.',
      COUNTRY VARCHAR NOT NULL COMMENT 'ISO 3166-1 alpha-2 country of residence.',
      SIGNUP_ON DATE NOT NULL COMMENT 'Date the customer joined the programme.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'A loyalty-programme member; anonymous tickets have no customer. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.CUSTOMER_LEGACY (
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
      COMMENT = 'Legacy flat-file feed of customer, loaded as text by Snowpipe. A loyalty-programme member; anonymous tickets have no customer.';

    CREATE MASKING POLICY IF NOT EXISTS RETAIL.RAW.PII_MASK_VARCHAR
      AS (VAL VARCHAR) RETURNS VARCHAR ->
      CASE WHEN CURRENT_ROLE() IN ('RETAIL_TRANSFORMER') THEN VAL ELSE '*** masked ***' END
      COMMENT = 'Personal data: only the listed roles see the value.';

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER MODIFY COLUMN FIRST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER MODIFY COLUMN LAST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER MODIFY COLUMN EMAIL SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER_LEGACY MODIFY COLUMN FIRST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER_LEGACY MODIFY COLUMN LAST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER_LEGACY MODIFY COLUMN EMAIL SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    -- WARNING: recreating pipe SALE_LINE_PIPE resets its load history: files it loaded before can be loaded again.
    -- The REFRESH below queues files staged in the last 7 days and modified after 2026-11-20T00:00:00Z; silver de-duplicates on the natural key.

    ALTER PIPE IF EXISTS RETAIL.RAW.SALE_LINE_PIPE SET PIPE_EXECUTION_PAUSED = TRUE;

    CREATE OR REPLACE PIPE RETAIL.RAW.SALE_LINE_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      ERROR_INTEGRATION = RETAIL_PIPE_ERRORS
      COMMENT = 'Auto-ingest of sale_line/ into SALE_LINE.'
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
            $1::VARCHAR,
            $2::NUMBER(10,0),
            CONVERT_TIMEZONE('UTC', $3::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
            $4::VARCHAR,
            $5::VARCHAR,
            $6::VARCHAR,
            $7::NUMBER(10,0),
            $8::NUMBER(12,2),
            $9::NUMBER(12,2),
            $10::NUMBER(12,2),
            $11::NUMBER(12,2),
            $12::VARCHAR,
            $13::VARCHAR,
            $14::VARCHAR,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/sale_line/
        )
        PATTERN = '^(sale_line/)?dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/sale_line-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_CSV')
        ON_ERROR = SKIP_FILE;

    ALTER PIPE RETAIL.RAW.SALE_LINE_PIPE REFRESH MODIFIED_AFTER = '2026-11-20T00:00:00.000Z';

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.CUSTOMER_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      ERROR_INTEGRATION = RETAIL_PIPE_ERRORS
      COMMENT = 'Auto-ingest of customer/ into CUSTOMER.'
      AS
        COPY INTO RETAIL.RAW.CUSTOMER (
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
            $1::VARCHAR,
            $2::VARCHAR,
            $3::VARCHAR,
            $4::VARCHAR,
            $5::VARCHAR,
            $6::VARCHAR,
            $7::VARCHAR,
            $8::DATE,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/customer/
        )
        PATTERN = '^(customer/)?customer-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_CSV')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.CUSTOMER_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      ERROR_INTEGRATION = RETAIL_PIPE_ERRORS
      COMMENT = 'Auto-ingest of legacy/customer/ into CUSTOMER_LEGACY.'
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
        ON_ERROR = SKIP_FILE;

    GRANT USAGE ON DATABASE RETAIL TO ROLE RETAIL_LOADER;

    GRANT USAGE ON SCHEMA RETAIL.RAW TO ROLE RETAIL_LOADER;

    GRANT SELECT ON ALL TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_LOADER;

    GRANT SELECT ON FUTURE TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_LOADER;

    GRANT USAGE ON STAGE RETAIL.RAW.LAKE TO ROLE RETAIL_LOADER;

    GRANT USAGE ON FILE FORMAT RETAIL.RAW.LAKE_CSV TO ROLE RETAIL_LOADER;

    GRANT USAGE ON FILE FORMAT RETAIL.RAW.LEGACY_CSV TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.SALE_LINE_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.CUSTOMER_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.CUSTOMER_LEGACY_PIPE TO ROLE RETAIL_LOADER;

    GRANT USAGE, CREATE SCHEMA ON DATABASE RETAIL TO ROLE RETAIL_TRANSFORMER;

    GRANT USAGE ON SCHEMA RETAIL.RAW TO ROLE RETAIL_TRANSFORMER;

    GRANT SELECT ON ALL TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_TRANSFORMER;

    GRANT SELECT ON FUTURE TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_TRANSFORMER;

    GRANT USAGE ON DATABASE RETAIL TO ROLE RETAIL_REPORTER;
    "
  `);
});

test("bad config is refused, naming the field", () => {
  expect(() => snowpipePlan({ ...config, tenantId: "abc" })).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: storage integration "RETAIL_LAKE" (AZURE_TENANT_ID): AZURE_TENANT_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got "abc"]`,
  );
  expect(() => snowpipePlan({ ...config, path: "../etc" })).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: azure location "../etc" (path): a path segment is letters, digits, _ . = - (no . or .. segments)]`,
  );
  expect(() =>
    snowpipePlan({ ...config, recreatePipes: ["nope"] }),
  ).toThrowErrorMatchingInlineSnapshot(
    `[DdlError: snowpipe config (recreatePipes): "nope" is not one of the entities loaded]`,
  );
  expect(() => snowpipePlan({ ...config, format: "orc" as never })).toThrow(DdlError);
});

test("the whole default plan, all entities, as printed by `retail-mds ddl`", () => {
  expect(renderPlan(snowpipePlan(config))).toMatchInlineSnapshot(`
    "CREATE ROLE IF NOT EXISTS RETAIL_LOADER
      COMMENT = 'Owns nothing; reads the RAW tables, operates and monitors the pipes.';

    CREATE ROLE IF NOT EXISTS RETAIL_TRANSFORMER
      COMMENT = 'dbt: reads RAW (personal data unmasked) and builds the bronze, silver and gold schemas.';

    CREATE ROLE IF NOT EXISTS RETAIL_REPORTER
      COMMENT = 'Reads the gold marts; granted SELECT by dbt grants on gold models.';

    GRANT ROLE RETAIL_LOADER TO ROLE SYSADMIN;

    GRANT ROLE RETAIL_TRANSFORMER TO ROLE SYSADMIN;

    GRANT ROLE RETAIL_REPORTER TO ROLE SYSADMIN;

    CREATE DATABASE IF NOT EXISTS RETAIL
      COMMENT = 'retail-mds warehouse: RAW landed by Snowpipe, then dbt bronze, silver and gold.';

    CREATE SCHEMA IF NOT EXISTS RETAIL.RAW
      COMMENT = 'Files from the lake as loaded by Snowpipe, one table per entity and feed.';

    CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LAKE_PARQUET
      TYPE = PARQUET
      COMPRESSION = AUTO
      USE_LOGICAL_TYPE = TRUE
      BINARY_AS_TEXT = FALSE
      COMMENT = 'Parquet files written by the retail-mds lake writer.';

    CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LEGACY_CSV
      TYPE = CSV
      FIELD_DELIMITER = ','
      SKIP_HEADER = 1
      FIELD_OPTIONALLY_ENCLOSED_BY = '"'
      NULL_IF = ()
      EMPTY_FIELD_AS_NULL = TRUE
      ERROR_ON_COLUMN_COUNT_MISMATCH = TRUE
      ENCODING = 'UTF8'
      COMPRESSION = AUTO
      COMMENT = 'Legacy flat-file feeds: header, comma, double quotes, every field read as text.';

    CREATE STORAGE INTEGRATION IF NOT EXISTS RETAIL_LAKE
      TYPE = EXTERNAL_STAGE
      STORAGE_PROVIDER = 'AZURE'
      ENABLED = TRUE
      AZURE_TENANT_ID = '11111111-2222-3333-4444-555555555555'
      STORAGE_ALLOWED_LOCATIONS = ('azure://retaillake.blob.core.windows.net/lake/v1/')
      COMMENT = 'Read access to the retail-mds lake container.';

    CREATE NOTIFICATION INTEGRATION IF NOT EXISTS RETAIL_LAKE_EVENTS
      ENABLED = TRUE
      TYPE = QUEUE
      NOTIFICATION_PROVIDER = AZURE_STORAGE_QUEUE
      AZURE_STORAGE_QUEUE_PRIMARY_URI = 'https://retaillake.queue.core.windows.net/snowpipe-events'
      AZURE_TENANT_ID = '11111111-2222-3333-4444-555555555555'
      COMMENT = 'BlobCreated events of the lake, from Event Grid through a storage queue.';

    -- First deployment: DESC STORAGE INTEGRATION RETAIL_LAKE and DESC NOTIFICATION INTEGRATION RETAIL_LAKE_EVENTS,
    -- open each AZURE_CONSENT_URL, then grant the apps they name Storage Blob Data Reader on the container
    -- and Storage Queue Data Contributor on the queue. Until then CREATE PIPE fails to bind to the queue.
    -- Apply the plan again afterwards: every statement is idempotent.

    CREATE STAGE IF NOT EXISTS RETAIL.RAW.LAKE
      URL = 'azure://retaillake.blob.core.windows.net/lake/v1/'
      STORAGE_INTEGRATION = RETAIL_LAKE
      COMMENT = 'The retail-mds lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.STORE (
      STORE_ID VARCHAR NOT NULL COMMENT 'Store code, the natural key.',
      STORE_NAME VARCHAR NOT NULL COMMENT 'Trading name of the store.',
      FORMAT VARCHAR NOT NULL COMMENT 'Store format: hypermarket, supermarket, convenience, online or drive.',
      CITY VARCHAR NOT NULL COMMENT 'City the store is in.',
      REGION VARCHAR NOT NULL COMMENT 'Administrative region of the store.',
      COUNTRY VARCHAR NOT NULL COMMENT 'ISO 3166-1 alpha-2 country code.',
      TIMEZONE VARCHAR NOT NULL COMMENT 'IANA time zone; a business day is the local calendar date here.',
      OPENED_ON DATE NOT NULL COMMENT 'Local date the store opened.',
      SURFACE_M2 NUMBER(10,0) COMMENT 'Sales area in square metres; null for the online store.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'A point of sale: a physical shop, a drive (click and collect) or the web shop. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.STORE_LEGACY (
      STORE_ID VARCHAR COMMENT 'Store code, the natural key.',
      STORE_NAME VARCHAR COMMENT 'Trading name of the store.',
      FORMAT VARCHAR COMMENT 'Store format: hypermarket, supermarket, convenience, online or drive.',
      CITY VARCHAR COMMENT 'City the store is in.',
      REGION VARCHAR COMMENT 'Administrative region of the store.',
      COUNTRY VARCHAR COMMENT 'ISO 3166-1 alpha-2 country code.',
      TIMEZONE VARCHAR COMMENT 'IANA time zone; a business day is the local calendar date here.',
      OPENED_ON VARCHAR COMMENT 'Local date the store opened.',
      SURFACE_M2 VARCHAR COMMENT 'Sales area in square metres; null for the online store.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Legacy flat-file feed of store, loaded as text by Snowpipe. A point of sale: a physical shop, a drive (click and collect) or the web shop.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.PRODUCT (
      SKU VARCHAR NOT NULL COMMENT 'Stock-keeping unit, the natural key.',
      PRODUCT_NAME VARCHAR NOT NULL COMMENT 'Name as printed on the shelf label.',
      CATEGORY VARCHAR NOT NULL COMMENT 'Top level of the merchandise hierarchy.',
      SUBCATEGORY VARCHAR NOT NULL COMMENT 'Second level of the merchandise hierarchy.',
      BRAND VARCHAR NOT NULL COMMENT 'Brand or private label.',
      UNIT_COST NUMBER(12,2) NOT NULL COMMENT 'Purchase cost per unit, excluding VAT.',
      LIST_PRICE NUMBER(12,2) NOT NULL COMMENT 'Regular shelf price per unit, including VAT.',
      VAT_RATE NUMBER(5,4) NOT NULL COMMENT 'VAT rate applied to the price, as a fraction (0.2000 = 20%).',
      IS_PERISHABLE BOOLEAN NOT NULL COMMENT 'True for fresh products with a short shelf life.',
      LAUNCHED_ON DATE NOT NULL COMMENT 'Date the product entered the assortment.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'An item of the assortment, identified by its SKU. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.PRODUCT_LEGACY (
      SKU VARCHAR COMMENT 'Stock-keeping unit, the natural key.',
      PRODUCT_NAME VARCHAR COMMENT 'Name as printed on the shelf label.',
      CATEGORY VARCHAR COMMENT 'Top level of the merchandise hierarchy.',
      SUBCATEGORY VARCHAR COMMENT 'Second level of the merchandise hierarchy.',
      BRAND VARCHAR COMMENT 'Brand or private label.',
      UNIT_COST VARCHAR COMMENT 'Purchase cost per unit, excluding VAT.',
      LIST_PRICE VARCHAR COMMENT 'Regular shelf price per unit, including VAT.',
      VAT_RATE VARCHAR COMMENT 'VAT rate applied to the price, as a fraction (0.2000 = 20%).',
      IS_PERISHABLE VARCHAR COMMENT 'True for fresh products with a short shelf life.',
      LAUNCHED_ON VARCHAR COMMENT 'Date the product entered the assortment.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Legacy flat-file feed of product, loaded as text by Snowpipe. An item of the assortment, identified by its SKU.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.CUSTOMER (
      CUSTOMER_ID VARCHAR NOT NULL COMMENT 'Loyalty customer number, the natural key.',
      FIRST_NAME VARCHAR NOT NULL COMMENT 'Given name.',
      LAST_NAME VARCHAR NOT NULL COMMENT 'Family name.',
      EMAIL VARCHAR NOT NULL COMMENT 'E-mail address.',
      SEGMENT VARCHAR NOT NULL COMMENT 'Loyalty segment: standard, premium or vip.',
      CITY VARCHAR NOT NULL COMMENT 'City of residence.',
      COUNTRY VARCHAR NOT NULL COMMENT 'ISO 3166-1 alpha-2 country of residence.',
      SIGNUP_ON DATE NOT NULL COMMENT 'Date the customer joined the programme.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'A loyalty-programme member; anonymous tickets have no customer. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.CUSTOMER_LEGACY (
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
      COMMENT = 'Legacy flat-file feed of customer, loaded as text by Snowpipe. A loyalty-programme member; anonymous tickets have no customer.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.SALE_LINE (
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
      COMMENT = 'One line of a ticket. net_amount = quantity x unit_price - discount_amount, to the cent; prices include VAT and vat_amount is the VAT part of net_amount. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.SALE_LINE_LEGACY (
      TRANSACTION_ID VARCHAR COMMENT 'Ticket or order number; with line_no, the natural key.',
      LINE_NO VARCHAR COMMENT 'Line number within the ticket, from 1.',
      SOLD_AT VARCHAR COMMENT 'Instant of the sale, UTC.',
      STORE_ID VARCHAR COMMENT 'Store where the sale happened.',
      SKU VARCHAR COMMENT 'Product sold.',
      CUSTOMER_ID VARCHAR COMMENT 'Loyalty customer; null for an anonymous ticket.',
      QUANTITY VARCHAR COMMENT 'Units sold; negative for a return.',
      UNIT_PRICE VARCHAR COMMENT 'Price per unit charged, including VAT.',
      DISCOUNT_AMOUNT VARCHAR COMMENT 'Promotion discount on the line, including VAT.',
      NET_AMOUNT VARCHAR COMMENT 'quantity x unit_price - discount_amount, including VAT.',
      VAT_AMOUNT VARCHAR COMMENT 'VAT included in net_amount.',
      PAYMENT_METHOD VARCHAR COMMENT 'Tender: card, cash, gift_card, mobile or paypal.',
      CHANNEL VARCHAR COMMENT 'Sales channel: store, web or drive.',
      CURRENCY VARCHAR COMMENT 'ISO 4217 currency of the amounts.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Legacy flat-file feed of sale_line, loaded as text by Snowpipe. One line of a ticket. net_amount = quantity x unit_price - discount_amount, to the cent; prices include VAT and vat_amount is the VAT part of net_amount.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.STOCK_MOVEMENT (
      MOVEMENT_ID VARCHAR NOT NULL COMMENT 'Movement number, the natural key.',
      MOVED_AT TIMESTAMP_NTZ NOT NULL COMMENT 'Instant of the movement, UTC.',
      STORE_ID VARCHAR NOT NULL COMMENT 'Store whose stock moved.',
      SKU VARCHAR NOT NULL COMMENT 'Product whose stock moved.',
      MOVEMENT_TYPE VARCHAR NOT NULL COMMENT 'receipt, sale, return, adjustment, transfer_in or transfer_out.',
      QUANTITY NUMBER(10,0) NOT NULL COMMENT 'Signed units: positive adds to on hand, negative removes.',
      REFERENCE VARCHAR COMMENT 'Transaction or purchase order behind the movement, if any.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'A signed change of units on hand. For every store, sku and day, on_hand(d) = on_hand(d-1) + the sum of that day\\'s movements. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.STOCK_MOVEMENT_LEGACY (
      MOVEMENT_ID VARCHAR COMMENT 'Movement number, the natural key.',
      MOVED_AT VARCHAR COMMENT 'Instant of the movement, UTC.',
      STORE_ID VARCHAR COMMENT 'Store whose stock moved.',
      SKU VARCHAR COMMENT 'Product whose stock moved.',
      MOVEMENT_TYPE VARCHAR COMMENT 'receipt, sale, return, adjustment, transfer_in or transfer_out.',
      QUANTITY VARCHAR COMMENT 'Signed units: positive adds to on hand, negative removes.',
      REFERENCE VARCHAR COMMENT 'Transaction or purchase order behind the movement, if any.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Legacy flat-file feed of stock_movement, loaded as text by Snowpipe. A signed change of units on hand. For every store, sku and day, on_hand(d) = on_hand(d-1) + the sum of that day\\'s movements.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.STOCK_SNAPSHOT (
      SNAPSHOT_DATE DATE NOT NULL COMMENT 'Local business day the position closes.',
      STORE_ID VARCHAR NOT NULL COMMENT 'Store holding the stock.',
      SKU VARCHAR NOT NULL COMMENT 'Product held.',
      ON_HAND NUMBER(10,0) NOT NULL COMMENT 'Units on hand at close, never negative.',
      ON_ORDER NUMBER(10,0) NOT NULL COMMENT 'Units ordered from suppliers and not yet received.',
      REORDER_POINT NUMBER(10,0) NOT NULL COMMENT 'On-hand level at or below which a replenishment is ordered.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Units on hand and on order at the close of a store\\'s business day. Loaded by Snowpipe from the lake.';

    CREATE TABLE IF NOT EXISTS RETAIL.RAW.STOCK_SNAPSHOT_LEGACY (
      SNAPSHOT_DATE VARCHAR COMMENT 'Local business day the position closes.',
      STORE_ID VARCHAR COMMENT 'Store holding the stock.',
      SKU VARCHAR COMMENT 'Product held.',
      ON_HAND VARCHAR COMMENT 'Units on hand at close, never negative.',
      ON_ORDER VARCHAR COMMENT 'Units ordered from suppliers and not yet received.',
      REORDER_POINT VARCHAR COMMENT 'On-hand level at or below which a replenishment is ordered.',
      _SOURCE_FILE VARCHAR NOT NULL COMMENT 'Path of the lake file the row was loaded from, relative to the stage. (METADATA$FILENAME)',
      _SOURCE_ROW NUMBER(38,0) NOT NULL COMMENT 'Row number of the record in its file, from 1. (METADATA$FILE_ROW_NUMBER)',
      _LOADED_AT TIMESTAMP_LTZ NOT NULL COMMENT 'When the load of the file started (not CURRENT_TIMESTAMP, which Snowpipe skews). (METADATA$START_SCAN_TIME)'
    )
      COMMENT = 'Legacy flat-file feed of stock_snapshot, loaded as text by Snowpipe. Units on hand and on order at the close of a store\\'s business day.';

    CREATE MASKING POLICY IF NOT EXISTS RETAIL.RAW.PII_MASK_VARCHAR
      AS (VAL VARCHAR) RETURNS VARCHAR ->
      CASE WHEN CURRENT_ROLE() IN ('RETAIL_TRANSFORMER') THEN VAL ELSE '*** masked ***' END
      COMMENT = 'Personal data: only the listed roles see the value.';

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER MODIFY COLUMN FIRST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER MODIFY COLUMN LAST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER MODIFY COLUMN EMAIL SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER_LEGACY MODIFY COLUMN FIRST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER_LEGACY MODIFY COLUMN LAST_NAME SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    ALTER TABLE IF EXISTS RETAIL.RAW.CUSTOMER_LEGACY MODIFY COLUMN EMAIL SET MASKING POLICY RETAIL.RAW.PII_MASK_VARCHAR FORCE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.STORE_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of store/ into STORE.'
      AS
        COPY INTO RETAIL.RAW.STORE (
          STORE_ID,
          STORE_NAME,
          FORMAT,
          CITY,
          REGION,
          COUNTRY,
          TIMEZONE,
          OPENED_ON,
          SURFACE_M2,
          _SOURCE_FILE,
          _SOURCE_ROW,
          _LOADED_AT
        )
        FROM (
          SELECT
            $1:store_id::VARCHAR,
            $1:store_name::VARCHAR,
            $1:format::VARCHAR,
            $1:city::VARCHAR,
            $1:region::VARCHAR,
            $1:country::VARCHAR,
            $1:timezone::VARCHAR,
            $1:opened_on::DATE,
            $1:surface_m2::NUMBER(10,0),
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/store/
        )
        PATTERN = '^(store/)?store-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]parquet$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_PARQUET')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.STORE_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of legacy/store/ into STORE_LEGACY.'
      AS
        COPY INTO RETAIL.RAW.STORE_LEGACY (
          STORE_ID,
          STORE_NAME,
          FORMAT,
          CITY,
          REGION,
          COUNTRY,
          TIMEZONE,
          OPENED_ON,
          SURFACE_M2,
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
            $9,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/legacy/store/
        )
        PATTERN = '^(legacy/store/)?store-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LEGACY_CSV')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.PRODUCT_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of product/ into PRODUCT.'
      AS
        COPY INTO RETAIL.RAW.PRODUCT (
          SKU,
          PRODUCT_NAME,
          CATEGORY,
          SUBCATEGORY,
          BRAND,
          UNIT_COST,
          LIST_PRICE,
          VAT_RATE,
          IS_PERISHABLE,
          LAUNCHED_ON,
          _SOURCE_FILE,
          _SOURCE_ROW,
          _LOADED_AT
        )
        FROM (
          SELECT
            $1:sku::VARCHAR,
            $1:product_name::VARCHAR,
            $1:category::VARCHAR,
            $1:subcategory::VARCHAR,
            $1:brand::VARCHAR,
            $1:unit_cost::NUMBER(12,2),
            $1:list_price::NUMBER(12,2),
            $1:vat_rate::NUMBER(5,4),
            $1:is_perishable::BOOLEAN,
            $1:launched_on::DATE,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/product/
        )
        PATTERN = '^(product/)?product-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]parquet$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_PARQUET')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.PRODUCT_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of legacy/product/ into PRODUCT_LEGACY.'
      AS
        COPY INTO RETAIL.RAW.PRODUCT_LEGACY (
          SKU,
          PRODUCT_NAME,
          CATEGORY,
          SUBCATEGORY,
          BRAND,
          UNIT_COST,
          LIST_PRICE,
          VAT_RATE,
          IS_PERISHABLE,
          LAUNCHED_ON,
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
            $9,
            $10,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/legacy/product/
        )
        PATTERN = '^(legacy/product/)?product-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LEGACY_CSV')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.CUSTOMER_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of customer/ into CUSTOMER.'
      AS
        COPY INTO RETAIL.RAW.CUSTOMER (
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
            $1:customer_id::VARCHAR,
            $1:first_name::VARCHAR,
            $1:last_name::VARCHAR,
            $1:email::VARCHAR,
            $1:segment::VARCHAR,
            $1:city::VARCHAR,
            $1:country::VARCHAR,
            $1:signup_on::DATE,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/customer/
        )
        PATTERN = '^(customer/)?customer-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]parquet$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_PARQUET')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.CUSTOMER_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of legacy/customer/ into CUSTOMER_LEGACY.'
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
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.SALE_LINE_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of sale_line/ into SALE_LINE.'
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
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.SALE_LINE_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of legacy/sale_line/ into SALE_LINE_LEGACY.'
      AS
        COPY INTO RETAIL.RAW.SALE_LINE_LEGACY (
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
            $1,
            $2,
            $3,
            $4,
            $5,
            $6,
            $7,
            $8,
            $9,
            $10,
            $11,
            $12,
            $13,
            $14,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/legacy/sale_line/
        )
        PATTERN = '^(legacy/sale_line/)?dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/sale_line-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LEGACY_CSV')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.STOCK_MOVEMENT_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of stock_movement/ into STOCK_MOVEMENT.'
      AS
        COPY INTO RETAIL.RAW.STOCK_MOVEMENT (
          MOVEMENT_ID,
          MOVED_AT,
          STORE_ID,
          SKU,
          MOVEMENT_TYPE,
          QUANTITY,
          REFERENCE,
          _SOURCE_FILE,
          _SOURCE_ROW,
          _LOADED_AT
        )
        FROM (
          SELECT
            $1:movement_id::VARCHAR,
            CONVERT_TIMEZONE('UTC', $1:moved_at::TIMESTAMP_TZ)::TIMESTAMP_NTZ,
            $1:store_id::VARCHAR,
            $1:sku::VARCHAR,
            $1:movement_type::VARCHAR,
            $1:quantity::NUMBER(10,0),
            $1:reference::VARCHAR,
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/stock_movement/
        )
        PATTERN = '^(stock_movement/)?dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/stock_movement-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]parquet$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_PARQUET')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.STOCK_MOVEMENT_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of legacy/stock_movement/ into STOCK_MOVEMENT_LEGACY.'
      AS
        COPY INTO RETAIL.RAW.STOCK_MOVEMENT_LEGACY (
          MOVEMENT_ID,
          MOVED_AT,
          STORE_ID,
          SKU,
          MOVEMENT_TYPE,
          QUANTITY,
          REFERENCE,
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
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/legacy/stock_movement/
        )
        PATTERN = '^(legacy/stock_movement/)?dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/hour=[0-9]{2}/stock_movement-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LEGACY_CSV')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.STOCK_SNAPSHOT_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of stock_snapshot/ into STOCK_SNAPSHOT.'
      AS
        COPY INTO RETAIL.RAW.STOCK_SNAPSHOT (
          SNAPSHOT_DATE,
          STORE_ID,
          SKU,
          ON_HAND,
          ON_ORDER,
          REORDER_POINT,
          _SOURCE_FILE,
          _SOURCE_ROW,
          _LOADED_AT
        )
        FROM (
          SELECT
            $1:snapshot_date::DATE,
            $1:store_id::VARCHAR,
            $1:sku::VARCHAR,
            $1:on_hand::NUMBER(10,0),
            $1:on_order::NUMBER(10,0),
            $1:reorder_point::NUMBER(10,0),
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/stock_snapshot/
        )
        PATTERN = '^(stock_snapshot/)?dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/stock_snapshot-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]parquet$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_PARQUET')
        ON_ERROR = SKIP_FILE;

    CREATE PIPE IF NOT EXISTS RETAIL.RAW.STOCK_SNAPSHOT_LEGACY_PIPE
      AUTO_INGEST = TRUE
      INTEGRATION = 'RETAIL_LAKE_EVENTS'
      COMMENT = 'Auto-ingest of legacy/stock_snapshot/ into STOCK_SNAPSHOT_LEGACY.'
      AS
        COPY INTO RETAIL.RAW.STOCK_SNAPSHOT_LEGACY (
          SNAPSHOT_DATE,
          STORE_ID,
          SKU,
          ON_HAND,
          ON_ORDER,
          REORDER_POINT,
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
            METADATA$FILENAME,
            METADATA$FILE_ROW_NUMBER,
            METADATA$START_SCAN_TIME
          FROM @RETAIL.RAW.LAKE/legacy/stock_snapshot/
        )
        PATTERN = '^(legacy/stock_snapshot/)?dt=[0-9]{4}-[0-9]{2}-[0-9]{2}/stock_snapshot-[0-9]{8}T[0-9]{4}Z-[0-9]{8}T[0-9]{4}Z-(g[0-9]{3}-)?[0-9]{5}[.]csv([.]gz)?$'
        FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LEGACY_CSV')
        ON_ERROR = SKIP_FILE;

    GRANT USAGE ON DATABASE RETAIL TO ROLE RETAIL_LOADER;

    GRANT USAGE ON SCHEMA RETAIL.RAW TO ROLE RETAIL_LOADER;

    GRANT SELECT ON ALL TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_LOADER;

    GRANT SELECT ON FUTURE TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_LOADER;

    GRANT USAGE ON STAGE RETAIL.RAW.LAKE TO ROLE RETAIL_LOADER;

    GRANT USAGE ON FILE FORMAT RETAIL.RAW.LAKE_PARQUET TO ROLE RETAIL_LOADER;

    GRANT USAGE ON FILE FORMAT RETAIL.RAW.LEGACY_CSV TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.STORE_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.STORE_LEGACY_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.PRODUCT_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.PRODUCT_LEGACY_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.CUSTOMER_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.CUSTOMER_LEGACY_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.SALE_LINE_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.SALE_LINE_LEGACY_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.STOCK_MOVEMENT_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.STOCK_MOVEMENT_LEGACY_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.STOCK_SNAPSHOT_PIPE TO ROLE RETAIL_LOADER;

    GRANT OPERATE, MONITOR ON PIPE RETAIL.RAW.STOCK_SNAPSHOT_LEGACY_PIPE TO ROLE RETAIL_LOADER;

    GRANT USAGE, CREATE SCHEMA ON DATABASE RETAIL TO ROLE RETAIL_TRANSFORMER;

    GRANT USAGE ON SCHEMA RETAIL.RAW TO ROLE RETAIL_TRANSFORMER;

    GRANT SELECT ON ALL TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_TRANSFORMER;

    GRANT SELECT ON FUTURE TABLES IN SCHEMA RETAIL.RAW TO ROLE RETAIL_TRANSFORMER;

    GRANT USAGE ON DATABASE RETAIL TO ROLE RETAIL_REPORTER;
    "
  `);
});

test("an NDJSON lake gets a JSON file format and pipes that read fields by name", () => {
  const steps = renderSteps(snowpipePlan({ ...config, format: "ndjson", legacyFeeds: [] }));
  expect(steps.find((s) => s.kind === "file-format")?.sql).toMatchInlineSnapshot(`
    "CREATE FILE FORMAT IF NOT EXISTS RETAIL.RAW.LAKE_JSON
      TYPE = JSON
      COMPRESSION = AUTO
      STRIP_OUTER_ARRAY = FALSE
      STRIP_NULL_VALUES = FALSE
      COMMENT = 'NDJSON files written by the retail-mds lake writer: one object a line.'"
  `);
  const pipe = steps.find((s) => s.kind === "pipe" && s.sql.includes("SALE_LINE_PIPE"))?.sql;
  expect(pipe).toContain("$1:net_amount::NUMBER(12,2)");
  expect(pipe).toContain("PATTERN = '^(sale_line/)?dt=");
  expect(pipe).toContain("[.]ndjson([.]gz)?$'");
  expect(pipe).toContain("FILE_FORMAT = (FORMAT_NAME = 'RETAIL.RAW.LAKE_JSON')");
});
