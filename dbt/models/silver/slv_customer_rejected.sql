-- Customers that could not enter silver, with the reason.
{{ config(materialized='view') }}

select
    customer_id,
    reject_reason,
    'rejected' as disposition,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from {{ ref('slv_customer_unified') }}
where reject_reason is not null
