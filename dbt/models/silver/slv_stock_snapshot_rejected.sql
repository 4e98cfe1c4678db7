-- Stock positions that could not enter silver, with the reason, and orphans kept in silver.
{{ config(materialized='view') }}

with rejected_snapshots as (
    select snapshot_date, store_id, sku, reject_reason, 'rejected' as disposition,
        _feed, _source_file, _source_row, _loaded_at
    from {{ ref('slv_stock_snapshot_unified') }}
    where reject_reason is not null
),

orphan_snapshots as (
    select
        snapshots.snapshot_date,
        snapshots.store_id,
        snapshots.sku,
        case when stores.store_id is null then 'unknown store_id' else 'unknown sku' end as reject_reason,
        'kept as orphan' as disposition,
        snapshots._feed,
        snapshots._source_file,
        snapshots._source_row,
        snapshots._loaded_at
    from {{ ref('slv_stock_snapshot') }} as snapshots
    left join {{ ref('slv_store') }} as stores on snapshots.store_id = stores.store_id
    left join {{ ref('slv_product') }} as products on snapshots.sku = products.sku
    where stores.store_id is null or products.sku is null
)

select * from rejected_snapshots
union all
select * from orphan_snapshots
