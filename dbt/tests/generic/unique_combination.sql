{#- One row per combination of the columns that occurs more than once (rows with a null part are left to not_null). -#}
{% test unique_combination(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_records
from {{ model }}
where {% for column in combination_of_columns %}{{ column }} is not null{% if not loop.last %} and {% endif %}{% endfor %}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}
