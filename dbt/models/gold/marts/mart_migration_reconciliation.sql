-- The migration reconciliation: per legacy layout, business day and store, plus an unattributed
-- and a total line, the legacy feed against gold. unexplained = gold - legacy - explained, per
-- measure (rows, quantity, net amount); see docs/legacy.md, "Signing off a migration".

with reason_lines as (
    {{ migration_reason_lines() }}
),

sales as (
    select sale_date, store_id, quantity, net_amount from {{ ref('fct_sales') }}
),

explained_reasons as (
    select
        layout,
        line_kind,
        business_day,
        store_id,
        line_class,
        reason,
        reason_rows,
        {{ migration_reconciliation_said() }} as said
    from reason_lines
    where line_class <> 'accepted'
),

legacy_totals as (
    select
        layout,
        line_kind,
        business_day,
        store_id,
        sum(file_lines) as file_lines,
        sum(not_sale_rows) as not_sale_rows,
        sum(legacy_rows) as legacy_rows,
        sum(legacy_quantity) as legacy_quantity,
        sum(legacy_amount) as legacy_amount,
        sum(explained_rows) as explained_rows,
        sum(explained_quantity) as explained_quantity,
        sum(explained_amount) as explained_amount
    from reason_lines
    group by layout, line_kind, business_day, store_id
),

line_explanations as (
    select
        layout,
        business_day,
        store_id,
        {{ dbt.listagg('said', "'; '", 'order by line_class, reason') }} as explanation
    from explained_reasons
    group by layout, business_day, store_id
),

gold_totals as (
    select
        scope.layout,
        scope.business_day,
        scope.store_id,
        count(*) as gold_rows,
        sum(sales.quantity) as gold_quantity,
        sum(sales.net_amount) as gold_amount
    from (select distinct layout, business_day, store_id from legacy_totals where line_kind = 'day_store') as scope
    inner join sales on sales.sale_date = scope.business_day and sales.store_id = scope.store_id
    group by scope.layout, scope.business_day, scope.store_id
),

place_lines as (
    select
        legacy_totals.layout,
        legacy_totals.line_kind,
        legacy_totals.business_day,
        legacy_totals.store_id,
        legacy_totals.file_lines,
        legacy_totals.not_sale_rows,
        legacy_totals.legacy_rows,
        legacy_totals.legacy_quantity,
        legacy_totals.legacy_amount,
        coalesce(gold_totals.gold_rows, 0) as gold_rows,
        coalesce(gold_totals.gold_quantity, 0) as gold_quantity,
        coalesce(gold_totals.gold_amount, 0) as gold_amount,
        legacy_totals.explained_rows,
        legacy_totals.explained_quantity,
        legacy_totals.explained_amount,
        line_explanations.explanation
    from legacy_totals
    left join gold_totals
        on legacy_totals.line_kind = 'day_store'
        and gold_totals.layout = legacy_totals.layout
        and gold_totals.business_day = legacy_totals.business_day
        and gold_totals.store_id = legacy_totals.store_id
    left join line_explanations
        on line_explanations.layout = legacy_totals.layout
        and (line_explanations.business_day = legacy_totals.business_day
            or (line_explanations.business_day is null and legacy_totals.business_day is null))
        and (line_explanations.store_id = legacy_totals.store_id
            or (line_explanations.store_id is null and legacy_totals.store_id is null))
),

layout_reasons as (
    select layout, line_class, reason, sum(reason_rows) as reason_rows
    from explained_reasons
    group by layout, line_class, reason
),

layout_explanations as (
    select
        layout,
        {{ dbt.listagg(migration_reconciliation_said(), "'; '", 'order by line_class, reason') }} as explanation
    from layout_reasons
    group by layout
),

