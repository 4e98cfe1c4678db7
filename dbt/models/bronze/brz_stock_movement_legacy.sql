-- Bronze: raw.stock_movement_legacy, every column still text as the legacy files wrote it.
{{ config(materialized='view') }}

{{ bronze_select('stock_movement_legacy') }}
