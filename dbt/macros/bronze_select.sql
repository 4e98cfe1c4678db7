{#- The body of a bronze view: every column of a RAW source table, cast to the type the source
    YAML (rendered from the entities) declares, in declaration order, plus the load metadata.
    Bronze is therefore derived from the entities too: a new column needs no SQL change.
    A legacy table that the pipe has not created yet reads as empty rather than failing. -#}
{% macro bronze_select(source_table) -%}
    {%- set relation = source('raw', source_table) -%}
    {%- if not execute -%}
    select * from {{ relation }}
    {%- else -%}
    {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', 'raw') | selectattr('name', 'equalto', source_table) | first -%}
    {%- set columns = node.columns.values() | list -%}
    {#- `dbt compile --no-introspect` (CI without a warehouse) assumes the table is there. -#}
    {%- if flags.INTROSPECT is false -%}
    {%- set exists = true -%}
    {%- else -%}
    {%- set exists = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- endif -%}
    select
        {%- for column in columns %}
        {%- set expr = column.name if exists else 'null' %}
        cast({{ expr }} as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
    {%- if exists %}
    from {{ relation }}
    {%- else %}
    {#- Typed and empty, so silver compiles the same with or without a legacy feed. #}
    where false
    {%- endif %}
    {%- endif -%}
{%- endmacro %}
