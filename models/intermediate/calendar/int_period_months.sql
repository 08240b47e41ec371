-- One row per reporting period (month, fiscal quarter, fiscal year) per calendar month it
-- contains: the bridge every KPI mart uses to roll monthly numerators and denominators up
-- to the period grain (sum the parts, then divide — a rate is never averaged).

with

calendar_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_months') }}
),

monthly_periods as (
    select
        'month' as period_grain,
        month_start as period_start,
        month_end as period_end,
        month_label as period_label,
        month_start
    from calendar_months
),

fiscal_quarter_periods as (
    select
        'fiscal_quarter' as period_grain,
        fiscal_quarter_start as period_start,
        fiscal_quarter_end as period_end,
        fiscal_quarter_label as period_label,
        month_start
    from calendar_months
),

fiscal_year_periods as (
    select
        'fiscal_year' as period_grain,
        fiscal_year_start as period_start,
        fiscal_year_end as period_end,
        fiscal_year_label as period_label,
        month_start
    from calendar_months
),

final as (
    select * from monthly_periods
    union all
    select * from fiscal_quarter_periods
    union all
    select * from fiscal_year_periods
)

select * from final
