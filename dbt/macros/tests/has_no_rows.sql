{#- Fails (or warns) with one row per row of the model: for models expected to be empty. -#}
{% test has_no_rows(model) %}
select * from {{ model }}
{% endtest %}
