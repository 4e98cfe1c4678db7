-- Stores that could not enter silver, with the reason.
{{ config(materialized='view') }}

select
    store_id,
    reject_reason,
    'rejected' as disposition,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from {{ ref('slv_store_unified') }}
where reject_reason is not null
