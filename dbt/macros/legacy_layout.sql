{#- The SQL of a legacy layout's models (models/legacy/<layout>/, rendered by
    `retail-mds dbt-sources` from src/dbt/render-legacy-layout-models.ts). Each macro is one step of
    what the TypeScript reader (src/legacy/read-legacy-file.ts) does to a line, written for DuckDB
    and Snowflake alike. Patterns are passed as Jinja strings and rendered here as each engine's
    string literal; only the backslash inside a bracket expression differs between RE2 (DuckDB)
    and POSIX ERE (Snowflake), and only the splitter needs it. -#}

{#- A string literal of `text` (a Jinja string): Snowflake reads backslash escapes in quotes. -#}
{% macro legacy_str(text) -%}
    {{ return(adapter.dispatch('legacy_str', 'retail_mds')(text)) }}
{%- endmacro %}
{% macro default__legacy_str(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
{% macro duckdb__legacy_str(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{#- JavaScript's String.prototype.trim: Unicode white space and line terminators, both ends. -#}
{% macro legacy_space_class() -%}
    '[' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || ' ' || chr(160) || chr(5760) || chr(8192) || '-' || chr(8202) || chr(8232) || chr(8233) || chr(8239) || chr(8287) || chr(12288) || chr(65279) || ']'
{%- endmacro %}
{% macro legacy_trim(expr) -%}
    {{ return(adapter.dispatch('legacy_trim', 'retail_mds')(expr)) }}
{%- endmacro %}
{% macro default__legacy_trim(expr) -%}
    regexp_replace({{ expr }}, '^' || {{ legacy_space_class() }} || '+|' || {{ legacy_space_class() }} || '+$', '')
{%- endmacro %}
{% macro duckdb__legacy_trim(expr) -%}
    regexp_replace({{ expr }}, '^' || {{ legacy_space_class() }} || '+|' || {{ legacy_space_class() }} || '+$', '', 'g')
{%- endmacro %}

{#- The reader's bad_encoding: the RAW text holds U+FFFD (an invalid byte, or text mangled before). -#}
{% macro legacy_has_fffd(expr) -%}
    coalesce(contains({{ expr }}, chr(65533)), false)
{%- endmacro %}

{#- Regular expressions: whole-text match, search (JavaScript's RegExp.test), group, replace all. -#}
{% macro legacy_rx_full(expr, pattern) -%}
    {{ return(adapter.dispatch('legacy_rx_full', 'retail_mds')(expr, pattern)) }}
{%- endmacro %}
{% macro default__legacy_rx_full(expr, pattern) -%}
    regexp_like({{ expr }}, {{ legacy_str(pattern) }})
{%- endmacro %}
{% macro duckdb__legacy_rx_full(expr, pattern) -%}
    regexp_full_match({{ expr }}, {{ legacy_str(pattern) }})
{%- endmacro %}

{% macro legacy_rx_search(expr, pattern) -%}
    {{ return(adapter.dispatch('legacy_rx_search', 'retail_mds')(expr, pattern)) }}
{%- endmacro %}
{% macro default__legacy_rx_search(expr, pattern) -%}
    (regexp_instr({{ expr }}, {{ legacy_str(pattern) }}) > 0)
{%- endmacro %}
{% macro duckdb__legacy_rx_search(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ legacy_str(pattern) }})
{%- endmacro %}

{#- Group `group` of the first match, '' when there is none (JavaScript's exec, then m[group]). -#}
{% macro legacy_rx_group(expr, pattern, group) -%}
    {{ return(adapter.dispatch('legacy_rx_group', 'retail_mds')(expr, pattern, group)) }}
{%- endmacro %}
{% macro default__legacy_rx_group(expr, pattern, group) -%}
    {%- if group == 0 -%}
    coalesce(regexp_substr({{ expr }}, {{ legacy_str(pattern) }}), '')
    {%- else -%}
    coalesce(regexp_substr({{ expr }}, {{ legacy_str(pattern) }}, 1, 1, 'e', {{ group }}), '')
    {%- endif -%}
{%- endmacro %}
{% macro duckdb__legacy_rx_group(expr, pattern, group) -%}
    regexp_extract({{ expr }}, {{ legacy_str(pattern) }}, {{ group }})
{%- endmacro %}

{#- Every match replaced; `replacement` refers to groups as \1 (rendered from JavaScript's $1). -#}
{% macro legacy_rx_replace(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('legacy_rx_replace', 'retail_mds')(expr, pattern, replacement)) }}
{%- endmacro %}
{% macro default__legacy_rx_replace(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ legacy_str(pattern) }}, {{ legacy_str(replacement) }})
{%- endmacro %}
{% macro duckdb__legacy_rx_replace(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, {{ legacy_str(pattern) }}, {{ legacy_str(replacement) }}, 'g')
{%- endmacro %}

{#- ---- Delimited lines: the grammar of src/legacy/record-text.ts splitDelimited ----
    A line is fields joined by the delimiter D. A field that starts with the quote Q is quoted:
    Q, then characters other than Q, each Q written QQ (or, with an escape E other than Q, any
    character after E), then Q, then plain characters up to the next D (with E = Q they may not
    start with Q: the reader would have read QQ). Any other field is plain: no D, not starting
    with Q. A line that is not such a sequence has a quoted field never closed: bad_quoting. -#}

{#- One character outside a bracket expression, literal in RE2 and POSIX ERE alike. -#}
{% macro legacy_rx_char(c) -%}
    {%- if c in '.[]()*+?{}|^$\\' -%}\{{ c }}{%- else -%}{{ c }}{%- endif -%}
{%- endmacro %}

{#- Any one character but those of `chars`. A backslash inside brackets is an escape in RE2 and a
    literal in POSIX ERE: that part is dispatched. -#}
{% macro legacy_rx_not(chars) -%}
    [^{%- if ']' in chars -%}]{%- endif -%}
    {%- for ch in chars if ch not in ']-\\' -%}{{ ch }}{%- endfor -%}
    {%- if '\\' in chars -%}{{ adapter.dispatch('legacy_rx_class_backslash', 'retail_mds')() }}{%- endif -%}
    {%- if '-' in chars -%}-{%- endif -%}]
{%- endmacro %}
{% macro default__legacy_rx_class_backslash() -%}\{%- endmacro %}
{% macro duckdb__legacy_rx_class_backslash() -%}\\{%- endmacro %}

{#- The quoted field's body and what may follow its closing quote, as patterns (groups only: POSIX
    ERE has no non-capturing group). -#}
{% macro legacy_rx_body(q, e) -%}
    {%- if e == q -%}({{ legacy_rx_not(q) }}|{{ legacy_rx_char(q) }}{{ legacy_rx_char(q) }})*
    {%- else -%}({{ legacy_rx_not(q ~ e) }}|{{ legacy_rx_char(e) }}.)*{%- endif -%}
{%- endmacro %}
{% macro legacy_rx_rest(d, q, e) -%}
    {%- if e == q -%}({{ legacy_rx_not(q ~ d) }}{{ legacy_rx_not(d) }}*)?
    {%- else -%}({{ legacy_rx_not(d) }}*){%- endif -%}
{%- endmacro %}
{% macro legacy_rx_field(d, q, e) -%}
    ({{ legacy_rx_char(q) }}{{ legacy_rx_body(q, e) }}{{ legacy_rx_char(q) }}{{ legacy_rx_rest(d, q, e) }}|({{ legacy_rx_not(q ~ d) }}{{ legacy_rx_not(d) }}*)?)
{%- endmacro %}

{#- The fields of a line as an array of raw tokens (quotes still on), null on bad quoting. -#}
{% macro legacy_tokens(expr, d, q, e) -%}
    {{ return(adapter.dispatch('legacy_tokens', 'retail_mds')(expr, d, q, e)) }}
{%- endmacro %}
{% macro default__legacy_tokens(expr, d, q, e) -%}
    {%- set field = legacy_rx_field(d, q, e) -%}
    case when {{ legacy_rx_full(expr, '^' ~ field ~ '(' ~ legacy_rx_char(d) ~ field ~ ')*$') }}
        then regexp_substr_all({{ expr }} || {{ legacy_str(d) }}, {{ legacy_str(field ~ legacy_rx_char(d)) }}, 1, 1, 'e', 1) end
{%- endmacro %}
{% macro duckdb__legacy_tokens(expr, d, q, e) -%}
    {%- set field = legacy_rx_field(d, q, e) -%}
    case when {{ legacy_rx_full(expr, '^' ~ field ~ '(' ~ legacy_rx_char(d) ~ field ~ ')*$') }}
        then regexp_extract_all({{ expr }} || {{ legacy_str(d) }}, {{ legacy_str(field ~ legacy_rx_char(d)) }}, 1) end
{%- endmacro %}

{#- Token `pos` (1-based) of an array of tokens, as text; null past the end. -#}
{% macro legacy_token(tokens, pos) -%}
    {{ return(adapter.dispatch('legacy_token', 'retail_mds')(tokens, pos)) }}
{%- endmacro %}
{% macro default__legacy_token(tokens, pos) -%}
    cast(get({{ tokens }}, {{ pos }} - 1) as varchar)
{%- endmacro %}
{% macro duckdb__legacy_token(tokens, pos) -%}
    {{ tokens }}[{{ pos }}]
{%- endmacro %}

{% macro legacy_token_count(tokens) -%}
    {{ return(adapter.dispatch('legacy_token_count', 'retail_mds')(tokens)) }}
{%- endmacro %}
{% macro default__legacy_token_count(tokens) -%}
    array_size({{ tokens }})
{%- endmacro %}
{% macro duckdb__legacy_token_count(tokens) -%}
    len({{ tokens }})
{%- endmacro %}

{#- One row per token of the header lines of `relation` (`_source_file`, `pos` from 1, `token`). -#}
{% macro legacy_unnest_tokens(relation) -%}
    {{ return(adapter.dispatch('legacy_unnest_tokens', 'retail_mds')(relation)) }}
{%- endmacro %}
{% macro default__legacy_unnest_tokens(relation) -%}
    select h._source_file, t.index + 1 as pos, cast(t.value as varchar) as token
    from {{ relation }} as h, lateral flatten(input => h.tokens) as t
{%- endmacro %}
{% macro duckdb__legacy_unnest_tokens(relation) -%}
    select _source_file, generate_subscripts(tokens, 1) as pos, unnest(tokens) as token
    from {{ relation }}
{%- endmacro %}

{#- A raw token's value: a quoted token loses its quotes and escapes, the rest kept as written. -#}
{% macro legacy_unquote(token, d, q, e) -%}
    {%- set qc = legacy_rx_char(q) -%}
    {%- set pattern = '^' ~ qc ~ '(' ~ legacy_rx_body(q, e) ~ ')' ~ qc ~ legacy_rx_rest(d, q, e) ~ '$' -%}
    case when left({{ token }}, 1) = {{ legacy_str(q) }} then
    {%- if e == q %}
        replace({{ legacy_rx_group(token, pattern, 1) }}, {{ legacy_str(q ~ q) }}, {{ legacy_str(q) }})
    {%- else %}
        {{ legacy_rx_replace(legacy_rx_group(token, pattern, 1), legacy_rx_char(e) ~ '(.)', '\\1') }}
    {%- endif %}
        || {{ legacy_rx_group(token, pattern, 3) }}
    else {{ token }} end
{%- endmacro %}

{#- ---- Dates and wall-clock times ---- -#}

{#- A real calendar day from `yyyy-MM-dd` text; null when there is no such day. -#}
{% macro legacy_make_date(iso) -%}
    {{ return(adapter.dispatch('legacy_make_date', 'retail_mds')(iso)) }}
{%- endmacro %}
{% macro default__legacy_make_date(iso) -%}
    try_to_date({{ iso }}, 'YYYY-MM-DD')
{%- endmacro %}
{% macro duckdb__legacy_make_date(iso) -%}
    cast(try_strptime({{ iso }}, '%Y-%m-%d') as date)
{%- endmacro %}

{#- A day plus milliseconds, as a timestamp without zone. -#}
{% macro legacy_wall(day, millis) -%}
    {{ return(adapter.dispatch('legacy_wall', 'retail_mds')(day, millis)) }}
{%- endmacro %}
{% macro default__legacy_wall(day, millis) -%}
    timestampadd(millisecond, {{ millis }}, cast({{ day }} as timestamp_ntz))
{%- endmacro %}
{% macro duckdb__legacy_wall(day, millis) -%}
    (cast({{ day }} as timestamp) + to_milliseconds({{ millis }}))
{%- endmacro %}

{#- The wall-clock time in `tz` of a UTC instant (both without zone). -#}
{% macro legacy_local_of_utc(ts, tz) -%}
    {{ return(adapter.dispatch('legacy_local_of_utc', 'retail_mds')(ts, tz)) }}
{%- endmacro %}
{% macro default__legacy_local_of_utc(ts, tz) -%}
    convert_timezone('UTC', '{{ tz }}', {{ ts }})
{%- endmacro %}
{% macro duckdb__legacy_local_of_utc(ts, tz) -%}
    timezone('{{ tz }}', timezone('UTC', {{ ts }}))
{%- endmacro %}

{#- `wall` less the offset of `tz` at the UTC instant `at`: one step of the reader's localToUtc
    (src/generators/calendar.ts), which takes the offset at the wall time read as UTC, then the
    offset at the instant that gives. -#}
{% macro legacy_less_offset(wall, at, tz) -%}
    {{ return(adapter.dispatch('legacy_less_offset', 'retail_mds')(wall, at, tz)) }}
{%- endmacro %}
{% macro default__legacy_less_offset(wall, at, tz) -%}
    timestampadd(millisecond, -datediff(millisecond, {{ at }}, {{ legacy_local_of_utc(at, tz) }}), {{ wall }})
{%- endmacro %}
{% macro duckdb__legacy_less_offset(wall, at, tz) -%}
    ({{ wall }} - ({{ legacy_local_of_utc(at, tz) }} - {{ at }}))
{%- endmacro %}

{#- ---- Exact arithmetic ---- -#}

{#- Integer division rounding half away from zero (src/entities/decimal.ts divRound), d > 0. -#}
{% macro legacy_div_round(n, d) -%}
    {{ return(adapter.dispatch('legacy_div_round', 'retail_mds')(n, d)) }}
{%- endmacro %}
{% macro default__legacy_div_round(n, d) -%}
    (sign({{ n }}) * floor((2 * abs({{ n }}) + {{ d }}) / (2 * {{ d }})))
{%- endmacro %}
{% macro duckdb__legacy_div_round(n, d) -%}
    (sign({{ n }}) * ((2 * abs(cast({{ n }} as hugeint)) + {{ d }}) // (2 * {{ d }})))
{%- endmacro %}
