-- Modern and legacy products in one shape, legacy text parsed and trimmed, each row with the
-- reason it cannot enter silver (null when it can).
{#- A view everywhere; fakesnow (tests only) cannot run every Snowflake function inside a view. -#}
{{ config(materialized=var('unified_materialized', 'view')) }}

with modern_products as (
    select
        sku, product_name, category, subcategory, brand, unit_cost, list_price, vat_rate,
        is_perishable, launched_on,
        cast(null as varchar) as parse_error,
        'modern' as _feed, _source_file, _source_row, _loaded_at
    from {{ ref('brz_product') }}
),

legacy_products as (
    select
        {{ clean_text('sku') }} as sku,
        {{ clean_text('product_name') }} as product_name,
        {{ clean_text('category') }} as category,
        {{ clean_text('subcategory') }} as subcategory,
        {{ clean_text('brand') }} as brand,
        {{ parse_legacy_decimal('unit_cost', 12, 2) }} as unit_cost,
        {{ parse_legacy_decimal('list_price', 12, 2) }} as list_price,
        {{ parse_legacy_decimal('vat_rate', 5, 4) }} as vat_rate,
        {{ parse_legacy_boolean('is_perishable') }} as is_perishable,
        {{ parse_legacy_date('launched_on') }} as launched_on,
        case
            when {{ clean_text('unit_cost') }} is not null and {{ parse_legacy_decimal('unit_cost', 12, 2) }} is null then 'unparseable unit_cost'
            when {{ clean_text('list_price') }} is not null and {{ parse_legacy_decimal('list_price', 12, 2) }} is null then 'unparseable list_price'
            when {{ clean_text('vat_rate') }} is not null and {{ parse_legacy_decimal('vat_rate', 5, 4) }} is null then 'unparseable vat_rate'
            when {{ clean_text('is_perishable') }} is not null and {{ parse_legacy_boolean('is_perishable') }} is null then 'unparseable is_perishable'
            when {{ clean_text('launched_on') }} is not null and {{ parse_legacy_date('launched_on') }} is null then 'unparseable launched_on'
        end as parse_error,
        'legacy' as _feed, _source_file, _source_row, _loaded_at
    from {{ ref('brz_product_legacy') }}
),

all_products as (
    select * from modern_products
    union all
    select * from legacy_products
)

select
    sku, product_name, category, subcategory, brand, unit_cost,
    case when list_price = {{ var('legacy_price_sentinel') }} then null else list_price end as list_price,
    vat_rate, is_perishable, launched_on,
    coalesce(list_price = {{ var('legacy_price_sentinel') }}, false) as is_price_unknown,
    {{ has_replacement_char('product_name') }} as has_encoding_error,
    case
        when sku is null then 'null key'
        when parse_error is not null then parse_error
    end as reject_reason,
    _feed, _source_file, _source_row, _loaded_at
from all_products
