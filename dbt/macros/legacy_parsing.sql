{#- Parsing the legacy flat files' text. Each returns null when the text cannot be read, so
    silver can tell "absent" (blank text) from "unparseable" (text that yields null). -#}

{#- Trimmed text, blank as null. -#}
{% macro clean_text(expr) -%}
    nullif(trim({{ expr }}), '')
{%- endmacro %}

{#- ISO `yyyy-MM-dd` or legacy `dd/MM/yyyy`. -#}
{% macro parse_legacy_date(expr) -%}
    {{ return(adapter.dispatch('parse_legacy_date', 'retail_mds')(expr)) }}
{%- endmacro %}
{% macro default__parse_legacy_date(expr) -%}
    coalesce(try_to_date({{ clean_text(expr) }}, 'DD/MM/YYYY'), try_to_date({{ clean_text(expr) }}, 'YYYY-MM-DD'))
{%- endmacro %}
{% macro duckdb__parse_legacy_date(expr) -%}
    coalesce(cast(try_strptime({{ clean_text(expr) }}, '%d/%m/%Y') as date), try_cast({{ clean_text(expr) }} as date))
{%- endmacro %}

{#- ISO instants (with or without `T`/`Z`) or legacy `dd/MM/yyyy HH:mm[:ss]`, all UTC. -#}
{% macro parse_legacy_timestamp(expr) -%}
    {{ return(adapter.dispatch('parse_legacy_timestamp', 'retail_mds')(expr)) }}
{%- endmacro %}
{% macro default__parse_legacy_timestamp(expr) -%}
    {#- try_to_timestamp gives TIMESTAMP_NTZ under the default TIMESTAMP_TYPE_MAPPING; the cast makes it explicit. -#}
    cast(
    coalesce(
        try_to_timestamp({{ clean_text(expr) }}, 'DD/MM/YYYY HH24:MI:SS'),
        try_to_timestamp({{ clean_text(expr) }}, 'DD/MM/YYYY HH24:MI'),
        try_to_timestamp(replace(replace({{ clean_text(expr) }}, 'T', ' '), 'Z', ''), 'YYYY-MM-DD HH24:MI:SS.FF'),
        try_to_timestamp(replace(replace({{ clean_text(expr) }}, 'T', ' '), 'Z', ''), 'YYYY-MM-DD HH24:MI:SS')
    ) as timestamp_ntz)
{%- endmacro %}
{% macro duckdb__parse_legacy_timestamp(expr) -%}
    coalesce(
        try_strptime({{ clean_text(expr) }}, '%d/%m/%Y %H:%M:%S'),
        try_strptime({{ clean_text(expr) }}, '%d/%m/%Y %H:%M'),
        try_cast(replace(replace({{ clean_text(expr) }}, 'T', ' '), 'Z', '') as timestamp)
    )
{%- endmacro %}

{#- A decimal written with a point or a comma. -#}
{% macro parse_legacy_decimal(expr, precision, scale) -%}
    try_cast(replace({{ clean_text(expr) }}, ',', '.') as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}

{% macro parse_legacy_int(expr) -%}
    try_cast({{ clean_text(expr) }} as integer)
{%- endmacro %}

{#- true/false, 1/0, Y/N, O/N (oui/non) as the legacy files spell them. -#}
{% macro parse_legacy_boolean(expr) -%}
    case lower({{ clean_text(expr) }})
        when 'true' then true when '1' then true when 'y' then true when 'yes' then true when 'o' then true
        when 'false' then false when '0' then false when 'n' then false when 'no' then false
    end
{%- endmacro %}

{#- True when text carries U+FFFD, the mark of a file decoded with the wrong encoding. -#}
{% macro has_replacement_char(expr) -%}
    coalesce(contains({{ expr }}, chr(65533)), false)
{%- endmacro %}
