{#- Passes when, for every period, the sum of each additive column over the rows of the child
    scope equals its sum over the parent scope: rep rows add up to team rows, and team rows to
    the company row. Grain columns: period_grain, period_start, scope. -#}
{% test rollup_reconciles(model, columns, child_scope='rep', parent_scope='team') %}

with

sums as (
    select
        period_grain,
        period_start,
        scope,
        {%- for column in columns %}
        sum({{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}
    where scope in ('{{ child_scope }}', '{{ parent_scope }}')
    group by period_grain, period_start, scope
),

child as (
    select * from sums where scope = '{{ child_scope }}'
),

parent as (
    select * from sums where scope = '{{ parent_scope }}'
)

select
    coalesce(child.period_grain, parent.period_grain) as period_grain,
    coalesce(child.period_start, parent.period_start) as period_start
    {%- for column in columns %},
    child.{{ column }} as child_{{ column }},
    parent.{{ column }} as parent_{{ column }}
    {%- endfor %}
from child
full outer join parent
    on child.period_grain = parent.period_grain
    and child.period_start = parent.period_start
where
    {%- for column in columns %}
    coalesce(child.{{ column }}, 0) <> coalesce(parent.{{ column }}, 0){{ ' or' if not loop.last }}
    {%- endfor %}

{% endtest %}
