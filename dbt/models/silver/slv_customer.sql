-- Current customers, one per customer_id (the latest load wins), from both feeds. Reference data is
-- small and has no event time: rebuilt in full on every run.
{{ config(materialized='table') }}

with ranked_customers as (
    select
        *,
        row_number() over (
            partition by customer_id
            order by _loaded_at desc, _feed desc, _source_file desc, _source_row desc
        ) as load_rank
    from {{ ref('slv_customer_unified') }}
    where reject_reason is null
)

select
    customer_id, first_name, last_name, email, segment, city, country, signup_on, has_encoding_error,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from ranked_customers
where load_rank = 1
