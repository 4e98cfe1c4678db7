-- Modern and legacy sale lines in one shape: legacy text parsed, both feeds conformed, and every
-- row given the reason it cannot enter silver (null when it can). slv_sale_line keeps the good
-- rows, slv_sale_line_rejected the others.
{#- A view everywhere; fakesnow (tests only) cannot run every Snowflake function inside a view. -#}
{{ config(materialized=var('unified_materialized', 'view')) }}

with modern_lines as (
    select
        transaction_id,
        line_no,
        sold_at,
        store_id,
        sku,
        customer_id,
        quantity,
        unit_price,
        discount_amount,
        net_amount,
        vat_amount,
        payment_method,
        channel,
        currency,
        cast(null as varchar) as parse_error,
        'modern' as _feed,
        _source_file,
        _source_row,
        _loaded_at
    from {{ ref('brz_sale_line') }}
),

legacy_lines as (
    select
        {{ clean_text('transaction_id') }} as transaction_id,
        {{ parse_legacy_int('line_no') }} as line_no,
        {{ parse_legacy_timestamp('sold_at') }} as sold_at,
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('sku') }} as sku,
        {{ clean_text('customer_id') }} as customer_id,
        {{ parse_legacy_int('quantity') }} as quantity,
        {{ parse_legacy_decimal('unit_price', 12, 2) }} as unit_price,
        {{ parse_legacy_decimal('discount_amount', 12, 2) }} as discount_amount,
        {{ parse_legacy_decimal('net_amount', 12, 2) }} as net_amount,
        {{ parse_legacy_decimal('vat_amount', 12, 2) }} as vat_amount,
        lower({{ clean_text('payment_method') }}) as payment_method,
        lower({{ clean_text('channel') }}) as channel,
        upper({{ clean_text('currency') }}) as currency,
        case
            when {{ clean_text('line_no') }} is not null and {{ parse_legacy_int('line_no') }} is null then 'unparseable line_no'
            when {{ clean_text('sold_at') }} is not null and {{ parse_legacy_timestamp('sold_at') }} is null then 'unparseable sold_at'
            when {{ clean_text('quantity') }} is not null and {{ parse_legacy_int('quantity') }} is null then 'unparseable quantity'
            when {{ clean_text('unit_price') }} is not null and {{ parse_legacy_decimal('unit_price', 12, 2) }} is null then 'unparseable unit_price'
            when {{ clean_text('discount_amount') }} is not null and {{ parse_legacy_decimal('discount_amount', 12, 2) }} is null then 'unparseable discount_amount'
            when {{ clean_text('net_amount') }} is not null and {{ parse_legacy_decimal('net_amount', 12, 2) }} is null then 'unparseable net_amount'
            when {{ clean_text('vat_amount') }} is not null and {{ parse_legacy_decimal('vat_amount', 12, 2) }} is null then 'unparseable vat_amount'
        end as parse_error,
        'legacy' as _feed,
        _source_file,
        _source_row,
        _loaded_at
    from {{ ref('brz_sale_line_legacy') }}
),

all_lines as (
    select * from modern_lines
    union all
    select * from legacy_lines
),

conformed_lines as (
    select
        transaction_id,
        line_no,
        sold_at,
        store_id,
        sku,
        customer_id,
        quantity,
        -- The legacy till wrote 99999.99 when it did not know the price: unknown, not a price.
        case when unit_price = {{ var('legacy_price_sentinel') }} then null else unit_price end as unit_price,
        discount_amount,
        -- An unmarked return (negative quantity, positive amounts) is refunded money: flip the sign.
        case when quantity < 0 and net_amount > 0 then -net_amount else net_amount end as net_amount,
        case when quantity < 0 and vat_amount > 0 then -vat_amount else vat_amount end as vat_amount,
        payment_method,
        channel,
        currency,
        quantity < 0 as is_return,
        coalesce(unit_price = {{ var('legacy_price_sentinel') }}, false) as is_price_unknown,
        coalesce(quantity < 0 and (net_amount > 0 or vat_amount > 0), false) as is_sign_corrected,
        case
            when transaction_id is null or line_no is null then 'null key'
            when parse_error is not null then parse_error
            when sold_at is null then 'null sold_at'
            when store_id is null then 'null store_id'
            when sku is null then 'null sku'
            when quantity is null then 'null quantity'
            when net_amount is null then 'null net_amount'
        end as reject_reason,
        _feed,
        _source_file,
        _source_row,
        _loaded_at
    from all_lines
)

select * from conformed_lines
