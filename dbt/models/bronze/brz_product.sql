-- Bronze: raw.product as loaded, typed as the entity declares, with its load metadata.
{{ config(materialized='view') }}

{{ bronze_select('product') }}
