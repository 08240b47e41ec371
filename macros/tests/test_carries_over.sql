{#- Passes when a point-in-time measure carries over between consecutive periods: for every
    period_grain, scope and scope_id, `start_column` of a period equals `end_column` of the
    period that ends the day before it starts (customers at the start of April = customers at
    the end of March). The first period of each entity has no predecessor and is not checked. -#}
{% test carries_over(model, start_column, end_column) %}

select
    current_period.period_grain,
    current_period.period_start,
    current_period.scope,
    current_period.scope_id,
    current_period.{{ start_column }} as current_start_value,
    previous_period.{{ end_column }} as previous_end_value
from {{ model }} as current_period
inner join {{ model }} as previous_period
    on current_period.period_grain = previous_period.period_grain
    and current_period.scope = previous_period.scope
    and current_period.scope_id = previous_period.scope_id
    and previous_period.period_end = cast({{ dbt.dateadd('day', -1, 'current_period.period_start') }} as date)
where current_period.{{ start_column }} <> previous_period.{{ end_column }}

{% endtest %}
