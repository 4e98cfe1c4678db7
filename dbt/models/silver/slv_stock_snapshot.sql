-- Clean end-of-day stock positions, one per store, SKU and business day (the latest load wins),
-- incremental on snapshot_date with the look-back window.
{{ config(unique_key=['snapshot_date', 'store_id', 'sku']) }}

with candidate_snapshots as (
    select *
    from {{ ref('slv_stock_snapshot_unified') }}
    where reject_reason is null
      and {{ incremental_window('snapshot_date') }}
),

ranked_snapshots as (
    select
        *,
        row_number() over (
            partition by snapshot_date, store_id, sku
            order by _loaded_at desc, _feed desc, _source_file desc, _source_row desc
        ) as load_rank
    from candidate_snapshots
)

select
    snapshot_date,
    store_id,
    sku,
    on_hand,
    on_order,
    reorder_point,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from ranked_snapshots
where load_rank = 1
