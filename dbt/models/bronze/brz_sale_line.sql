-- Bronze: raw.sale_line as loaded, typed as the entity declares, with its load metadata.
{{ config(materialized='view') }}

{{ bronze_select('sale_line') }}
