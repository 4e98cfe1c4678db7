-- Returns by business day, store and product, against what sold the same day. Incremental: the
-- days touched by new sale lines (and every day after them) are rebuilt whole.
{{
    config(
        materialized='incremental',
        unique_key='sale_date',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with sales as (
    select * from {{ ref('fct_sales') }}
    {% if is_incremental() %}where sale_date >= {{ first_touched_day(ref('fct_sales'), 'sale_date') }}{% endif %}
),

products as (
    select sku, product_name, category from {{ ref('dim_product') }}
),

product_days as (
    select
        sale_date,
        store_id,
        sku,
        sum(case when is_return then 1 else 0 end) as return_lines,
        sum(units_returned) as units_returned,
        sum(units_sold) as units_sold,
        sum(case when is_return then -net_amount else 0 end) as refund_amount,
        max(_loaded_at) as _loaded_at
    from sales
    group by sale_date, store_id, sku
)

select
    cast(product_days.sale_date as date) as sale_date,
    cast(product_days.store_id as varchar) as store_id,
    cast(product_days.sku as varchar) as sku,
    cast(products.product_name as varchar) as product_name,
    cast(products.category as varchar) as category,
    cast(product_days.return_lines as integer) as return_lines,
    cast(product_days.units_returned as integer) as units_returned,
    cast(product_days.units_sold as integer) as units_sold,
    cast(product_days.refund_amount as decimal(18, 2)) as refund_amount,
    cast(cast(product_days.units_returned as decimal(18, 4)) / nullif(product_days.units_sold, 0) as decimal(18, 4)) as return_rate,
    cast(product_days._loaded_at as timestamp) as _loaded_at
from product_days
inner join products on product_days.sku = products.sku
where product_days.return_lines > 0
