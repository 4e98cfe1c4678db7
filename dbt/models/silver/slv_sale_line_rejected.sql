-- Sale lines that could not enter silver, with the reason; and lines kept in silver whose store or
-- SKU is unknown (orphans), which gold maps to the unknown members. Nothing is dropped silently.
{{ config(materialized='view') }}

with rejected_lines as (
    select
        transaction_id,
        line_no,
        store_id,
        sku,
        reject_reason,
        'rejected' as disposition,
        _feed,
        _source_file,
        _source_row,
        _loaded_at
    from {{ ref('slv_sale_line_unified') }}
    where reject_reason is not null
),

orphan_lines as (
    select
        lines.transaction_id,
        lines.line_no,
        lines.store_id,
        lines.sku,
        case when stores.store_id is null then 'unknown store_id' else 'unknown sku' end as reject_reason,
        'kept as orphan' as disposition,
        lines._feed,
        lines._source_file,
        lines._source_row,
        lines._loaded_at
    from {{ ref('slv_sale_line') }} as lines
    left join {{ ref('slv_store') }} as stores on lines.store_id = stores.store_id
    left join {{ ref('slv_product') }} as products on lines.sku = products.sku
    where stores.store_id is null or products.sku is null
)

select * from rejected_lines
union all
select * from orphan_lines
