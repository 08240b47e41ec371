-- One row per day of the project calendar (int_calendar_months; bounds in int_calendar_bounds):
-- the conformed date dimension. Each day carries its calendar month and its fiscal month,
-- quarter and year (var('fiscal_year_start_month')) with the labels the period tables show
-- (`2025-04`, `FY2025 Q1`, `FY2025`), so a BI tool joins any fact's date (close_date,
-- created_date, activity_date, …) to it and groups by the fiscal calendar. The MetricFlow time
-- spine (metricflow_time_spine) is selected from it.

with

calendar_months as {{ cte_materialization(false) }} (
    select * from {{ ref('int_calendar_months') }}
),

day_numbers as (
    {{ dbt.generate_series(31) }}
),

days as (
    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'calendar_months.month_start') }} as date) as date_day,
        calendar_months.month_start
    from calendar_months
    cross join day_numbers
    where
        day_numbers.generated_number
        <= {{ dbt.datediff('calendar_months.month_start', dbt.dateadd('month', 1, 'calendar_months.month_start'), 'day') }}
),

final as (
    select
        days.date_day,
        calendar_months.month_start,
        calendar_months.month_label,
        calendar_months.fiscal_year,
        calendar_months.fiscal_quarter,
        calendar_months.fiscal_month,
        calendar_months.fiscal_year_start,
        calendar_months.fiscal_quarter_start,
        calendar_months.fiscal_year_label,
        calendar_months.fiscal_quarter_label
    from days
    inner join calendar_months
        on days.month_start = calendar_months.month_start
)

select * from final
