{#- Select every column of `relation` (period rows from roll_up_to_periods) plus pipeline_date —
    the period's last day, or var('as_of_date') for the period in progress — and each column in
    `balances` (point-in-time values such as the open pipeline: never summed over months) as it
    stood on pipeline_date. The value is read from `months` (a CTE on a monthly KPI fact, one row
    per period_start and `keys`, holding month-end balances) on the row of the month that holds
    pipeline_date; 0 when that month has no row. -#}
{% macro join_period_end_balances(relation, months, keys, balances) -%}
    {%- set as_of_date = dbt.cast(sql_string_literal(var('as_of_date')), 'date') -%}
    {%- set pipeline_date -%}
        case when {{ relation }}.period_end <= {{ as_of_date }} then {{ relation }}.period_end else {{ as_of_date }} end
    {%- endset %}
    select
        {{ relation }}.*,
        {{ pipeline_date }} as pipeline_date,
        {%- for column in balances %}
        coalesce(period_end_month.{{ column }}, 0) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    left join {{ months }} as period_end_month
        on cast({{ dbt.date_trunc('month', pipeline_date) }} as date) = period_end_month.period_start
        {%- for key in keys %}
        and {{ relation }}.{{ key }} = period_end_month.{{ key }}
        {%- endfor %}
{%- endmacro %}
