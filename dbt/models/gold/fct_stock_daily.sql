-- One row per store, SKU and business day: the closing position, the day's sales and stock
-- movements, the trailing demand, the stock-out flag and the days of cover.
-- Incremental: every day from the earliest one touched by a new load (or the look-back window)
-- onwards is rebuilt, reading enough history for the trailing windows, so a late sale line
-- corrects its day and the demand averages after it exactly as a full refresh would.
{{
    config(
        materialized='incremental',
        unique_key=['snapshot_date', 'store_id', 'sku'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

{%- set window_days = var('demand_window_days') %}

{#- The days to rebuild and the first day of history their trailing window needs. -#}
{%- if is_incremental() %}
{%- set rebuild_window_ctes %}
built_through as (
    -- An empty target (its first runs had nothing to read) has built nothing: read everything.
    select
        coalesce(max(_loaded_at), cast('1900-01-01' as timestamp)) as loaded_at,
        max(snapshot_date) as last_day
    from {{ this }}
),

touched_days as (
    select {{ dbt.dateadd('day', -1 * var('lookback_days'), 'last_day') }} as touched_day from built_through
    union all
    select min(snapshot_date) from {{ ref('slv_stock_snapshot') }}
    where _loaded_at > (select loaded_at from built_through)
    union all
    select min(sale_date) from {{ ref('fct_sales') }}
    where _loaded_at > (select loaded_at from built_through)
),

rebuild_window as (
    select
        min(touched_day) as first_day,
        {{ dbt.dateadd('day', -1 * (window_days + 1), 'min(touched_day)') }} as history_from
    from touched_days
)
{%- endset %}
{%- endif %}

{#- Read once before the model runs and inlined as literals: a date bound the planner knows lets
    DuckDB skip the row groups of older days (Snowflake: micro-partitions) instead of scanning
    all of history and filtering after the joins. Same days as the subquery, so the same rows. -#}
{%- set first_day = '(select first_day from rebuild_window)' %}
{%- set history_from = '(select history_from from rebuild_window)' %}
{%- if is_incremental() and execute %}
    {%- set bounds = run_query('with ' ~ rebuild_window_ctes ~ ' select cast(first_day as date), cast(history_from as date) from rebuild_window').rows[0] %}
    {%- set first_day = "cast(null as date)" if bounds[0] is none else "cast('" ~ (bounds[0] | string)[:10] ~ "' as date)" %}
    {%- set history_from = "cast(null as date)" if bounds[1] is none else "cast('" ~ (bounds[1] | string)[:10] ~ "' as date)" %}
{%- endif %}

with
{% if is_incremental() %}
{{ rebuild_window_ctes }},
{% endif %}

stores as (
    select store_id, timezone from {{ ref('dim_store') }} where not is_unknown
),

products as (
    select sku from {{ ref('dim_product') }} where not is_unknown
),

-- A position of an unknown store or SKU cannot be placed or valued: it stays in silver, listed
-- in slv_stock_snapshot_rejected as an orphan, and is left out here.
positions as (
    select
        snapshots.snapshot_date,
        snapshots.store_id,
        snapshots.sku,
        snapshots.on_hand,
        snapshots.on_order,
        snapshots.reorder_point,
        snapshots._loaded_at
    from {{ ref('slv_stock_snapshot') }} as snapshots
    inner join stores on snapshots.store_id = stores.store_id
    inner join products on snapshots.sku = products.sku
    {% if is_incremental() %}where snapshots.snapshot_date >= {{ history_from }}{% endif %}
),

daily_sales as (
    select
        sale_date,
        store_id,
        sku,
        sum(units_sold) as units_sold,
        sum(units_returned) as units_returned,
        max(_loaded_at) as _loaded_at
    from {{ ref('fct_sales') }}
    {% if is_incremental() %}where sale_date >= {{ history_from }}{% endif %}
    group by sale_date, store_id, sku
),

daily_movements as (
    select
        {{ local_date('movements.moved_at', 'stores.timezone') }} as movement_date,
        movements.store_id,
        movements.sku,
        sum(movements.quantity) as net_movement_units,
        max(movements._loaded_at) as _loaded_at
    from {{ ref('slv_stock_movement') }} as movements
    inner join stores on movements.store_id = stores.store_id
    {% if is_incremental() %}where movements.moved_at >= {{ history_from }}{% endif %}
    group by 1, 2, 3
),

daily_positions as (
    select
        positions.snapshot_date,
        positions.store_id,
        positions.sku,
        positions.on_hand,
        positions.on_order,
        positions.reorder_point,
        coalesce(daily_sales.units_sold, 0) as units_sold,
        coalesce(daily_sales.units_returned, 0) as units_returned,
        coalesce(daily_movements.net_movement_units, 0) as net_movement_units,
        positions.on_hand = 0 as is_stock_out,
        positions.on_hand <= positions.reorder_point as is_below_reorder_point,
        greatest(
            positions._loaded_at,
            coalesce(daily_sales._loaded_at, positions._loaded_at),
            coalesce(daily_movements._loaded_at, positions._loaded_at)
        ) as _loaded_at
    from positions
    left join daily_sales
        on positions.snapshot_date = daily_sales.sale_date
        and positions.store_id = daily_sales.store_id
        and positions.sku = daily_sales.sku
    left join daily_movements
        on positions.snapshot_date = daily_movements.movement_date
        and positions.store_id = daily_movements.store_id
        and positions.sku = daily_movements.sku
),

-- Demand is what sold on the days the shelf was not empty: a stock-out day's sales are censored.
-- (No named WINDOW clause: Snowflake has none.)
trailing_demand as (
    select
        *,
        sum(case when not is_stock_out then units_sold else 0 end) over (
            partition by store_id, sku
            order by snapshot_date
            rows between {{ window_days }} preceding and 1 preceding
        ) as demand_units,
        sum(case when not is_stock_out then 1 else 0 end) over (
            partition by store_id, sku
            order by snapshot_date
            rows between {{ window_days }} preceding and 1 preceding
        ) as demand_days
    from daily_positions
),

stock_days as (
    select
        *,
        cast(demand_units as decimal(18, 4)) / nullif(demand_days, 0) as avg_daily_demand
    from trailing_demand
),

rebuilt_days as (
    select
        cast(snapshot_date as date) as snapshot_date,
        cast(store_id as varchar) as store_id,
        cast(sku as varchar) as sku,
        cast(on_hand as integer) as on_hand,
        cast(on_order as integer) as on_order,
        cast(reorder_point as integer) as reorder_point,
        cast(units_sold as integer) as units_sold,
        cast(units_returned as integer) as units_returned,
        cast(net_movement_units as integer) as net_movement_units,
        cast(avg_daily_demand as decimal(18, 4)) as avg_daily_demand,
        cast(on_hand / nullif(avg_daily_demand, 0) as decimal(18, 2)) as days_of_cover,
        cast(is_stock_out as boolean) as is_stock_out,
        cast(is_below_reorder_point as boolean) as is_below_reorder_point,
        cast(_loaded_at as timestamp) as _loaded_at
    from stock_days
    {% if is_incremental() %}where snapshot_date >= {{ first_day }}{% endif %}
)

select * from rebuilt_days
{% if is_incremental() -%}
-- A rebuilt row equal to the one already built is left alone rather than deleted and written
-- again: most of the look-back days do not change, and rewriting them is most of the run's I/O.
except
select
    snapshot_date,
    store_id,
    sku,
    on_hand,
    on_order,
    reorder_point,
    units_sold,
    units_returned,
    net_movement_units,
    avg_daily_demand,
    days_of_cover,
    is_stock_out,
    is_below_reorder_point,
    _loaded_at
from {{ this }}
where snapshot_date >= {{ first_day }}
{%- endif %}
