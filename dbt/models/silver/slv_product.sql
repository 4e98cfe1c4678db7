-- Current products, one per sku (the latest load wins), from both feeds. Reference data is
-- small and has no event time: rebuilt in full on every run.
{{ config(materialized='table') }}

with ranked_products as (
    select
        *,
        row_number() over (
            partition by sku
            order by _loaded_at desc, _feed desc, _source_file desc, _source_row desc
        ) as load_rank
    from {{ ref('slv_product_unified') }}
    where reject_reason is null
)

select
    sku, product_name, category, subcategory, brand, unit_cost, list_price, vat_rate, is_perishable, launched_on, is_price_unknown, has_encoding_error,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from ranked_products
where load_rank = 1
