-- Modern and legacy stores in one shape, legacy text parsed and trimmed, each row with the reason
-- it cannot enter silver (null when it can).
{#- A view everywhere; fakesnow (tests only) cannot run every Snowflake function inside a view. -#}
{{ config(materialized=var('unified_materialized', 'view')) }}

with modern_stores as (
    select
        store_id, store_name, format, city, region, country, timezone, opened_on, surface_m2,
        cast(null as varchar) as parse_error,
        'modern' as _feed, _source_file, _source_row, _loaded_at
    from {{ ref('brz_store') }}
),

legacy_stores as (
    select
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('store_name') }} as store_name,
        lower({{ clean_text('format') }}) as format,
        {{ clean_text('city') }} as city,
        {{ clean_text('region') }} as region,
        upper({{ clean_text('country') }}) as country,
        {{ clean_text('timezone') }} as timezone,
        {{ parse_legacy_date('opened_on') }} as opened_on,
        {{ parse_legacy_int('surface_m2') }} as surface_m2,
        case
            when {{ clean_text('opened_on') }} is not null and {{ parse_legacy_date('opened_on') }} is null then 'unparseable opened_on'
            when {{ clean_text('surface_m2') }} is not null and {{ parse_legacy_int('surface_m2') }} is null then 'unparseable surface_m2'
        end as parse_error,
        'legacy' as _feed, _source_file, _source_row, _loaded_at
    from {{ ref('brz_store_legacy') }}
),

all_stores as (
    select * from modern_stores
    union all
    select * from legacy_stores
)

select
    store_id, store_name, format, city, region, country, timezone, opened_on, surface_m2,
    {{ has_replacement_char('store_name') }} as has_encoding_error,
    case
        when store_id is null then 'null key'
        when parse_error is not null then parse_error
        when timezone is null then 'null timezone'
    end as reject_reason,
    _feed, _source_file, _source_row, _loaded_at
from all_stores
