{#- The legacy side of the migration reconciliation (docs/legacy.md, "Signing off a migration"):
    every detail line of the project's sale_line layouts, classified, placed on a business day
    and store, and valued. `layouts` is a list of `{name, routed}`: the layout's name (its models
    are slv_legacy_<name>, _rejected, _held, _files, _lines) and the reasons of its routing rules (lines
    that are no product sale). fct_legacy_sale_lines.sql calls it with the config's layouts, as
    `retail-mds dbt-sources` renders it (renderMigrationReconciliationModels).

    A line is one of:
      accepted       a record of slv_legacy_<name>: the legacy side, valued as it reads;
      rejected       a line rejected for a data reason: a real sale the platform feed gives gold;
      file_rejected  a mapped line of a file rejected whole (slv_legacy_<name>_held);
      not_sale       a routed line (fee, test) or dropped lines (one row per file): never a sale.
    A rejected or file_rejected line stands for one gold row: valued at the gold row its key
    (transaction_id, line_no) finds, else as the line reads, else 0; placed on that gold row's
    business day and store, else on its own (the store's local date of sold_at, macro
    local_date), else nowhere (the reconciliation's "unattributed" line). -#}
{% macro legacy_sale_lines(layouts) -%}
{%- if layouts | length == 0 -%}
select
    cast(null as varchar) as layout, cast(null as varchar) as line_class, cast(null as varchar) as reason,
    cast(null as date) as business_day, cast(null as varchar) as store_id, cast(null as varchar) as placed_by,
    cast(null as varchar) as transaction_id, cast(null as integer) as line_no, cast(null as integer) as lines,
    cast(null as integer) as quantity, cast(null as decimal(12, 2)) as net_amount, cast(null as boolean) as is_found_in_gold,
    cast(null as varchar) as _source_file, cast(null as bigint) as _source_row
where 1 = 0
{%- else -%}
with legacy_lines as (
    {%- for layout in layouts %}
    {{ legacy_sale_lines_of(layout) }}
    {%- if not loop.last %}
    union all{% endif %}
    {%- endfor %}
),

stores as (
    select store_id, timezone from {{ ref('dim_store') }} where not is_unknown
),

gold_lines as (
    select transaction_id, line_no, sale_date, store_id, quantity, net_amount
    from {{ ref('fct_sales') }}
),

read_lines as (
    select
        legacy_lines.*,
        -- As fct_sales does: a store gold does not know is the unknown member.
        case when stores.store_id is not null then stores.store_id else '-1' end as read_store_id,
        case
            when legacy_lines.sold_at is not null and legacy_lines.store_id is not null
                then {{ local_date('legacy_lines.sold_at', "coalesce(stores.timezone, 'UTC')") }}
        end as read_day
    from legacy_lines
    left join stores on legacy_lines.store_id = stores.store_id
),

found_lines as (
    select
        read_lines.*,
        -- Only the lines the platform did not read are looked up in gold.
        read_lines.line_class in ('rejected', 'file_rejected') and gold_lines.transaction_id is not null as is_found_in_gold,
        gold_lines.sale_date as gold_day,
        gold_lines.store_id as gold_store_id,
        gold_lines.quantity as gold_quantity,
        gold_lines.net_amount as gold_amount
    from read_lines
    -- On the key alone: a condition on read_lines in this ON made DuckDB plan a nested-loop join
    -- (more than 15 minutes for the demo's week); at most one gold row has the key.
    left join gold_lines
        on gold_lines.transaction_id = read_lines.transaction_id
        and gold_lines.line_no = read_lines.line_no
)

select
    cast(layout as varchar) as layout,
    cast(line_class as varchar) as line_class,
    cast(reason as varchar) as reason,
    cast(case when is_found_in_gold then gold_day else read_day end as date) as business_day,
    cast(case when is_found_in_gold then gold_store_id when read_day is not null then read_store_id end as varchar) as store_id,
    cast(case when is_found_in_gold then 'gold' when read_day is not null then 'line' end as varchar) as placed_by,
    cast(transaction_id as varchar) as transaction_id,
    cast(line_no as integer) as line_no,
    cast(lines as integer) as lines,
    cast(case when is_found_in_gold then gold_quantity else coalesce(quantity, 0) end as integer) as quantity,
    cast(case when is_found_in_gold then gold_amount else coalesce(net_amount, 0) end as decimal(12, 2)) as net_amount,
    cast(is_found_in_gold as boolean) as is_found_in_gold,
    cast(_source_file as varchar) as _source_file,
    cast(_source_row as bigint) as _source_row
from found_lines
{%- endif %}
{%- endmacro %}

{#- One layout's detail lines, classified, with the values they read as. -#}
{% macro legacy_sale_lines_of(layout) -%}
    {%- set columns = 'transaction_id, line_no, sold_at, store_id, quantity, net_amount, _source_file, _source_row' -%}
    select '{{ layout.name }}' as layout, 'accepted' as line_class, cast(null as varchar) as reason, {{ columns }}, 1 as lines
    from {{ ref('slv_legacy_' ~ layout.name) }}
    union all
    select
        '{{ layout.name }}',
        {% if layout.routed | length > 0 -%}
        case when reject_reason in ({% for r in layout.routed %}'{{ r }}'{% if not loop.last %}, {% endif %}{% endfor %}) then 'not_sale' else 'rejected' end,
        {%- else -%}
        'rejected',
        {%- endif %}
        reject_reason, {{ columns }}, 1
    from {{ ref('slv_legacy_' ~ layout.name ~ '_rejected') }}
    union all
    select '{{ layout.name }}', 'file_rejected', rejection_reason, {{ columns }}, 1
    from {{ ref('slv_legacy_' ~ layout.name ~ '_held') }}
    union all
    -- A file rejected for its frame (a missing trailer) counts no line in _files and _rejected:
    -- its mapped lines are in _held, its rejected and dropped ones only in _lines.
    select
        '{{ layout.name }}',
        case
            when outcome = 'dropped'{% if layout.routed | length > 0 %} or reject_reason in ({% for r in layout.routed %}'{{ r }}'{% if not loop.last %}, {% endif %}{% endfor %}){% endif %} then 'not_sale'
            else 'rejected'
        end,
        coalesce(reject_reason, drop_reason), {{ columns }}, 1
    from {{ ref('slv_legacy_' ~ layout.name ~ '_lines') }}
    where frame_rejection is not null and outcome <> 'mapped'
    union all
    -- Dropped lines are counted per file only.
    select
        '{{ layout.name }}', 'not_sale', 'dropped',
        cast(null as varchar), cast(null as integer), cast(null as timestamp), cast(null as varchar),
        cast(null as integer), cast(null as decimal(12, 2)), _source_file, cast(null as bigint),
        dropped
    from {{ ref('slv_legacy_' ~ layout.name ~ '_files') }}
    where dropped > 0
{%- endmacro %}

{#- How a line says one reason: `unparseable 2`, `file control_count 5`, `fee_line 1 (not a sale)`. -#}
{% macro migration_reconciliation_said() -%}
    case line_class
        when 'rejected' then reason || ' ' || cast(reason_rows as varchar)
        when 'file_rejected' then 'file ' || reason || ' ' || cast(reason_rows as varchar)
        else reason || ' ' || cast(reason_rows as varchar) || ' (not a sale)'
    end
{%- endmacro %}

{#- The legacy lines summed per layout, line (day and store, or unattributed) and reason. -#}
{% macro migration_reason_lines() -%}
    select
        layout,
        case when business_day is null then 'unattributed' else 'day_store' end as line_kind,
        business_day,
        store_id,
        line_class,
        coalesce(reason, '') as reason,
        sum(lines) as file_lines,
        sum(case when line_class = 'accepted' then 1 else 0 end) as legacy_rows,
        sum(case when line_class = 'accepted' then quantity else 0 end) as legacy_quantity,
        sum(case when line_class = 'accepted' then net_amount else 0 end) as legacy_amount,
        sum(case when line_class = 'not_sale' then lines else 0 end) as not_sale_rows,
        sum(case when line_class in ('rejected', 'file_rejected') then 1 else 0 end) as explained_rows,
        sum(case when line_class in ('rejected', 'file_rejected') then quantity else 0 end) as explained_quantity,
        sum(case when line_class in ('rejected', 'file_rejected') then net_amount else 0 end) as explained_amount,
        sum(lines) as reason_rows,
        sum(quantity) as reason_quantity,
        sum(net_amount) as reason_amount
    from {{ ref('fct_legacy_sale_lines') }}
    group by layout, business_day, store_id, line_class, coalesce(reason, '')
{%- endmacro %}
