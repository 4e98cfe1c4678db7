-- One row per calendar day the facts can fall on (a day either side of the data, since a UTC
-- instant's local date can differ by one), plus the unknown day 1900-01-01.
with event_days as (
    select cast(sold_at as date) as event_day from {{ ref('slv_sale_line') }}
    union all
    select snapshot_date as event_day from {{ ref('slv_stock_snapshot') }}
),

calendar_bounds as (
    select
        {% if var('calendar_start') %}cast('{{ var("calendar_start") }}' as date){% else %}{{ dbt.dateadd('day', -1, 'min(event_day)') }}{% endif %} as first_day,
        {% if var('calendar_end') %}cast('{{ var("calendar_end") }}' as date){% else %}{{ dbt.dateadd('day', 1, 'max(event_day)') }}{% endif %} as last_day
    from event_days
),

calendar as (
    {{ calendar_days('(select first_day from calendar_bounds)', '(select last_day from calendar_bounds)') }}
),

known_days as (
    select
        cast(date_day as date) as date_day,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        cast(extract(day from date_day) as integer) as day_of_month,
        cast({{ iso_day_of_week('date_day') }} as integer) as iso_day_of_week,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.date_trunc('week', 'date_day') }} as date) as week_start,
        {{ iso_day_of_week('date_day') }} >= 6 as is_weekend,
        false as is_unknown
    from calendar
),

unknown_day as (
    select
        cast('1900-01-01' as date) as date_day,
        1900 as year_number,
        1 as quarter_number,
        1 as month_number,
        1 as day_of_month,
        1 as iso_day_of_week,
        cast('1900-01-01' as date) as month_start,
        cast('1900-01-01' as date) as week_start,
        false as is_weekend,
        true as is_unknown
)

select * from known_days
union all
select * from unknown_day
