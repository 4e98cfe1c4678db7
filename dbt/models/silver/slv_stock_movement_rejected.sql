-- Stock movements that could not enter silver, with the reason, and orphans kept in silver.
{{ config(materialized='view') }}

with rejected_movements as (
    select movement_id, store_id, sku, reject_reason, 'rejected' as disposition,
        _feed, _source_file, _source_row, _loaded_at
    from {{ ref('slv_stock_movement_unified') }}
    where reject_reason is not null
),

orphan_movements as (
    select
        movements.movement_id,
        movements.store_id,
        movements.sku,
        case when stores.store_id is null then 'unknown store_id' else 'unknown sku' end as reject_reason,
        'kept as orphan' as disposition,
        movements._feed,
        movements._source_file,
        movements._source_row,
        movements._loaded_at
    from {{ ref('slv_stock_movement') }} as movements
    left join {{ ref('slv_store') }} as stores on movements.store_id = stores.store_id
    left join {{ ref('slv_product') }} as products on movements.sku = products.sku
    where stores.store_id is null or products.sku is null
)

select * from rejected_movements
union all
select * from orphan_movements
