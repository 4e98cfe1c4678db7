{#- Rows whose event time is more than max_age_seconds before `reference` (a SQL timestamp
    expression; by default the warehouse's current UTC time). Row-level, unlike a table recency test. -#}
{% test not_older_than(model, column_name, max_age_seconds, reference=none) %}
{%- if reference is none -%}
  {%- set reference = "sysdate()" if target.type == 'snowflake' else "cast(current_timestamp at time zone 'UTC' as timestamp)" -%}
{%- endif %}
select *
from {{ model }}
where {{ column_name }} is not null
  and cast({{ column_name }} as timestamp) < {{ dbt.dateadd('second', -1 * max_age_seconds, reference) }}
{% endtest %}
