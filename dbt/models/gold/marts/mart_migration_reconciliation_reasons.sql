-- What explains the migration reconciliation: per layout, business day and store (or
-- unattributed) and reason, the rows, quantity and amount of the lines rejected for a data
-- reason, of files rejected whole, and of lines that are no sale.

with reason_lines as (
    {{ migration_reason_lines() }}
)

select
    cast(layout as varchar) as layout,
    cast(line_kind as varchar) as line_kind,
    cast(business_day as date) as business_day,
    cast(store_id as varchar) as store_id,
    cast(case line_class when 'rejected' then 'reject' when 'file_rejected' then 'file_rejection' else 'not_sale' end as varchar) as explanation_kind,
    cast(reason as varchar) as reason,
    cast(reason_rows as bigint) as rows,
    cast(reason_quantity as bigint) as quantity,
    cast(reason_amount as decimal(18, 2)) as amount
from reason_lines
where line_class <> 'accepted'
