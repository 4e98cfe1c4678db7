{#- Fails for each row where the boolean SQL `expression` is false (null counts as passing). -#}
{% test holds_for_every_row(model, expression) %}
select *
from {{ model }}
where not ({{ expression }})
{% endtest %}
