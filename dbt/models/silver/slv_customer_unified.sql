-- Modern and legacy customers in one shape, legacy text parsed and trimmed, each row with the
-- reason it cannot enter silver (null when it can).
{#- A view everywhere; fakesnow (tests only) cannot run every Snowflake function inside a view. -#}
{{ config(materialized=var('unified_materialized', 'view')) }}

with modern_customers as (
    select
        customer_id, first_name, last_name, email, segment, city, country, signup_on,
        cast(null as varchar) as parse_error,
        'modern' as _feed, _source_file, _source_row, _loaded_at
    from {{ ref('brz_customer') }}
),

legacy_customers as (
    select
        {{ clean_text('customer_id') }} as customer_id,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        lower({{ clean_text('email') }}) as email,
        lower({{ clean_text('segment') }}) as segment,
        {{ clean_text('city') }} as city,
        upper({{ clean_text('country') }}) as country,
        {{ parse_legacy_date('signup_on') }} as signup_on,
        case
            when {{ clean_text('signup_on') }} is not null and {{ parse_legacy_date('signup_on') }} is null then 'unparseable signup_on'
        end as parse_error,
        'legacy' as _feed, _source_file, _source_row, _loaded_at
    from {{ ref('brz_customer_legacy') }}
),

all_customers as (
    select * from modern_customers
    union all
    select * from legacy_customers
)

select
    customer_id, first_name, last_name, email, segment, city, country, signup_on,
    ({{ has_replacement_char('first_name') }} or {{ has_replacement_char('last_name') }}) as has_encoding_error,
    case
        when customer_id is null then 'null key'
        when parse_error is not null then parse_error
    end as reject_reason,
    _feed, _source_file, _source_row, _loaded_at
from all_customers
