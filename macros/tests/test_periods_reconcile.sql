{#- Passes when, for every scope and additive column, each fiscal quarter equals the sum of
    its months and each fiscal year the sum of its quarters. Rows are matched by date: a
    smaller period belongs to a larger one when its start lies within the larger one. `keys`
    identify an entity within a period (default scope, scope_id; a companion table adds its
    dimension, e.g. stage). -#}
{% test periods_reconcile(model, columns, keys=['scope', 'scope_id']) %}

{%- set pairs = [('fiscal_quarter', 'month'), ('fiscal_year', 'fiscal_quarter')] %}

with

{% for parent_grain, child_grain in pairs %}
{{ parent_grain }}_from_{{ child_grain }} as (
    select
        '{{ parent_grain }}' as parent_grain,
        parent.period_start
        {%- for key in keys %},
        parent.{{ key }}
        {%- endfor %}
        {%- for column in columns %},
        max(coalesce(parent.{{ column }}, 0)) as parent_{{ column }},
        sum(coalesce(child.{{ column }}, 0)) as child_{{ column }}
        {%- endfor %}
    from {{ model }} as parent
    left join {{ model }} as child
        on child.period_grain = '{{ child_grain }}'
        {%- for key in keys %}
        and parent.{{ key }} = child.{{ key }}
        {%- endfor %}
        and child.period_start between parent.period_start and parent.period_end
    where parent.period_grain = '{{ parent_grain }}'
    group by parent.period_start{% for key in keys %}, parent.{{ key }}{% endfor %}
),

{% endfor %}
all_pairs as (
    select * from fiscal_quarter_from_month
    union all
    select * from fiscal_year_from_fiscal_quarter
)

select *
from all_pairs
where
    {%- for column in columns %}
    parent_{{ column }} <> child_{{ column }}{{ ' or' if not loop.last }}
    {%- endfor %}

{% endtest %}
