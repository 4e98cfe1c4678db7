-- One row per sale line, on the store's local business day, with its dimension keys. Orphan
-- store, SKU or customer references point to the unknown members ('-1'), never dropped.
-- Incremental like silver: new loads plus the look-back window, replaced by natural key.
{{
    config(
        materialized='incremental',
        unique_key=['transaction_id', 'line_no'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

with new_lines as (
    select *
    from {{ ref('slv_sale_line') }}
    where {{ incremental_window('sold_at') }}
),

stores as (
    select store_id, timezone from {{ ref('dim_store') }} where not is_unknown
),

products as (
    select sku from {{ ref('dim_product') }} where not is_unknown
),

customers as (
    select customer_id from {{ ref('dim_customer') }} where not is_unknown
),

resolved_lines as (
    select
        new_lines.*,
        stores.store_id as known_store_id,
        -- An orphan store has no time zone: its business day falls back to the UTC date.
        coalesce(stores.timezone, 'UTC') as store_timezone,
        products.sku as known_sku,
        customers.customer_id as known_customer_id
    from new_lines
    left join stores on new_lines.store_id = stores.store_id
    left join products on new_lines.sku = products.sku
    left join customers on new_lines.customer_id = customers.customer_id
)

select
    cast(transaction_id as varchar) as transaction_id,
    cast(line_no as integer) as line_no,
    cast(sold_at as timestamp) as sold_at,
    cast({{ local_date('sold_at', 'store_timezone') }} as date) as sale_date,
    cast(coalesce(known_store_id, '-1') as varchar) as store_id,
    cast(coalesce(known_sku, '-1') as varchar) as sku,
    cast(coalesce(known_customer_id, '-1') as varchar) as customer_id,
    cast(channel as varchar) as channel,
    cast(payment_method as varchar) as payment_method,
    cast(currency as varchar) as currency,
    cast(quantity as integer) as quantity,
    cast(case when quantity > 0 then quantity else 0 end as integer) as units_sold,
    cast(case when quantity < 0 then -quantity else 0 end as integer) as units_returned,
    cast(unit_price as decimal(12, 2)) as unit_price,
    cast(discount_amount as decimal(12, 2)) as discount_amount,
    cast(net_amount as decimal(12, 2)) as net_amount,
    cast(vat_amount as decimal(12, 2)) as vat_amount,
    cast(net_amount - vat_amount as decimal(12, 2)) as net_amount_excl_vat,
    cast(is_return as boolean) as is_return,
    cast(is_price_unknown as boolean) as is_price_unknown,
    cast(known_store_id is null or known_sku is null as boolean) as is_orphan,
    cast(_source_file as varchar) as _source_file,
    cast(_loaded_at as timestamp) as _loaded_at
from resolved_lines
