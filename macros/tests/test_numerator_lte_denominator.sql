{#- Passes when, on every row, the numerator of a rate is between 0 and its denominator, and
    the rate is NULL exactly when the denominator is 0 and within 0–100 otherwise. -#}
{% test numerator_lte_denominator(model, column_name, numerator, denominator) %}

select *
from {{ model }}
where {{ numerator }} < 0
    or {{ numerator }} > {{ denominator }}
    or ({{ denominator }} = 0 and {{ column_name }} is not null)
    or ({{ denominator }} > 0 and ({{ column_name }} is null or {{ column_name }} < 0 or {{ column_name }} > 100))

{% endtest %}
