{#- One row holding the row count when it is outside [min_value, max_value]. -#}
{% test row_count_between(model, min_value=none, max_value=none) %}
select count(*) as row_count
from {{ model }}
having {% if min_value is not none %}count(*) < {{ min_value }}{% else %}false{% endif %}
    or {% if max_value is not none %}count(*) > {{ max_value }}{% else %}false{% endif %}
{% endtest %}
