{#- The select that rolls scope-month measures up to every period grain: join `relation` (a CTE
    with scope, scope_id, scope_name, month_start and the `measures`) to the model's
    `period_months` CTE (int_period_months) and sum each measure per period and scope — the
    parts are summed here and divided afterwards, so a rate is never averaged. `extra_keys`: more
    grouping columns of `relation` (e.g. product_id); `extra_labels`: columns that follow them
    (their max(), e.g. product_name).
    Output: period_grain, period_start, period_end, period_label, scope, scope_id, scope_name,
    <extra_keys>, <extra_labels>, <measures>. -#}
{% macro roll_up_to_periods(measures, relation='scope_month_measures', extra_keys=[], extra_labels=[]) -%}
    select
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        {{ relation }}.scope,
        {{ relation }}.scope_id,
        max({{ relation }}.scope_name) as scope_name,
        {%- for column in extra_keys %}
        {{ relation }}.{{ column }},
        {%- endfor %}
        {%- for column in extra_labels %}
        max({{ relation }}.{{ column }}) as {{ column }},
        {%- endfor %}
        {%- for column in measures %}
        sum({{ relation }}.{{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    inner join period_months
        on {{ relation }}.month_start = period_months.month_start
    group by
        period_months.period_grain,
        period_months.period_start,
        period_months.period_end,
        period_months.period_label,
        {{ relation }}.scope,
        {{ relation }}.scope_id
        {%- for column in extra_keys %},
        {{ relation }}.{{ column }}
        {%- endfor %}
{%- endmacro %}
