{#- Rows whose value does not match `pattern` in full (written by portablePattern: syntax DuckDB's RE2 and Snowflake's POSIX ERE read alike). -#}
{% test regex_match(model, column_name, pattern) %}
{%- set text = pattern | replace("\\", "\\\\") if target.type == 'snowflake' else pattern -%}
{%- set literal = "'" ~ (text | replace("'", "''")) ~ "'" -%}
select *
from {{ model }}
where {{ column_name }} is not null
  and not {% if target.type == 'snowflake' %}regexp_like({{ column_name }}, {{ literal }}){% else %}regexp_full_match({{ column_name }}, {{ literal }}){% endif %}
{% endtest %}
