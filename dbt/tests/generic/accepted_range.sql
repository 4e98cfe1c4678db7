{#- Rows whose value lies outside [min_value, max_value] (bounds exclusive when inclusive_* is false).
    Bounds are SQL literals, as retail-mds toDbtTests() writes them: 10, cast(0.00 as decimal(38, 2)). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive_min=true, inclusive_max=true) %}
select *
from {{ model }}
where {{ column_name }} is not null
  and (
    {%- if min_value is not none %} {{ column_name }} {{ '<' if inclusive_min else '<=' }} {{ min_value }}{% else %} false{% endif %}
    or
    {%- if max_value is not none %} {{ column_name }} {{ '>' if inclusive_max else '>=' }} {{ max_value }}{% else %} false{% endif %}
  )
{% endtest %}
