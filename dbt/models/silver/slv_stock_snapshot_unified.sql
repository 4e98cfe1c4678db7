-- Modern and legacy end-of-day stock positions in one shape, legacy text parsed, each row with the
-- reason it cannot enter silver (null when it can).
{#- A view everywhere; fakesnow (tests only) cannot run every Snowflake function inside a view. -#}
{{ config(materialized=var('unified_materialized', 'view')) }}

with modern_snapshots as (
    select
        snapshot_date,
        store_id,
        sku,
        on_hand,
        on_order,
        reorder_point,
        cast(null as varchar) as parse_error,
        'modern' as _feed,
        _source_file,
        _source_row,
        _loaded_at
    from {{ ref('brz_stock_snapshot') }}
),

legacy_snapshots as (
    select
        {{ parse_legacy_date('snapshot_date') }} as snapshot_date,
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('sku') }} as sku,
        {{ parse_legacy_int('on_hand') }} as on_hand,
        {{ parse_legacy_int('on_order') }} as on_order,
        {{ parse_legacy_int('reorder_point') }} as reorder_point,
        case
            when {{ clean_text('snapshot_date') }} is not null and {{ parse_legacy_date('snapshot_date') }} is null then 'unparseable snapshot_date'
            when {{ clean_text('on_hand') }} is not null and {{ parse_legacy_int('on_hand') }} is null then 'unparseable on_hand'
            when {{ clean_text('on_order') }} is not null and {{ parse_legacy_int('on_order') }} is null then 'unparseable on_order'
            when {{ clean_text('reorder_point') }} is not null and {{ parse_legacy_int('reorder_point') }} is null then 'unparseable reorder_point'
        end as parse_error,
        'legacy' as _feed,
        _source_file,
        _source_row,
        _loaded_at
    from {{ ref('brz_stock_snapshot_legacy') }}
),

all_snapshots as (
    select * from modern_snapshots
    union all
    select * from legacy_snapshots
)

select
    snapshot_date,
    store_id,
    sku,
    on_hand,
    on_order,
    reorder_point,
    case
        when snapshot_date is null or store_id is null or sku is null then 'null key'
        when parse_error is not null then parse_error
        when on_hand is null then 'null on_hand'
    end as reject_reason,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from all_snapshots
