-- Store x SKU x days closing with an empty shelf, and the sales they probably cost: the trailing
-- in-stock demand not served that day, valued at the current list price. Incremental: the days
-- touched in fct_stock_daily (and every day after them) are rebuilt whole.
{{
    config(
        materialized='incremental',
        unique_key='snapshot_date',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with stock_days as (
    select * from {{ ref('fct_stock_daily') }}
    where is_stock_out
    {% if is_incremental() %}and snapshot_date >= {{ first_touched_day(ref('fct_stock_daily'), 'snapshot_date') }}{% endif %}
),

products as (
    select sku, product_name, category, list_price from {{ ref('dim_product') }}
),

stores as (
    select store_id, store_name from {{ ref('dim_store') }}
),

lost_sales as (
    select
        stock_days.*,
        case
            when stock_days.avg_daily_demand > stock_days.units_sold
                then stock_days.avg_daily_demand - stock_days.units_sold
            else 0
        end as lost_units_estimate
    from stock_days
)

select
    cast(lost_sales.snapshot_date as date) as snapshot_date,
    cast(lost_sales.store_id as varchar) as store_id,
    cast(stores.store_name as varchar) as store_name,
    cast(lost_sales.sku as varchar) as sku,
    cast(products.product_name as varchar) as product_name,
    cast(products.category as varchar) as category,
    cast(lost_sales.on_order as integer) as on_order,
    cast(lost_sales.units_sold as integer) as units_sold,
    cast(lost_sales.avg_daily_demand as decimal(18, 4)) as avg_daily_demand,
    cast(lost_sales.lost_units_estimate as decimal(18, 4)) as lost_units_estimate,
    cast(lost_sales.lost_units_estimate * products.list_price as decimal(18, 2)) as lost_sales_amount,
    cast(lost_sales._loaded_at as timestamp) as _loaded_at
from lost_sales
inner join products on lost_sales.sku = products.sku
inner join stores on lost_sales.store_id = stores.store_id
