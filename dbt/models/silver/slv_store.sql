-- Current stores, one per store_id (the latest load wins), from both feeds. Reference data is
-- small and has no event time: rebuilt in full on every run.
{{ config(materialized='table') }}

with ranked_stores as (
    select
        *,
        row_number() over (
            partition by store_id
            order by _loaded_at desc, _feed desc, _source_file desc, _source_row desc
        ) as load_rank
    from {{ ref('slv_store_unified') }}
    where reject_reason is null
)

select
    store_id, store_name, format, city, region, country, timezone, opened_on, surface_m2, has_encoding_error,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from ranked_stores
where load_rank = 1
