-- One row per SKU with its current attributes and prices (history in snap_product_price), plus
-- the unknown product ('-1') that orphan references point to.
with known_products as (
    select
        sku,
        product_name,
        category,
        subcategory,
        brand,
        unit_cost,
        list_price,
        vat_rate,
        is_perishable,
        launched_on,
        is_price_unknown,
        false as is_unknown
    from {{ ref('slv_product') }}
),

unknown_product as (
    select
        '-1' as sku,
        'Unknown product' as product_name,
        'Unknown' as category,
        'Unknown' as subcategory,
        'Unknown' as brand,
        cast(null as decimal(12, 2)) as unit_cost,
        cast(null as decimal(12, 2)) as list_price,
        cast(null as decimal(5, 4)) as vat_rate,
        false as is_perishable,
        cast(null as date) as launched_on,
        true as is_price_unknown,
        true as is_unknown
)

select * from known_products
union all
select * from unknown_product
