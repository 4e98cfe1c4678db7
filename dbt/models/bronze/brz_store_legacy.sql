-- Bronze: raw.store_legacy, every column still text as the legacy files wrote it.
{{ config(materialized='view') }}

{{ bronze_select('store_legacy') }}
