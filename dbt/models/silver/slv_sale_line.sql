-- Clean sale lines, one per natural key (the latest load wins), from both feeds. Incremental on
-- the event time with a look-back window: late-arriving lines land on the day they were sold.
{{ config(unique_key=['transaction_id', 'line_no']) }}

with candidate_lines as (
    select *
    from {{ ref('slv_sale_line_unified') }}
    where reject_reason is null
      and {{ incremental_window('sold_at') }}
),

ranked_lines as (
    select
        *,
        row_number() over (
            partition by transaction_id, line_no
            order by _loaded_at desc, _feed desc, _source_file desc, _source_row desc
        ) as load_rank
    from candidate_lines
)

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
    is_return,
    is_price_unknown,
    is_sign_corrected,
    _feed,
    _source_file,
    _source_row,
    _loaded_at
from ranked_lines
where load_rank = 1
