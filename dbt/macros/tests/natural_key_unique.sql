{#- Fails for each combination of `columns` that appears on more than one row. -#}
{% test natural_key_unique(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
