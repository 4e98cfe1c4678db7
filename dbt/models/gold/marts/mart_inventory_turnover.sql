-- Inventory turnover by month, store and SKU: cost of goods sold over average stock at cost,
-- and the days of inventory that implies. Incremental: the months touched in fct_stock_daily
-- (and every month after them) are rebuilt whole.
{{
    config(
        materialized='incremental',
        unique_key='month_start',
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with stock_days as (
    select * from {{ ref('fct_stock_daily') }}
    {% if is_incremental() %}
    where snapshot_date >= {{ dbt.date_trunc('month', first_touched_day(ref('fct_stock_daily'), 'snapshot_date')) }}
    {% endif %}
),

dates as (
    select date_day, month_start from {{ ref('dim_date') }}
),

products as (
    select sku, category, unit_cost from {{ ref('dim_product') }}
),

monthly_stock as (
    select
        dates.month_start,
        stock_days.store_id,
        stock_days.sku,
        count(*) as stock_days,
        sum(stock_days.units_sold) as units_sold,
        avg(cast(stock_days.on_hand as decimal(18, 4))) as avg_on_hand_units,
        sum(case when stock_days.is_stock_out then 1 else 0 end) as stock_out_days,
        max(stock_days._loaded_at) as _loaded_at
    from stock_days
    inner join dates on stock_days.snapshot_date = dates.date_day
    group by dates.month_start, stock_days.store_id, stock_days.sku
),

valued_stock as (
    select
        monthly_stock.*,
        products.category,
        monthly_stock.units_sold * products.unit_cost as cogs_amount,
        monthly_stock.avg_on_hand_units * products.unit_cost as avg_inventory_value
    from monthly_stock
    inner join products on monthly_stock.sku = products.sku
)

select
    cast(month_start as date) as month_start,
    cast(store_id as varchar) as store_id,
    cast(sku as varchar) as sku,
    cast(category as varchar) as category,
    cast(stock_days as integer) as stock_days,
    cast(units_sold as integer) as units_sold,
    cast(stock_out_days as integer) as stock_out_days,
    cast(avg_on_hand_units as decimal(18, 4)) as avg_on_hand_units,
    cast(cogs_amount as decimal(18, 2)) as cogs_amount,
    cast(avg_inventory_value as decimal(18, 2)) as avg_inventory_value,
    cast(cogs_amount / nullif(avg_inventory_value, 0) as decimal(18, 4)) as turnover_ratio,
    cast(stock_days * avg_inventory_value / nullif(cogs_amount, 0) as decimal(18, 2)) as days_of_inventory,
    cast(_loaded_at as timestamp) as _loaded_at
from valued_stock
