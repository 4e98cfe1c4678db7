{#- The first day an incremental mart must rebuild: the earliest `date_column` among the rows of
    `upstream` loaded since the mart's watermark (its max `_loaded_at`). Trailing windows upstream
    carry a change forward in time, so the mart rebuilds that day and every day after it.
    Nothing new: a day after every date, so the run rebuilds nothing. -#}
{% macro first_touched_day(upstream, date_column) -%}
    (
        select coalesce(min({{ date_column }}), cast('9999-12-31' as date))
        from {{ upstream }}
        where _loaded_at > (select coalesce(max(_loaded_at), cast('1900-01-01' as timestamp)) from {{ this }})
    )
{%- endmacro %}
