-- One row per loyalty customer, plus '-1': the anonymous ticket, or a customer not (yet) known.
with known_customers as (
    select
        customer_id,
        first_name,
        last_name,
        email,
        segment,
        city,
        country,
        signup_on,
        false as is_unknown
    from {{ ref('slv_customer') }}
),

unknown_customer as (
    select
        '-1' as customer_id,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as email,
        'anonymous' as segment,
        'Unknown' as city,
        'ZZ' as country,
        cast(null as date) as signup_on,
        true as is_unknown
)

select * from known_customers
union all
select * from unknown_customer
