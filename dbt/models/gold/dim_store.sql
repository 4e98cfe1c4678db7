-- One row per store, plus the unknown store ('-1') that orphan references point to.
with known_stores as (
    select
        store_id,
        store_name,
        format,
        city,
        region,
        country,
        timezone,
        opened_on,
        surface_m2,
        false as is_unknown
    from {{ ref('slv_store') }}
),

unknown_store as (
    select
        '-1' as store_id,
        'Unknown store' as store_name,
        'unknown' as format,
        'Unknown' as city,
        'Unknown' as region,
        'ZZ' as country,
        'UTC' as timezone,
        cast(null as date) as opened_on,
        cast(null as integer) as surface_m2,
        true as is_unknown
)

select * from known_stores
union all
select * from unknown_store
