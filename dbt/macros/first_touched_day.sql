{#- The first day an incremental mart must rebuild: the earliest `date_column` among the rows of
    `upstream` loaded since the mart's watermark (its max `_loaded_at`). Trailing windows upstream
    carry a change forward in time, so the mart rebuilds that day and every day after it.
    Nothing new: a day after every date, so the run rebuilds nothing.
    When the model executes, the day is read first and returned as a literal: a bound the planner
    knows lets DuckDB skip the row groups of older days (Snowflake: micro-partitions) instead of
    scanning the whole fact; the subquery (parse, docs) gives the same day. -#}
{% macro first_touched_day(upstream, date_column) -%}
    {%- set touched_day_sql -%}
    (
        select coalesce(min({{ date_column }}), cast('9999-12-31' as date))
        from {{ upstream }}
        where _loaded_at > (select coalesce(max(_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
    )
    {%- endset -%}
    {%- if execute -%}
        {%- set touched_day = run_query('select cast(' ~ touched_day_sql ~ ' as date)').rows[0][0] -%}
        cast('{{ (touched_day | string)[:10] }}' as date)
    {%- else -%}
        {{ touched_day_sql }}
    {%- endif -%}
{%- endmacro %}
