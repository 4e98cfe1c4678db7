-- Clean stock movements, one per movement_id (the latest load wins), incremental on moved_at
-- with the look-back window.
{{ config(unique_key='movement_id') }}

with candidate_movements as (
    select *
    from {{ ref('slv_stock_movement_unified') }}
    where reject_reason is null
      and {{ incremental_window('moved_at') }}
),

ranked_movements as (
    select
        *,
        row_number() over (
            partition by movement_id
            order by _loaded_at desc, _feed desc, _source_file desc, _source_row desc
        ) as load_rank
    from candidate_movements
)

select
    movement_id,
    moved_at,
    store_id,
    sku,
    movement_type,
    quantity,
    reference,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from ranked_movements
where load_rank = 1
