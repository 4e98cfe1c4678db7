{#- One row per day from `start_date` to `end_date` inclusive, in a column `date_day`. -#}
{% macro calendar_days(start_date, end_date) -%}
    {{ return(adapter.dispatch('calendar_days', 'retail_mds')(start_date, end_date)) }}
{%- endmacro %}
{% macro default__calendar_days(start_date, end_date) -%}
    select dateadd(day, n, {{ start_date }}) as date_day
    from (select row_number() over (order by seq4()) - 1 as n from table(generator(rowcount => 40000)))
    where dateadd(day, n, {{ start_date }}) <= {{ end_date }}
{%- endmacro %}
{% macro duckdb__calendar_days(start_date, end_date) -%}
    select cast(unnest(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 day)) as date) as date_day
{%- endmacro %}
