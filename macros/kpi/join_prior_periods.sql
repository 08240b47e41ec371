{#- Select every column of `relation` (a CTE at the KPI grain: period_grain, period_start and
    the `keys` that identify an entity, e.g. scope and scope_id) plus, for each column in
    `measures`, its value in the previous period of the same grain and entity:
      <measure>_prior_month    month grain only: the previous calendar month
      <measure>_prior_quarter  fiscal_quarter grain only: the previous fiscal quarter
      <measure>_prior_year     every grain: the same period one year earlier
    NULL when the previous period has no row (before the data starts, or the entity was not
    active then). Used for growth % (current − previous) / previous × 100 with `pct`. -#}
{% macro join_prior_periods(relation, keys, measures) -%}
    {%- set priors = [('month', 'month', 1), ('quarter', 'fiscal_quarter', 3), ('year', none, 12)] -%}
    select
        current_period.*
        {%- for suffix, grain, months in priors %}
        {%- for measure in measures %},
        prior_{{ suffix }}.{{ measure }} as {{ measure }}_prior_{{ suffix }}
        {%- endfor %}
        {%- endfor %}
    from {{ relation }} as current_period
    {%- for suffix, grain, months in priors %}
    left join {{ relation }} as prior_{{ suffix }}
        on current_period.period_grain = prior_{{ suffix }}.period_grain
        {%- if grain %}
        and current_period.period_grain = '{{ grain }}'
        {%- endif %}
        {%- for key in keys %}
        and current_period.{{ key }} = prior_{{ suffix }}.{{ key }}
        {%- endfor %}
        and prior_{{ suffix }}.period_start = cast({{ dbt.dateadd('month', -months, 'current_period.period_start') }} as date)
    {%- endfor %}
{%- endmacro %}
