{#- Layers get their own schema named exactly `bronze`, `silver`, `gold`, `snapshots`, on both
    targets, instead of dbt's default `<target schema>_<layer>`: the deploy grants on them. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
