-- Daily sales by store and channel, on the store's business day. Incremental: the days touched
-- by new sale lines (and every day after them) are rebuilt whole.
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

stores as (
    select store_id, store_name, format from {{ ref('dim_store') }}
),

daily_sales as (
    select
        sale_date,
        store_id,
        channel,
        count(distinct transaction_id) as tickets,
        count(*) as sale_lines,
        count(distinct case when customer_id <> '-1' then customer_id end) as identified_customers,
        sum(units_sold) as units_sold,
        sum(units_returned) as units_returned,
        sum(case when not is_return then net_amount else 0 end) as gross_sales_amount,
        sum(case when is_return then -net_amount else 0 end) as returns_amount,
        sum(net_amount) as net_sales_amount,
        sum(net_amount_excl_vat) as net_sales_excl_vat_amount,
        sum(discount_amount) as discount_amount,
        max(_loaded_at) as _loaded_at
    from sales
    group by sale_date, store_id, channel
)

select
    cast(daily_sales.sale_date as date) as sale_date,
    cast(daily_sales.store_id as varchar) as store_id,
    cast(stores.store_name as varchar) as store_name,
    cast(stores.format as varchar) as store_format,
    cast(daily_sales.channel as varchar) as channel,
    cast(daily_sales.tickets as integer) as tickets,
    cast(daily_sales.sale_lines as integer) as sale_lines,
    cast(daily_sales.identified_customers as integer) as identified_customers,
    cast(daily_sales.units_sold as integer) as units_sold,
    cast(daily_sales.units_returned as integer) as units_returned,
    cast(daily_sales.gross_sales_amount as decimal(18, 2)) as gross_sales_amount,
    cast(daily_sales.returns_amount as decimal(18, 2)) as returns_amount,
    cast(daily_sales.net_sales_amount as decimal(18, 2)) as net_sales_amount,
    cast(daily_sales.net_sales_excl_vat_amount as decimal(18, 2)) as net_sales_excl_vat_amount,
    cast(daily_sales.discount_amount as decimal(18, 2)) as discount_amount,
    cast(daily_sales.net_sales_amount / nullif(daily_sales.tickets, 0) as decimal(18, 2)) as avg_ticket_amount,
    cast(daily_sales._loaded_at as timestamp) as _loaded_at
from daily_sales
inner join stores on daily_sales.store_id = stores.store_id
