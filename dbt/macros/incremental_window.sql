{#- The rows an incremental silver or gold model re-reads: everything loaded since the last run,
    plus every event in the look-back window behind the newest event already built, so a
    late-arriving record lands in its own day and a re-sent one replaces the older copy. -#}
{% macro incremental_window(event_column, loaded_column='_loaded_at', lookback_days=none) -%}
    {%- set days = lookback_days if lookback_days is not none else var('lookback_days') -%}
    {%- if is_incremental() -%}
    (
        {#- An empty target (its first runs had nothing to read) must read everything, not nothing. #}
        {{ event_column }} >= coalesce(
            (select {{ dbt.dateadd('day', -1 * days, 'max(' ~ event_column ~ ')') }} from {{ this }}),
            cast('1900-01-01' as date)
        )
        {%- if loaded_column %}
        or {{ loaded_column }} > coalesce((select max({{ loaded_column }}) from {{ this }}), cast('1900-01-01' as timestamp))
        {%- endif %}
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