total_lines as (
    select
        place_lines.layout,
        'total' as line_kind,
        cast(null as date) as business_day,
        cast(null as varchar) as store_id,
        sum(place_lines.file_lines) as file_lines,
        sum(place_lines.not_sale_rows) as not_sale_rows,
        sum(place_lines.legacy_rows) as legacy_rows,
        sum(place_lines.legacy_quantity) as legacy_quantity,
        sum(place_lines.legacy_amount) as legacy_amount,
        sum(place_lines.gold_rows) as gold_rows,
        sum(place_lines.gold_quantity) as gold_quantity,
        sum(place_lines.gold_amount) as gold_amount,
        sum(place_lines.explained_rows) as explained_rows,
        sum(place_lines.explained_quantity) as explained_quantity,
        sum(place_lines.explained_amount) as explained_amount,
        max(layout_explanations.explanation) as explanation
    from place_lines
    left join layout_explanations on layout_explanations.layout = place_lines.layout
    group by place_lines.layout
),

all_lines as (
    select * from place_lines
    union all
    select * from total_lines
),

balanced_lines as (
    select
        all_lines.*,
        gold_rows - legacy_rows - explained_rows as unexplained_rows,
        gold_quantity - legacy_quantity - explained_quantity as unexplained_quantity,
        gold_amount - legacy_amount - explained_amount as unexplained_amount
    from all_lines
),

layout_verdicts as (
    -- Signed off: the total balances, and every day/store line balances, except lines where
    -- gold holds more rows while unattributed rejects exist (those rejects may be their rows).
    select
        layout,
        sum(case when line_kind = 'total' and (unexplained_rows <> 0 or unexplained_quantity <> 0 or unexplained_amount <> 0) then 1 else 0 end) as total_off,
        sum(case when line_kind = 'unattributed' then explained_rows else 0 end) as unattributed_rows,
        sum(case when line_kind = 'day_store' and (unexplained_rows <> 0 or unexplained_quantity <> 0 or unexplained_amount <> 0) then 1 else 0 end) as lines_off,
        sum(case when line_kind = 'day_store' and unexplained_rows <= 0 and (unexplained_rows <> 0 or unexplained_quantity <> 0 or unexplained_amount <> 0) then 1 else 0 end) as lines_off_not_gold_more
    from balanced_lines
    group by layout
)

select
    cast(balanced_lines.layout as varchar) as layout,
    cast(balanced_lines.line_kind as varchar) as line_kind,
    cast(balanced_lines.business_day as date) as business_day,
    cast(balanced_lines.store_id as varchar) as store_id,
    cast(balanced_lines.file_lines as bigint) as file_lines,
    cast(balanced_lines.not_sale_rows as bigint) as not_sale_rows,
    cast(balanced_lines.legacy_rows as bigint) as legacy_rows,
    cast(balanced_lines.legacy_quantity as bigint) as legacy_quantity,
    cast(balanced_lines.legacy_amount as decimal(18, 2)) as legacy_amount,
    cast(balanced_lines.gold_rows as bigint) as gold_rows,
    cast(balanced_lines.gold_quantity as bigint) as gold_quantity,
    cast(balanced_lines.gold_amount as decimal(18, 2)) as gold_amount,
    cast(balanced_lines.explained_rows as bigint) as explained_rows,
    cast(balanced_lines.explained_quantity as bigint) as explained_quantity,
    cast(balanced_lines.explained_amount as decimal(18, 2)) as explained_amount,
    cast(balanced_lines.unexplained_rows as bigint) as unexplained_rows,
    cast(balanced_lines.unexplained_quantity as bigint) as unexplained_quantity,
    cast(balanced_lines.unexplained_amount as decimal(18, 2)) as unexplained_amount,
    cast(coalesce(balanced_lines.explanation, '') as varchar) as explanation,
    cast(balanced_lines.unexplained_rows = 0 and balanced_lines.unexplained_quantity = 0 and balanced_lines.unexplained_amount = 0 as boolean) as is_balanced,
    cast(
        layout_verdicts.total_off = 0
        and (layout_verdicts.lines_off = 0 or (layout_verdicts.unattributed_rows > 0 and layout_verdicts.lines_off_not_gold_more = 0))
    as boolean) as is_signed_off
from balanced_lines
inner join layout_verdicts on layout_verdicts.layout = balanced_lines.layout
