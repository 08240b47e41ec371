{#- Passes when `expression` holds on every row (dbt's `where` config narrows the rows).
    Failing rows are returned. NULL counts as not true unless the expression handles it. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
