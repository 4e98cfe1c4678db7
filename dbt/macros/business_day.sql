{#- A business day is the store's local calendar date. `ts` is a UTC timestamp without zone;
    `tz` an IANA zone name (a column or a quoted literal). -#}
{% macro local_date(ts, tz) -%}
    {{ return(adapter.dispatch('local_date', 'retail_mds')(ts, tz)) }}
{%- endmacro %}

{% macro default__local_date(ts, tz) -%}
    cast(convert_timezone('UTC', {{ tz }}, {{ ts }}) as date)
{%- endmacro %}

{% macro duckdb__local_date(ts, tz) -%}
    {#- timezone('UTC', naive) reads the naive value as UTC; timezone(tz, instant) gives local time. -#}
    cast(timezone({{ tz }}, timezone('UTC', {{ ts }})) as date)
{%- endmacro %}

{#- ISO day of week, Monday = 1 ... Sunday = 7. -#}
{% macro iso_day_of_week(d) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'retail_mds')(d)) }}
{%- endmacro %}
{% macro default__iso_day_of_week(d) -%}
    dayofweekiso({{ d }})
{%- endmacro %}
{% macro duckdb__iso_day_of_week(d) -%}
    isodow({{ d }})
{%- endmacro %}
