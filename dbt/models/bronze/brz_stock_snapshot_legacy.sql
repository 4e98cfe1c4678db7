-- Bronze: raw.stock_snapshot_legacy, every column still text as the legacy files wrote it.
{{ config(materialized='view') }}

{{ bronze_select('stock_snapshot_legacy') }}
