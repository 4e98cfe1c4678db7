-- Modern and legacy stock movements in one shape, legacy text parsed, each row with the reason it
-- cannot enter silver (null when it can).
{#- A view everywhere; fakesnow (tests only) cannot run every Snowflake function inside a view. -#}
{{ config(materialized=var('unified_materialized', 'view')) }}

with modern_movements as (
    select
        movement_id,
        moved_at,
        store_id,
        sku,
        movement_type,
        quantity,
        reference,
        cast(null as varchar) as parse_error,
        'modern' as _feed,
        _source_file,
        _source_row,
        _loaded_at
    from {{ ref('brz_stock_movement') }}
),

legacy_movements as (
    select
        {{ clean_text('movement_id') }} as movement_id,
        {{ parse_legacy_timestamp('moved_at') }} as moved_at,
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('sku') }} as sku,
        lower({{ clean_text('movement_type') }}) as movement_type,
        {{ parse_legacy_int('quantity') }} as quantity,
        {{ clean_text('reference') }} as reference,
        case
            when {{ clean_text('moved_at') }} is not null and {{ parse_legacy_timestamp('moved_at') }} is null then 'unparseable moved_at'
            when {{ clean_text('quantity') }} is not null and {{ parse_legacy_int('quantity') }} is null then 'unparseable quantity'
        end as parse_error,
        'legacy' as _feed,
        _source_file,
        _source_row,
        _loaded_at
    from {{ ref('brz_stock_movement_legacy') }}
),

all_movements as (
    select * from modern_movements
    union all
    select * from legacy_movements
)

select
    movement_id,
    moved_at,
    store_id,
    sku,
    movement_type,
    quantity,
    reference,
    case
        when movement_id is null then 'null key'
        when parse_error is not null then parse_error
        when moved_at is null then 'null moved_at'
        when store_id is null then 'null store_id'
        when sku is null then 'null sku'
        when quantity is null then 'null quantity'
    end as reject_reason,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from all_movements
