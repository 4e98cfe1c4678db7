-- Bronze: raw.sale_line_legacy, every column still text as the legacy files wrote it.
{{ config(materialized='view') }}

{{ bronze_select('sale_line_legacy') }}
